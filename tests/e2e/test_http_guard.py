"""The probe's hostile requests against real service processes: 401 / 413 / 422, never a 500.

Order at the entry (kit/guard.py): a declared body above MAX_REQUEST_BYTES is 413 before anything else;
then the token (401 without the body being read); then NUL / surrogates / depth (422 naming the field)."""
import json

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from metodset_tools import devissuer
from tests.conftest import token
from tests.factories import legal_inn

pytestmark = pytest.mark.e2e

KALUGA, OBNINSK = "29701000", "29715000"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def urls(stack):
    return {name: svc.url for name, svc in stack.services.items()}


@pytest.fixture(scope="module")
def bearer(infra):
    return {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}", **JSON}


def _org(**kw) -> dict:
    return {"name": "МБОУ СОШ № 1", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(1), **kw}


def _first(r: httpx.Response) -> dict:
    assert r.status_code == 422, r.text
    return r.json()["detail"][0]


async def test_a_token_signed_by_a_foreign_rs256_key_is_401_and_the_connection_lives_on(urls, infra, bearer):
    claims = jwt.decode(token(infra, "regional_coordinator"), options={"verify_signature": False})
    foreign = jwt.encode(claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256",
                         headers={"kid": devissuer.KID})
    async with httpx.AsyncClient(timeout=10) as http:
        for name in ("registry", "monitoring", "gateway"):
            path = "/graphql" if name == "gateway" else "/organisations" if name == "registry" else "/indicators"
            r = await http.post(urls[name] + path, json={"query": "{ municipalities { oktmo } }"},
                                headers={"Authorization": f"Bearer {foreign}"}) if name == "gateway" else \
                await http.get(urls[name] + path, params={"municipality": KALUGA},
                               headers={"Authorization": f"Bearer {foreign}"})
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (name, r.text)
        assert (await http.get(urls["registry"] + "/organisations", headers=bearer)).status_code == 200


async def test_nul_and_surrogates_are_422_naming_the_field(urls, bearer):
    registry = urls["registry"]
    async with httpx.AsyncClient(timeout=10) as http:
        d = _first(await http.post(registry + "/organisations", json=_org(name="Школа\x00"), headers=bearer))
        assert d["loc"] == ["body", "name"] and "NUL" in d["msg"]
        d = _first(await http.post(registry + "/organisations", content=json.dumps(_org(shortName="a\ud800")),
                                   headers=bearer))
        assert d["loc"] == ["body", "shortName"] and "surrogate" in d["msg"]
        d = _first(await http.post(registry + "/organisations/batch", json=[_org(), _org(inn="\x00")],
                                   headers=bearer))
        assert d["loc"] == ["body", 1, "inn"]
        d = _first(await http.get(registry + "/organisations", params={"kind": "school\x00"}, headers=bearer))
        assert d["loc"] == ["query", "kind"]
        d = _first(await http.get(registry + "/municipalities/2970%001000", headers=bearer))
        assert d["loc"] == ["path", "oktmo"]
        d = _first(await http.get(urls["monitoring"] + "/indicators", params={"municipality": "\x00"},
                                  headers=bearer))
        assert d["loc"] == ["query", "municipality"]


async def test_huge_offsets_and_deep_json_are_422_and_echo_only_a_prefix(urls, bearer):
    registry = urls["registry"]
    async with httpx.AsyncClient(timeout=10) as http:
        d = _first(await http.get(registry + "/organisations", params={"limit": str(2**70)}, headers=bearer))
        assert d["loc"] == ["query", "limit"]
        d = _first(await http.post(registry + "/organisations", content=b"[" * 1000 + b"]" * 1000, headers=bearer))
        assert d["loc"] == ["body"] and d["type"] == "json_too_deep"
        r = await http.post(registry + "/organisations", json=_org(name="Ш" * 1_000_000), headers=bearer)
        assert r.status_code == 422 and len(r.content) < 2000, r.text[:300]


async def test_bodies_above_the_limit_are_413_declared_or_streamed(urls, bearer):
    async with httpx.AsyncClient(timeout=30) as http:
        for name, path in (("registry", "/organisations"), ("gateway", "/graphql")):
            r = await http.post(urls[name] + path, content=b"x" * (20 * 1024 * 1024), headers=bearer)
            assert r.status_code == 413, (name, r.text[:200])

        async def stream():
            for _ in range(10):
                yield b" " * (1024 * 1024)

        r = await http.post(urls["registry"] + "/organisations", content=stream(), headers=bearer)
        assert r.status_code == 413


async def test_without_a_valid_token_a_bad_body_is_401_not_parsed(urls):
    bodies = [b"[" * 1000 + b"]" * 1000, json.dumps(_org(name="\x00")).encode(), b"{not json", b" " * 1_000_000]
    async with httpx.AsyncClient(timeout=10) as http:
        for name, path in (("registry", "/organisations"), ("gateway", "/graphql")):
            for body in bodies:
                for headers in (JSON, {"Authorization": "Bearer x.y.z", **JSON}):
                    r = await http.post(urls[name] + path, content=body, headers=headers)
                    assert r.status_code == 401, (name, body[:20], r.text[:200])


async def test_the_graphql_post_gets_no_rest_422_for_hostile_content(urls, bearer):
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.post(urls["gateway"] + "/graphql", headers=bearer, json={
            "query": "query($o: String!) { municipality(oktmo: $o) { name } }", "variables": {"o": "2970\x001000"}})
        assert r.status_code < 500 and "detail" not in r.json(), r.text
        page = await http.get(urls["gateway"] + "/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200  # the GraphiQL page is public; a query by GET still needs the token


async def test_an_indicator_read_outside_the_scope_answers_like_an_unknown_municipality(urls, infra):
    methodist = {"Authorization": f"Bearer {token(infra, 'municipal_methodist', municipality=KALUGA)}"}
    async with httpx.AsyncClient(timeout=10) as http:
        async def indicators(oktmo: str) -> httpx.Response:
            return await http.get(urls["monitoring"] + "/indicators", params={"municipality": oktmo},
                                  headers=methodist)

        outside, unknown = await indicators(OBNINSK), await indicators("no-such")
        assert (await indicators(KALUGA)).status_code == 200
    assert outside.status_code == unknown.status_code == 404
    assert json.loads(outside.text.replace(OBNINSK, "X")) == json.loads(unknown.text.replace("no-such", "X"))
    assert outside.json()["detail"][0]["type"] == "not_found"
