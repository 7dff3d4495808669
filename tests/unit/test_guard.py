"""The kit's HTTP entry (guard middleware, validation errors, scoped reads) on a small app built by base_app."""
import json
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Body, Query

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.hostile import INT64_MAX, NUL, SURROGATE
from metodset_kit.service import base_app
from metodset_kit.settings import CommonSettings
from metodset_tools import devissuer

LIMIT = 64 * 1024
router = APIRouter()
parsed: list = []


@router.post("/things/{name}")
async def post_thing(name: str, data: Annotated[dict, Body()], principal: CurrentPrincipal,
                     q: str | None = None):
    parsed.append(data)
    return {"name": name, "role": principal.role.value}


@router.get("/things")
async def list_things(principal: CurrentPrincipal, q: str | None = None,
                      offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0, n: Annotated[int, Query(le=10)] = 0):
    return {"q": q, "offset": offset}


graph = APIRouter()


@graph.post("/graphql")
async def graphql(data: Annotated[dict, Body()]):
    return {"data": data}


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    base = tmp_path_factory.mktemp("keys")
    return base, devissuer.ensure_keys(base)


def _client(keys, **kw) -> httpx.AsyncClient:
    async def start(app, stack):
        return None

    settings = CommonSettings(service_name="t", jwt_jwks_file=keys[1], max_request_bytes=LIMIT)
    app = base_app(name="t", title="t", description="t", version="0", settings=settings, start=start,
                   routers=[router, graph], **kw)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


def _bearer(keys, role="regional_coordinator", **scope) -> dict:
    return {"Authorization": f"Bearer {devissuer.issue(role, base=keys[0], **scope)}"}


async def test_no_token_is_401_before_the_body_is_parsed(keys):
    parsed.clear()
    async with _client(keys) as http:
        for body in (b"{not json", json.dumps({"a": "\x00"}).encode(), b"[" * 1000 + b"]" * 1000):
            r = await http.post("/things/x", content=body, headers={"content-type": "application/json"})
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", r.text
        r = await http.post("/things/x", json={"a": 1}, headers={"Authorization": "Bearer a.b.c"})
        assert r.status_code == 401
    assert parsed == []


async def test_public_paths_need_no_token_and_the_rest_do(keys):
    async with _client(keys) as http:
        for path in ("/healthz", "/openapi.json", "/docs"):
            assert (await http.get(path)).status_code == 200, path
        assert (await http.get("/things")).status_code == 401
        assert (await http.get("/nowhere")).status_code == 401  # auth first: unknown paths tell nothing
        assert (await http.get("/things", headers=_bearer(keys))).status_code == 200


async def test_the_principal_found_by_the_guard_is_reused_not_verified_again(keys, monkeypatch):
    from metodset_kit.auth import TokenVerifier

    calls = []
    verify = TokenVerifier.verify
    monkeypatch.setattr(TokenVerifier, "verify", lambda self, t: calls.append(t) or verify(self, t))
    async with _client(keys) as http:
        r = await http.post("/things/x", json={"a": 1}, headers=_bearer(keys, "analyst"))
    assert r.json() == {"name": "x", "role": "analyst"} and len(calls) == 1


async def test_a_body_above_the_limit_is_413_declared_or_streamed(keys):
    big = b'{"a": "' + b"x" * LIMIT + b'"}'
    async with _client(keys) as http:
        r = await http.post("/things/x", content=big, headers={"content-type": "application/json"})
        assert r.status_code == 413, r.text  # declared Content-Length: refused even before auth

        async def chunks():
            for _ in range(4):
                yield b"x" * (LIMIT // 2)

        h = {**_bearer(keys), "content-type": "application/json"}
        r = await http.post("/things/x", content=chunks(), headers=h)
        assert r.status_code == 413
        ok = json.dumps({"a": "x" * (LIMIT - 100)})
        r = await http.post("/things/x", content=ok, headers={**_bearer(keys), "content-type": "application/json"})
        assert r.status_code == 200


@pytest.mark.parametrize("text, reason", [("a\x00b", NUL), ("a\ud800b", SURROGATE)])
async def test_bad_text_is_422_naming_the_field_in_body_query_and_path(keys, text, reason):
    h = {**_bearer(keys), "content-type": "application/json"}
    async with _client(keys) as http:
        r = await http.post("/things/x", content=json.dumps({"rows": [{"name": "ok"}, {"name": text}]}), headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "rows", 1, "name"]
        assert r.json()["detail"][0]["msg"] == reason
        if text == "a\x00b":  # a URL carries UTF-8 only: a lone surrogate cannot even be sent there
            r = await http.get("/things", params={"q": text}, headers=h)
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "q"]
            r = await http.post("/things/a%00b", json={}, headers=h)
            assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "name"]


async def test_deep_json_and_huge_integers_are_422(keys):
    h = {**_bearer(keys), "content-type": "application/json"}
    async with _client(keys) as http:
        r = await http.post("/things/x", content=b'{"a":' + b"[" * 1000 + b"]" * 1000 + b"}", headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["type"] == "json_too_deep"
        r = await http.get("/things", params={"offset": str(2**70)}, headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "offset"]


async def test_validation_errors_echo_only_a_short_prefix(keys):
    async with _client(keys) as http:
        r = await http.get("/things", params={"n": "9" * 20_000}, headers=_bearer(keys))
    assert r.status_code == 422 and len(r.content) < 1000
    assert r.json()["detail"][0]["input"].startswith("9999") and len(r.json()["detail"][0]["input"]) <= 41


async def test_unchecked_routes_keep_the_limit_but_leave_content_to_the_endpoint(keys):
    async with _client(keys, public=["POST /graphql"], unchecked=["/graphql"]) as http:
        h = {"content-type": "application/json"}
        r = await http.post("/graphql", content=json.dumps({"q": "a\x00"}), headers=h)
        assert r.status_code == 200 and r.json() == {"data": {"q": "a\x00"}}
        r = await http.post("/graphql", content=b"x" * (LIMIT + 1))
        assert r.status_code == 413


def test_a_refused_scoped_read_raises_the_missing_records_own_error():
    missing = NotFound("municipality", "Показатели муниципалитета 29715000 не найдены", where="query")
    visible_or_missing(True, missing)
    with pytest.raises(NotFound) as refused:
        visible_or_missing(False, missing)
    assert refused.value is missing and refused.value.status_code == 404
    assert missing.as_detail() == {"loc": ["query", "municipality"], "type": "not_found",
                                   "msg": "Показатели муниципалитета 29715000 не найдены"}
