"""Organisations as of a date through GraphQL against the running services."""
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn

pytestmark = pytest.mark.e2e
OKTMO = "29707000"

MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }"
RENAME = "mutation($id: ID!) { updateOrganisation(id: $id, input: {name: \"МБОУ Гимназия № 7\"}) { version } }"
READ = """query($id: ID!, $on: Date, $m: String!) {
  organisation(id: $id, asOf: $on) { name version active }
  organisations(first: 5, filter: {municipalityOktmo: $m}, asOf: $on) { totalCount nodes { name } }
  municipality(oktmo: $m) { organisations(first: 5, asOf: $on, includeClosed: true) { totalCount } } }"""


async def test_organisations_read_as_of_a_date_through_graphql(gql):
    r = await gql()(MUNICIPALITY, {"i": {"oktmo": OKTMO, "name": "Дзержинский район"}})
    assert "errors" not in r, r
    body = {"name": "МБОУ СОШ № 7", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(93_001)}
    org = (await gql()(REGISTER, {"i": body}))["data"]["registerOrganisation"]["id"]
    assert (await gql()(RENAME, {"id": org}))["data"]["updateOrganisation"]["version"] == 2

    today = (await gql("analyst")(READ, {"id": org, "on": date.today().isoformat(), "m": OKTMO}))["data"]
    assert today["organisation"] == {"name": "МБОУ Гимназия № 7", "version": 2, "active": True}
    assert today["organisations"] == {"totalCount": 1, "nodes": [{"name": "МБОУ Гимназия № 7"}]}
    assert today["municipality"]["organisations"]["totalCount"] == 1

    before = (await gql("analyst")(READ, {"id": org, "on": (date.today() - timedelta(days=1)).isoformat(), "m": OKTMO}))
    assert "errors" not in before, before
    assert before["data"]["organisation"] is None
    assert before["data"]["organisations"]["totalCount"] == 0
    assert before["data"]["municipality"]["organisations"]["totalCount"] == 0

    future = await gql("analyst")("query($id: ID!, $on: Date) { organisation(id: $id, asOf: $on) { name } }",
                                  {"id": org, "on": (date.today() + timedelta(days=1)).isoformat()})
    assert future["data"]["organisation"] is None
    assert future["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert future["errors"][0]["extensions"]["field"] == "asOf"
