"""Staff through GraphQL against the running services: createPerson → hire → municipality.staff → dismiss →
the list as of a date; scope and the audit trail; and no personal data on registry.staff.v1."""
import asyncio
import json
from datetime import date, timedelta

import httpx
import pytest

from tests.conftest import token
from tests.factories import legal_inn, snils
from tests.topics import read_all

pytestmark = pytest.mark.e2e
OKTMO, OTHER = "29708000", "29709000"

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
CREATE = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { id fullName snils youngSpecialist } }"""
HIRE = """mutation($i: HireInput!) { hire(input: $i) { id position positionTitle organisation { id name } } }"""
DISMISS = """mutation($e: ID!, $d: Date!) { dismiss(employmentId: $e, endDate: $d) { endDate } }"""
STAFF = """query($m: String!, $on: Date) { municipality(oktmo: $m) {
  staff(first: 10, asOf: $on, filter: {position: "teacher"}) {
    totalCount nodes { id fullName employments { position rate } } pageInfo { hasNextPage endCursor } } } }"""
PERSON = """query($id: ID!, $on: Date) { person(id: $id, asOf: $on) {
  fullName birthDate snils experience { total pedagogical } youngSpecialist
  employments { id organisation { id name } position positionTitle subjects startDate endDate rate main } } }"""
AUDIT = """query($p: ID) { auditLog(first: 50, personId: $p) { totalCount nodes { role operation resourceId } } }"""


def day(back: int) -> str:
    return (date.today() - timedelta(days=back)).isoformat()


async def test_the_staff_story_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Людиновский район"}, "o": {
        "name": "МКОУ СОШ № 3", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(94_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    await gql()(SETUP, {"m": {"oktmo": OTHER, "name": "Жиздринский район"}, "o": {
        "name": "МКОУ СОШ № 1", "kind": "SCHOOL", "municipalityOktmo": OTHER, "inn": legal_inn(94_002)}})
    methodist = gql("municipal_methodist", municipality=OKTMO)

    person = await methodist(CREATE, {"i": {"lastName": "Лёвина", "firstName": "Дарья", "middleName": "Сергеевна",
                                             "birthDate": "2000-02-02", "snils": snils(501)}})
    assert "errors" not in person, person
    pid = person["data"]["createPerson"]["id"]
    assert person["data"]["createPerson"]["fullName"] == "Лёвина Дарья Сергеевна"
    hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": org, "position": "teacher",
                                         "subjects": ["mathematics"], "rate": 1.0, "main": True,
                                         "startDate": day(30)}})
    assert "errors" not in hired, hired
    assert hired["data"]["hire"]["positionTitle"] == "учитель"
    assert hired["data"]["hire"]["organisation"] == {"id": org, "name": "МКОУ СОШ № 3"}
    eid = hired["data"]["hire"]["id"]

    listed = await methodist(STAFF, {"m": OKTMO})
    assert "errors" not in listed, listed
    staff = listed["data"]["municipality"]["staff"]
    assert staff["totalCount"] == 1 and staff["nodes"][0]["fullName"] == "Лёвина Дарья Сергеевна"
    assert staff["pageInfo"] == {"hasNextPage": False, "endCursor": None}

    read = (await methodist(PERSON, {"id": pid}))["data"]["person"]
    assert read["youngSpecialist"] is True and read["experience"]["pedagogical"] > 0
    assert read["employments"][0]["organisation"] == {"id": org, "name": "МКОУ СОШ № 3"}

    assert "errors" not in await methodist(DISMISS, {"e": eid, "d": day(1)})
    assert (await methodist(STAFF, {"m": OKTMO}))["data"]["municipality"]["staff"]["totalCount"] == 0
    before = (await methodist(STAFF, {"m": OKTMO, "on": day(10)}))["data"]["municipality"]["staff"]
    assert [n["id"] for n in before["nodes"]] == [pid]
    then = (await methodist(PERSON, {"id": pid, "on": day(10)}))["data"]["person"]
    assert then["employments"][0]["endDate"] == day(1)
    # dismissed yesterday: today the methodist no longer reaches her, as of ten days ago they do
    assert (await methodist(PERSON, {"id": pid}))["data"]["person"] is None

    other = gql("municipal_methodist", municipality=OTHER)
    assert (await other(PERSON, {"id": pid, "on": day(10)}))["data"]["person"] is None
    assert (await gql("analyst")(PERSON, {"id": pid, "on": day(10)}))["data"]["person"] is None
    counts = await gql("analyst")("query($m: String) { staffCounts(groupBy: POSITION, municipalityOktmo: $m, "
                                  "asOf: \"" + day(10) + "\") { total groups { key count } } }", {"m": OKTMO})
    assert counts["data"]["staffCounts"] == {"total": 1, "groups": [{"key": "teacher", "count": 1}]}

    trail = (await gql()(AUDIT, {"p": pid}))["data"]["auditLog"]
    assert {"person.get", "staff.list"} <= {n["operation"] for n in trail["nodes"]}
    assert all(n["resourceId"] == pid for n in trail["nodes"])
    refused = await methodist(AUDIT, {"p": pid})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_no_personal_data_on_the_staff_topic(gql, stack, infra, namespace):
    """Import a few rows through the registry, then read registry.staff.v1 as a subscriber would."""
    registry = stack.services["registry"].url
    headers = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
    names = ["Щукина", "Ёжиков", "Прохоров"]
    rows = [{"lastName": n, "firstName": "Тест", "middleName": "Тестович", "birthDate": f"1980-0{i + 1}-1{i}",
             "snils": snils(600 + i), "organisationInn": legal_inn(94_001), "position": "учитель",
             "subjects": "физика", "rate": "0.5", "main": "нет", "startDate": day(5)} for i, n in enumerate(names)]
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(f"{registry}/staff/batch", params={"mode": "VALID_ROWS"}, json=rows, headers=headers)
    assert r.status_code == 200 and r.json()["created"] == 3, r.text
    topic = f"{namespace}.registry.staff.v1"
    records: list = []
    for _ in range(60):  # the relay publishes within moments; wait for all of this test's events
        records = await read_all(infra.bootstrap_servers, topic)
        if sum(1 for rec in records if b"employment.started" in rec.value) >= 4:
            break
        await asyncio.sleep(0.5)
    assert records
    forbidden = [*names, "Лёвина", "Дарья", "Тестович", "1980-01-10", "2000-02-02",
                 *(snils(k) for k in (501, 600, 601, 602)), *(f"{snils(k)[:3]}-{snils(k)[3:6]}" for k in (501, 600))]
    for rec in records:
        text = rec.value.decode()
        assert not [f for f in forbidden if f in text], text
        data = json.loads(text)["data"]
        assert not {"lastName", "firstName", "middleName", "birthDate", "snils", "phone", "email"} & set(data)
    types = {json.loads(rec.value)["type"].split(".")[4] for rec in records}
    assert {"registered", "started", "ended"} <= types
