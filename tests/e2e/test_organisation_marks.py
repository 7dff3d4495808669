"""Organisation flags, site statuses, parents and reorganisation through GraphQL against the running services."""
import pytest

from tests.factories import legal_inn

pytestmark = pytest.mark.e2e
OKTMO = "29705000"

MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id status } }"
SET_FLAG = """mutation($id: ID!, $i: SetFlagInput!) {
  setOrganisationFlag(id: $id, input: $i) { id kind kindTitle from to source } }"""
CLEAR_FLAG = "mutation($id: ID!, $f: ID!) { clearOrganisationFlag(id: $id, flagId: $f, to: \"2025-12-31\") { to } }"
GRANT = """mutation($id: ID!, $i: GrantSiteStatusInput!) { grantSiteStatus(id: $id, input: $i) { id title } }"""
REORGANISE = """mutation($id: ID!, $s: ID!) {
  reorganiseOrganisation(id: $id, successorId: $s, on: "2025-09-01") { status successorId active } }"""
READ = """query($id: ID!, $on: Date) { organisation(id: $id) {
  status parent { id }
  flags(asOf: $on) { kind kindTitle from to source }
  all: flags { from to }
  sites(asOf: $on) { kind level title from to topic orderNumber } } }"""


async def _register(gql, n: int, **kw) -> str:
    body = {"name": f"МБОУ СОШ № {n}", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(n), **kw}
    r = await gql()(REGISTER, {"i": body})
    assert "errors" not in r, r
    return r["data"]["registerOrganisation"]["id"]


async def test_marks_parent_and_reorganisation_through_graphql(gql):
    r = await gql()(MUNICIPALITY, {"i": {"oktmo": OKTMO, "name": "Боровский район"}})
    assert "errors" not in r, r
    head = await _register(gql, 91_001)
    branch = await _register(gql, 91_002, parentId=head)

    order = "Приказ министерства образования Калужской области № 123 от 01.09.2025"
    r = await gql()(SET_FLAG, {"id": branch, "i": {"kind": "LOW_RESULTS", "from": "2025-09-01", "source": order}})
    flag = r["data"]["setOrganisationFlag"]
    assert flag["kindTitle"].startswith("Низкие") and flag["to"] is None
    r = await gql()(CLEAR_FLAG, {"id": branch, "f": flag["id"]})
    assert r["data"]["clearOrganisationFlag"]["to"] == "2025-12-31", r
    r = await gql()(GRANT, {"id": branch, "i": {"kind": "INNOVATION", "level": "REGIONAL", "from": "2025-01-01",
                                                "to": "2027-12-31", "orderNumber": "456-п",
                                                "orderDate": "2024-12-20", "topic": "Функциональная грамотность"}})
    assert r["data"]["grantSiteStatus"]["title"] == "Инновационная площадка (региональный уровень)", r

    data = (await gql("analyst")(READ, {"id": branch, "on": "2025-10-01"}))["data"]["organisation"]
    assert data["parent"] == {"id": head} and data["status"] == "ACTIVE"
    assert [(f["kind"], f["source"]) for f in data["flags"]] == [("LOW_RESULTS", order)]
    assert data["all"] == [{"from": "2025-09-01", "to": "2025-12-31"}]
    assert [(s["level"], s["orderNumber"]) for s in data["sites"]] == [("REGIONAL", "456-п")]
    later = (await gql("analyst")(READ, {"id": branch, "on": "2026-01-01"}))["data"]["organisation"]
    assert later["flags"] == [] and len(later["sites"]) == 1

    r = await gql("organisation_admin", organisation=branch)(
        SET_FLAG, {"id": branch, "i": {"kind": "DIFFICULT_CONDITIONS", "from": "2025-09-01", "source": order}})
    assert "Администратор организации не может" in r["errors"][0]["message"], r
    assert r["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    r = await gql()(REORGANISE, {"id": branch, "s": head})
    assert r["data"]["reorganiseOrganisation"] == {"status": "REORGANISED", "successorId": head, "active": False}, r
