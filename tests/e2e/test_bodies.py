"""Methodical bodies through GraphQL against the running services: create a body, add members, approve the
composition, read it as of an earlier date; who sees names; a municipality's bodies and sites."""
from datetime import date, timedelta

import httpx
import pytest

from tests.conftest import token
from tests.factories import legal_inn

pytestmark = pytest.mark.e2e
OKTMO = "29707000"


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }"
CREATE = """mutation($i: CreateBodyInput!) { createBody(input: $i) {
  id name kind kindTitle level group subjectTitle createdOn active memberCount } }"""
ADD = """mutation($b: ID!, $i: AddMemberInput!) { addMember(bodyId: $b, input: $i) {
  id role roleTitle from to person { id fullName } } }"""
END = "mutation($b: ID!, $m: ID!, $to: Date!) { endMembership(bodyId: $b, memberId: $m, to: $to) { to } }"
APPROVE = """mutation($b: ID!, $i: ApproveCompositionInput!) { approveComposition(bodyId: $b, input: $i) {
  orderNumber academicYear memberCount members { role person { id fullName } } } }"""
READ = """query($id: ID!, $on: Date) { body(id: $id, asOf: $on) {
  name memberCount
  members { role from to person { id fullName } }
  composition { orderNumber orderDate academicYear members { role person { fullName } } }
  compositions { orderNumber memberCount } } }"""
LISTS = """query($oktmo: String!) { municipality(oktmo: $oktmo) {
  bodies(first: 1, filter: {level: MUNICIPAL}) {
    totalCount nodes { id name memberCount } pageInfo { hasNextPage endCursor } }
  all: bodies(first: 10) { totalCount }
  school: bodies(filter: {level: ORGANISATION}) { nodes { subjectTitle organisation { name bodies { totalCount } } } }
  sites(first: 10) { totalCount nodes { id name } } } }"""


async def _persons(stack, infra, *names) -> list[str]:
    """Persons registered by the municipality's methodist through the registry's staff API."""
    headers = {"Authorization": f"Bearer {token(infra, 'municipal_methodist', municipality=OKTMO)}"}
    ids = []
    async with httpx.AsyncClient(base_url=stack.services["registry"].url, headers=headers, timeout=30) as http:
        for last, first, middle in names:
            r = await http.post("/persons", json={"lastName": last, "firstName": first, "middleName": middle,
                                                  "birthDate": "1980-01-01"})
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
    return ids


