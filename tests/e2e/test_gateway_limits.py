"""The gateway's bounds against the running stack: the probe's costly query, hostile strings and nesting."""
import asyncio
import json

import httpx
import pytest

from tests.conftest import token
from tests.factories import legal_inn

pytestmark = pytest.mark.e2e

OKTMO = "29701000"
REGISTER = """mutation($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { id } }"""
# The probe's query: organisation → municipality → organisations, nested three times (five would already
# pass the depth limit through the connections' nodes).
PROBE = ("query($id: ID!) { organisation(id: $id) { " + "municipality { organisations { nodes { " * 3 + "id name"
         + " } } }" * 3 + " } }")


async def _post(stack, infra, body: str | bytes) -> httpx.Response:
    """A raw POST: httpx would refuse to encode a lone surrogate, json.dumps escapes it as a client may."""
    headers = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}", "content-type": "application/json"}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{stack.services['gateway'].url}/graphql", content=body, headers=headers)


def _org(n: int, **kw) -> dict:
    return {"name": f"МБОУ СОШ № {n}", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(n), **kw}


@pytest.fixture(scope="module")
async def organisations(gql) -> list[str]:
    r = await gql()("mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }",
                    {"i": {"oktmo": OKTMO, "name": "городской округ «Город Калуга»"}})
    assert r["data"]["createMunicipality"]["oktmo"] == OKTMO, r
    ids = []
    for n in range(1, 4):
        r = await gql()(REGISTER, {"input": _org(n)})
        ids.append(r["data"]["registerOrganisation"]["id"])
    return ids


async def test_the_probe_query_is_refused_while_a_concurrent_query_answers(gql, organisations):
    probe, typename = await asyncio.gather(gql()(PROBE, {"id": organisations[0]}), gql()("{ __typename }"))
    assert typename == {"data": {"__typename": "Query"}}
    assert probe["data"] is None
    error = probe["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY", probe
    assert error["extensions"]["cost"] > error["extensions"]["limit"]
    assert str(error["extensions"]["limit"]) in error["message"]


async def test_a_list_answers_at_most_first_items_and_refuses_first_out_of_range(gql, organisations):
    query = "query($n: Int) { municipality(oktmo: \"29701000\") { organisations(first: $n) { nodes { id } } } }"
    everything = (await gql()(query))["data"]["municipality"]["organisations"]["nodes"]
    assert len(everything) >= len(organisations)
    one = (await gql()(query, {"n": 1}))["data"]["municipality"]["organisations"]["nodes"]
    assert len(one) == 1 and one[0] in everything
    refused = await gql()(query, {"n": 501})
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


@pytest.mark.parametrize("bad", ["Ш\x00кола", "Ш\ud800кола"])
async def test_nul_and_lone_surrogates_in_variables_name_the_field(stack, infra, organisations, bad):
    r = await _post(stack, infra, json.dumps({"query": REGISTER, "variables": {"input": _org(50, name=bad)}}))
    assert r.status_code == 200, r.text
    assert r.json()["data"] is None
    assert r.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}


@pytest.mark.parametrize("literal", ["\\u0000", "\\uD800", "\x00", "\ud800"])
async def test_nul_and_lone_surrogates_in_literals_name_the_field(stack, infra, organisations, literal):
    query = (f'mutation {{ registerOrganisation(input: {{name: "Ш{literal}", kind: SCHOOL, '
             f'municipalityOktmo: "{OKTMO}", inn: "{legal_inn(51)}"}}) {{ id }} }}')
    r = await _post(stack, infra, json.dumps({"query": query}))
    assert r.status_code == 200, r.text
    assert r.json()["data"] is None
    error = r.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "name", error


async def test_deep_variables_are_refused_and_a_deeper_body_gets_status_400(gql, stack, infra):
    deep: object = "x"
    for _ in range(20):
        deep = {"name": deep}
    r = await gql()(REGISTER, {"input": deep})
    assert r["data"] is None and r["errors"][0]["extensions"]["field"] == "input"

    body = ('{"query": "query($v: [Int]) { __typename }", "variables": {"v": '
            + "[" * 1000 + "1" + "]" * 1000 + "}}")
    r = await _post(stack, infra, body)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
