"""Professional growth through GraphQL against the running services: recordCourse → person.courses and
courseDue → municipality.staff(filter: {courseOverdue}) → awardCategory → municipality.attestationDue; scope
(another municipality's methodist sees nothing) and no names or certificate numbers on registry.staff.v1."""
import asyncio
import json
from datetime import date, timedelta

import pytest

from metodset_registry.domain.courses import add_years
from tests.e2e.test_staff import SETUP
from tests.factories import legal_inn, snils
from tests.topics import read_all

pytestmark = pytest.mark.e2e
OKTMO, OTHER = "29712000", "29713000"

CREATE = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"""
HIRE = """mutation($i: HireInput!) { hire(input: $i) { id } }"""
RECORD = """mutation($i: RecordCourseInput!) { recordCourse(input: $i) {
  id kind programme provider hours startDate endDate certificateNumber } }"""
PERSON = """query($id: ID!) { person(id: $id) {
  courses(first: 10) { totalCount nodes { programme provider hours startDate endDate kind certificateNumber } }
  courseDue courseOverdue category { code name awardedOn expiresOn } } }"""
OVERDUE = """query($m: String!, $o: Boolean!) { municipality(oktmo: $m) {
  staff(first: 50, filter: {courseOverdue: $o}) { totalCount nodes { id } } } }"""
AWARD = """mutation($i: AwardCategoryInput!) { awardCategory(input: $i) { code name awardedOn expiresOn current } }"""
AS_OF = """query($id: ID!, $d: Date!, $t: Date!) { person(id: $id, asOf: $d) { courseDue courseOverdue
  category { code } today: courseOverdue(asOf: $t) } }"""
DUE = """query($m: String!, $w: Int!) { municipality(oktmo: $m) {
  attestationDue(withinMonths: $w, first: 10) { totalCount nodes { personId fullName category categoryName expiresOn
  expired } pageInfo { hasNextPage } } } }"""


async def test_courses_and_attestation_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Козельский район"}, "o": {
        "name": "МКОУ СОШ № 5", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(95_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    await gql()(SETUP, {"m": {"oktmo": OTHER, "name": "Мещовский район"}, "o": {
        "name": "МКОУ СОШ № 6", "kind": "SCHOOL", "municipalityOktmo": OTHER, "inn": legal_inn(95_002)}})
    methodist = gql("municipal_methodist", municipality=OKTMO)
    people = []
    for n, last in ((601, "Грачёва"), (602, "Дроздова")):
        created = await methodist(CREATE, {"i": {"lastName": last, "firstName": "Ольга", "birthDate": "1979-04-04",
                                                  "snils": snils(n)}})
        assert "errors" not in created, created
        pid = created["data"]["createPerson"]["id"]
        hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": org, "position": "teacher",
                                             "startDate": "2010-09-01"}})
        assert "errors" not in hired, hired
        people.append(pid)
    done, never = people

    end = add_years(date.today(), -3)  # exactly three years ago: due today, not yet overdue
    recorded = await methodist(RECORD, {"i": {
        "personId": done, "programme": "Школа Минпросвещения России", "provider": "КИРО", "hours": 72,
        "startDate": (end - timedelta(days=14)).isoformat(), "endDate": end.isoformat(), "kind": "UPGRADE",
        "certificateNumber": "УД-77-0001"}})
    assert "errors" not in recorded, recorded
    assert recorded["data"]["recordCourse"]["hours"] == 72
    short = await methodist(RECORD, {"i": {
        "personId": never, "programme": "Вебинар", "hours": 8, "startDate": end.isoformat(),
        "endDate": end.isoformat(), "kind": "UPGRADE"}})
    assert short["errors"][0]["extensions"]["field"] == "hours", short

    person = (await methodist(PERSON, {"id": done}))["data"]["person"]
    assert person["courses"]["totalCount"] == 1
    assert person["courses"]["nodes"][0] == {
        "programme": "Школа Минпросвещения России", "provider": "КИРО", "hours": 72,
        "startDate": (end - timedelta(days=14)).isoformat(), "endDate": end.isoformat(), "kind": "UPGRADE",
        "certificateNumber": "УД-77-0001"}
    assert (person["courseDue"], person["courseOverdue"], person["category"]) == (date.today().isoformat(), False, None)

    overdue = (await methodist(OVERDUE, {"m": OKTMO, "o": True}))["data"]["municipality"]["staff"]
    assert [n["id"] for n in overdue["nodes"]] == [never]
    in_time = (await methodist(OVERDUE, {"m": OKTMO, "o": False}))["data"]["municipality"]["staff"]
    assert [n["id"] for n in in_time["nodes"]] == [done]

    awarded_on = add_years(date.today(), -5) + timedelta(days=30)  # expires in 29 days
    award = await methodist(AWARD, {"i": {"personId": done, "category": "first", "awardedOn": awarded_on.isoformat(),
                                          "orderNumber": "№ 45-к"}})
    assert "errors" not in award, award
    assert award["data"]["awardCategory"] == {
        "code": "first", "name": "первая квалификационная категория", "awardedOn": awarded_on.isoformat(),
        "expiresOn": (date.today() + timedelta(days=29)).isoformat(), "current": True}
    on = {"id": done, "t": date.today().isoformat()}
    before = (await methodist(AS_OF, {**on, "d": (awarded_on - timedelta(days=1)).isoformat()}))["data"]["person"]
    assert before == {"courseDue": None, "courseOverdue": True, "category": None, "today": False}  # person's asOf
    on_award = (await methodist(AS_OF, {**on, "d": end.isoformat()}))["data"]["person"]  # the course's last day
    assert (on_award["courseDue"], on_award["category"]) == (add_years(end, 3).isoformat(), {"code": "first"})
    due = (await methodist(DUE, {"m": OKTMO, "w": 1}))["data"]["municipality"]["attestationDue"]
    assert due["totalCount"] == 1 and due["nodes"][0]["personId"] == done
    assert (due["nodes"][0]["fullName"], due["nodes"][0]["expired"]) == ("Грачёва Ольга", False)
    assert (await methodist(DUE, {"m": OKTMO, "w": 0}))["data"]["municipality"]["attestationDue"]["totalCount"] == 0

    stranger = gql("municipal_methodist", municipality=OTHER)
    assert (await stranger(PERSON, {"id": done}))["data"]["person"] is None
    refused = await stranger(DUE, {"m": OKTMO, "w": 12})
    assert refused.get("errors"), refused

    topic, events = f"{namespace}.registry.staff.v1", []
    for _ in range(60):  # the relay publishes within moments; wait for this test's two events
        events = [json.loads(r.value) for r in await read_all(infra.bootstrap_servers, topic)
                  if done.encode() in r.value and (b"course.completed" in r.value or b"category.awarded" in r.value)]
        if len(events) >= 2:
            break
        await asyncio.sleep(0.5)
    assert {e["type"].split(".")[3] for e in events} == {"course", "category"}, events
    assert not [f for f in ("УД-77-0001", "Грачёва", "1979-04-04", snils(601)) if f in json.dumps(events,
                                                                                                  ensure_ascii=False)]