async def test_body_members_composition_and_history_through_graphql(gql, stack, infra):
    coordinator = gql()
    assert "errors" not in await coordinator(MUNICIPALITY, {"i": {"oktmo": OKTMO, "name": "Дзержинский район"}})
    r = await coordinator(REGISTER, {"i": {"name": "МКОУ СОШ № 5", "kind": "SCHOOL", "municipalityOktmo": OKTMO,
                                           "inn": legal_inn(93_001)}})
    school = r["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)

    r = await methodist(CREATE, {"i": {"name": "РМО учителей истории", "kind": "municipal_association",
                                       "municipalityOktmo": OKTMO, "subject": "history", "createdOn": _day(400)}})
    assert "errors" not in r, r
    body = r["data"]["createBody"]
    assert (body["level"], body["group"], body["subjectTitle"], body["active"]) == \
        ("MUNICIPAL", "association", "история", True)

    chair, old, new = await _persons(stack, infra, ("Котова", "Алёна", "Игоревна"),
                                     ("Лапин", "Сергей", "Олегович"), ("Мухина", "Вера", "Ёсифовна"))
    r = await methodist(ADD, {"b": body["id"], "i": {"personId": chair, "role": "CHAIR", "from": _day(300)}})
    assert r["data"]["addMember"]["person"] == {"id": chair, "fullName": "Котова Алёна Игоревна"}, r
    assert r["data"]["addMember"]["roleTitle"] == "председатель"
    r = await methodist(ADD, {"b": body["id"], "i": {"personId": old, "role": "SECRETARY", "from": _day(300)}})
    old_member = r["data"]["addMember"]["id"]
    r = await methodist(APPROVE, {"b": body["id"], "i": {"orderNumber": "45-о", "orderDate": _day(250),
                                                        "academicYear": "2025/2026"}})
    assert r["data"]["approveComposition"]["memberCount"] == 2, r
    r = await methodist(ADD, {"b": body["id"], "i": {"personId": chair, "role": "MEMBER", "from": _day(100)}})
    assert r["errors"][0]["extensions"]["code"] == "CONFLICT", r  # a person joins once at a time
    assert "errors" not in await methodist(END, {"b": body["id"], "m": old_member, "to": _day(60)})
    r = await methodist(ADD, {"b": body["id"], "i": {"personId": new, "role": "SECRETARY", "from": _day(59)}})
    assert "errors" not in r, r
    r = await methodist(APPROVE, {"b": body["id"], "i": {
        "orderNumber": "12-о", "orderDate": _day(30), "academicYear": "2026/2027",
        "members": [{"personId": chair, "role": "CHAIR"}, {"personId": new, "role": "SECRETARY"}]}})
    assert "errors" not in r, r

    earlier = (await methodist(READ, {"id": body["id"], "on": _day(200)}))["data"]["body"]
    assert earlier["memberCount"] == 2
    assert sorted((m["person"]["fullName"], m["role"]) for m in earlier["members"]) == [
        ("Котова Алёна Игоревна", "CHAIR"), ("Лапин Сергей Олегович", "SECRETARY")]
    assert earlier["composition"]["orderNumber"] == "45-о"
    assert [m["person"]["fullName"] for m in earlier["composition"]["members"]] == [
        "Котова Алёна Игоревна", "Лапин Сергей Олегович"]
    assert [c["orderNumber"] for c in earlier["compositions"]] == ["45-о", "12-о"]
    now = (await methodist(READ, {"id": body["id"]}))["data"]["body"]
    assert now["composition"]["academicYear"] == "2026/2027"
    assert sorted(m["person"]["fullName"] for m in now["members"]) == ["Котова Алёна Игоревна",
                                                                       "Мухина Вера Ёсифовна"]

    for outsider in (gql("analyst"), gql("municipal_methodist", municipality="29701000")):
        r = await outsider(READ, {"id": body["id"]})
        seen = r["data"]["body"]
        assert seen["memberCount"] == 2 and seen["members"] is None and seen["composition"]["members"] is None
        assert r["errors"][0]["extensions"]["code"] == "NOT_FOUND" and r["errors"][0]["path"][-1] == "members"
        assert "Котова" not in str(r)

    await coordinator(CREATE, {"i": {"name": "ШМО учителей истории", "kind": "school_association",
                                     "organisationId": school, "subject": "history"}})
    await coordinator(CREATE, {"i": {"name": "Муниципальный методический совет", "kind":
                                     "municipal_methodical_council", "municipalityOktmo": OKTMO}})
    grant = """mutation($id: ID!) { grantSiteStatus(id: $id, input: {kind: BASE, from: "2025-01-01",
                 orderNumber: "1", orderDate: "2024-12-20"}) { id } }"""
    assert "errors" not in await coordinator(grant, {"id": school})
    lists = (await gql("analyst")(LISTS, {"oktmo": OKTMO}))["data"]["municipality"]
    assert lists["bodies"]["totalCount"] == 2 and lists["bodies"]["pageInfo"]["hasNextPage"]
    page = """query($a: String, $m: String) { bodies(first: 1, after: $a, filter: {municipalityOktmo: $m,
                level: MUNICIPAL}) { nodes { id } pageInfo { hasNextPage } } }"""
    cursor = lists["bodies"]["pageInfo"]["endCursor"]
    rest = (await gql("analyst")(page, {"a": cursor, "m": OKTMO}))["data"]["bodies"]
    assert not rest["pageInfo"]["hasNextPage"] and rest["nodes"][0]["id"] != lists["bodies"]["nodes"][0]["id"]
    assert lists["all"]["totalCount"] == 3
    assert lists["school"]["nodes"] == [{"subjectTitle": "история",
                                         "organisation": {"name": "МКОУ СОШ № 5", "bodies": {"totalCount": 1}}}]
    assert lists["sites"]["nodes"] == [{"id": school, "name": "МКОУ СОШ № 5"}]
