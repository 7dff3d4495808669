"""Methodical events through GraphQL against the running services: a municipal methodist schedules a seminar
with two sessions, registers their teachers within the quota (the events service knows them from its own
projection of the registry's topics), marks attendance; those who met the attendance rule are completed with
hours, and the ≥16-hour programme becomes a course record in the registry through events.methodical.v1."""
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.test_staff import SETUP
from tests.factories import legal_inn, snils
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29716000"
NOW = datetime.now(UTC)

CREATE = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"""
HIRE = """mutation($i: HireInput!) { hire(input: $i) { id } }"""
SCHEDULE = """mutation($i: ScheduleEventInput!) { scheduleEvent(input: $i) {
  id capacity placesLeft hours sessions { id hours checkInCode } quotas { municipalityOktmo places used } } }"""
REGISTER = """mutation($e: ID!, $p: [ID!]!) { registerParticipants(eventId: $e, personIds: $p) {
  personId status reason message waitingPosition } }"""
ATTEND = """mutation($e: ID!, $s: ID!, $p: [ID!]!) { recordAttendance(eventId: $e, sessionId: $s, personIds: $p) {
  marked completed } }"""
EVENT = """query($id: ID!) { event(id: $id) { title capacity placesLeft sessions { startsAt hours }
  registrations(first: 10) { totalCount nodes { person { id fullName } status hours completed } } } }"""
CALENDAR = """query($m: String!) { events(filter: {municipalityOktmo: $m, level: MUNICIPAL}, first: 5) {
  totalCount nodes { id title formTitle } pageInfo { hasNextPage } } }"""
CHANGE = """mutation($id: ID!, $i: ChangeEventInput!) { changeEvent(id: $id, input: $i) { version capacity
  placesLeft place } }"""
AUDIT = """query($p: ID) { auditLog(first: 20, personId: $p) { nodes { role resource } } }"""
PERSON = """query($id: ID!) { person(id: $id) { events { title completed hours programmeHours } hours
  courses(first: 5) { nodes { programme hours kind } } } }"""


def _iso(d: datetime) -> str:
    return d.isoformat()


async def test_a_seminar_from_schedule_to_course_record(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Людиновский район"}, "o": {
        "name": "МКОУ СОШ № 7", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(96_001)}})
    assert "errors" not in setup, setup
    school = setup["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    teachers = []
    for n, last in ((701, "Жукова"), (702, "Зайцева"), (703, "Ильина")):
        created = await methodist(CREATE, {"i": {"lastName": last, "firstName": "Мария", "birthDate": "1984-02-02",
                                                  "snils": snils(n)}})
        assert "errors" not in created, created
        pid = created["data"]["createPerson"]["id"]
        hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": school, "position": "teacher",
                                             "startDate": "2015-09-01"}})
        assert "errors" not in hired, hired
        teachers.append(pid)
    a, b, c = teachers

    start = NOW - timedelta(days=2)
    scheduled = await methodist(SCHEDULE, {"i": {
        "title": "Семинар «Формирующее оценивание»", "form": "seminar", "level": "MUNICIPAL",
        "organiserId": school, "capacity": 10, "format": "IN_PERSON", "place": "Людиново, СОШ № 7",
        "sessions": [{"startsAt": _iso(start), "endsAt": _iso(start + timedelta(hours=8)), "hours": 12},
                     {"startsAt": _iso(start + timedelta(days=1)),
                      "endsAt": _iso(start + timedelta(days=1, hours=6)), "hours": 8}],
        "registrationOpens": _iso(NOW - timedelta(days=10)), "registrationCloses": _iso(NOW + timedelta(days=1)),
        "quotas": [{"municipalityOktmo": OKTMO, "places": 2}]}})
    assert "errors" not in scheduled, scheduled
    event = scheduled["data"]["scheduleEvent"]
    assert (event["hours"], event["placesLeft"]) == (20, 10)
    first, second = (s["id"] for s in event["sessions"])

    async def registered():  # the events service learns the teachers from registry.staff.v1
        r = await methodist(REGISTER, {"e": event["id"], "p": [a, b, c]})
        assert "errors" not in r, r
        answers = r["data"]["registerParticipants"]
        return answers if all(x["reason"] != "unknown_person" for x in answers) else None

    answers = await eventually(registered)
    assert [x["status"] for x in answers] == ["CONFIRMED", "CONFIRMED", "REFUSED"]
    assert answers[2]["reason"] == "quota_used" and "Квота" in answers[2]["message"]

    got = await methodist(EVENT, {"id": event["id"]})
    assert "errors" not in got, got
    regs = got["data"]["event"]["registrations"]["nodes"]
    assert [(r["person"]["fullName"].split()[0], r["status"]) for r in regs] == [
        ("Жукова", "CONFIRMED"), ("Зайцева", "CONFIRMED")]  # names from the registry, read with the caller's token
    trail = (await gql()(AUDIT, {"p": b}))["data"]["auditLog"]["nodes"]
    assert {"role": "municipal_methodist", "resource": "person"} in trail  # the name's read is audited there
    assert got["data"]["event"]["placesLeft"] == 8
    changed = await methodist(CHANGE, {"id": event["id"], "i": {"capacity": 12, "place": "Людиново, ДДТ"}})
    assert changed["data"]["changeEvent"] == {"version": 2, "capacity": 12, "placesLeft": 10, "place": "Людиново, ДДТ"}

    one = await methodist(ATTEND, {"e": event["id"], "s": first, "p": [a, b]})
    assert one["data"]["recordAttendance"]["completed"] == []  # 12 of 20 hours: under 75 %
    two = await methodist(ATTEND, {"e": event["id"], "s": second, "p": [a]})
    assert two["data"]["recordAttendance"]["completed"] == [a]

    person = await methodist(PERSON, {"id": a})
    assert "errors" not in person, person
    assert person["data"]["person"]["hours"] == 20
    assert person["data"]["person"]["events"] == [
        {"title": "Семинар «Формирующее оценивание»", "completed": True, "hours": 20, "programmeHours": 20}]

    async def course():
        p = await methodist(PERSON, {"id": a})
        return p["data"]["person"]["courses"]["nodes"]

    assert await eventually(course) == [{"programme": "Семинар «Формирующее оценивание»", "hours": 20,
                                         "kind": "UPGRADE"}]
    assert (await methodist(PERSON, {"id": b}))["data"]["person"]["courses"]["nodes"] == []

    calendar = await gql("organisation_admin", organisation=school)(CALENDAR, {"m": OKTMO})
    assert "errors" not in calendar, calendar
    assert [n["id"] for n in calendar["data"]["events"]["nodes"]] == [event["id"]]
    assert calendar["data"]["events"]["nodes"][0]["formTitle"] == "семинар"

    topic = await read_all(infra.bootstrap_servers, f"{namespace}.events.methodical.v1")
    values = b"".join(r.value for r in topic)
    assert b"participation.completed" in values and b"registration.confirmed" in values
    assert "Жукова".encode() not in values and b"snils" not in values.lower()
