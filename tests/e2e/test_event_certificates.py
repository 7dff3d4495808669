"""Certificates, feedback and calendars against the running services: a municipal methodist schedules a seminar,
registers two teachers, marks attendance; the gateway issues a certificate to the one who met the attendance rule
with her name read from the registry; the code verifies publicly without a token (and through GraphQL) until it
is revoked; the PDF shows the name and hours; the feedback is aggregated on the event; the calendars list it."""
import io
from datetime import UTC, datetime, timedelta

import httpx
import icalendar
import pypdf
import pytest

from tests.conftest import token
from tests.e2e.test_methodical_events import ATTEND, CREATE, HIRE, REGISTER, SCHEDULE
from tests.e2e.test_staff import SETUP
from tests.factories import legal_inn, snils
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29718000"
NOW = datetime.now(UTC)
ISSUE = """mutation($e: ID!, $p: [ID!]!) { issueCertificates(eventId: $e, personIds: $p) { personId status code
  reason } }"""
VERIFY = """query($c: String!) { verifyCertificate(code: $c) { holder issuer region subject statement
  facts { label value } } }"""
REVOKE = """mutation($e: ID!, $p: ID!) { revokeCertificate(eventId: $e, personId: $p, reason: "выдан ошибочно") }"""
FEEDBACK = """mutation($e: ID!, $p: ID!, $r: Int!) { recordFeedback(eventId: $e, personId: $p, rating: $r,
  comment: "Полезно") }"""
EVENT = """query($id: ID!) { event(id: $id) { feedback { count average distribution } } }"""
REGISTRATIONS = """query($id: ID!) { event(id: $id) { progress progressTitle
  registrations { nodes { person { id } certificateUrl certificateIssuedAt } } } }"""
LINK = """mutation($p: ID!) { rotateCalendarLink(personId: $p) }"""


async def test_a_teacher_gets_a_verifiable_certificate(gql, stack, infra):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Мещовский район"}, "o": {
        "name": "МКОУ СОШ № 3", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(96_101)}})
    assert "errors" not in setup, setup
    school = setup["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    teachers = []
    for n, last in ((801, "Ёлкина"), (802, "Щукина")):
        created = await methodist(CREATE, {"i": {"lastName": last, "firstName": "Анна", "birthDate": "1985-03-03",
                                                  "snils": snils(n)}})
        assert "errors" not in created, created
        pid = created["data"]["createPerson"]["id"]
        hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": school, "position": "teacher",
                                             "startDate": "2016-09-01"}})
        assert "errors" not in hired, hired
        teachers.append(pid)
    done, absent = teachers
    start = NOW - timedelta(days=1)
    scheduled = await methodist(SCHEDULE, {"i": {
        "title": "Семинар «Смысловое чтение»", "form": "seminar", "level": "MUNICIPAL", "organiserId": school,
        "capacity": 10, "format": "IN_PERSON", "place": "Мещовск, СОШ № 3",
        "sessions": [{"startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=4)).isoformat(), "hours": 6}],
        "registrationOpens": (NOW - timedelta(days=10)).isoformat(),
        "registrationCloses": (NOW + timedelta(days=1)).isoformat()}})
    assert "errors" not in scheduled, scheduled
    event = scheduled["data"]["scheduleEvent"]["id"]
    session = scheduled["data"]["scheduleEvent"]["sessions"][0]["id"]

    async def registered():  # the events service learns the teachers from registry.staff.v1
        r = await methodist(REGISTER, {"e": event, "p": teachers})
        answers = r["data"]["registerParticipants"]
        return answers if all(x["status"] == "CONFIRMED" for x in answers) else None

    await eventually(registered)
    attended = await methodist(ATTEND, {"e": event, "s": session, "p": [done]})
    assert attended["data"]["recordAttendance"]["completed"] == [done]

    issued = await methodist(ISSUE, {"e": event, "p": teachers})
    assert "errors" not in issued, issued
    answers = {a["personId"]: a for a in issued["data"]["issueCertificates"]}
    assert answers[done]["status"] == "ISSUED" and answers[absent]["status"] == "REFUSED"
    code = answers[done]["code"]

    events_url = stack.services["events"].url
    async with httpx.AsyncClient(timeout=30) as http:
        public = await http.get(f"{events_url}/certificates/{code}")  # no token
        assert public.status_code == 200, public.text
        assert public.json()["holder"].startswith("Ёлкина Анна")
        assert (await http.get(f"{events_url}/certificates/0000-0000-0000")).status_code == 404
        bearer = {"Authorization": f"Bearer {token(infra, 'municipal_methodist', municipality=OKTMO)}"}
        listed = (await methodist(REGISTRATIONS, {"id": event}))["data"]["event"]
        urls = {n["person"]["id"]: n["certificateUrl"] for n in listed["registrations"]["nodes"]}
        assert (listed["progress"], listed["progressTitle"]) == ("HELD", "проведено")
        assert urls == {done: f"/events/{event}/certificates/{done}.pdf", absent: None}
        pdf = await http.get(f"{events_url}{urls[done]}", headers=bearer)
        assert pdf.status_code == 200
        text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
        assert "Ёлкина Анна" in text and "Объём: 6 ч." in text and code in text and "МКОУ СОШ № 3" in text
        ics = await http.get(f"{events_url}/calendar/municipalities/{OKTMO}.ics")
        assert [str(v["summary"]) for v in icalendar.Calendar.from_ical(ics.content).walk("VEVENT")] == [
            "Семинар «Смысловое чтение»"]
        link = await methodist(LINK, {"p": done})
        personal = await http.get(f"{events_url}/calendar/{link['data']['rotateCalendarLink'].split('/calendar/')[1]}")
        assert len(icalendar.Calendar.from_ical(personal.content).walk("VEVENT")) == 1

    verified = await gql("analyst")(VERIFY, {"c": code})
    assert verified["data"]["verifyCertificate"]["subject"] == "Семинар «Смысловое чтение»"
    assert verified["data"]["verifyCertificate"]["statement"] == "принял(а) участие в мероприятии"
    assert {"label": "Объём", "value": "6 ч."} in verified["data"]["verifyCertificate"]["facts"]

    for person, rating in ((done, 5), (absent, 4)):
        recorded = await methodist(FEEDBACK, {"e": event, "p": person, "r": rating})
        assert "errors" not in recorded, recorded
        assert recorded["data"]["recordFeedback"]
    feedback = (await methodist(EVENT, {"id": event}))["data"]["event"]["feedback"]
    assert feedback == {"count": 2, "average": 4.5, "distribution": [0, 0, 0, 1, 1]}

    assert (await methodist(REVOKE, {"e": event, "p": done}))["data"]["revokeCertificate"] is True
    assert (await gql("analyst")(VERIFY, {"c": code}))["data"]["verifyCertificate"] is None
    after = (await methodist(REGISTRATIONS, {"id": event}))["data"]["event"]["registrations"]["nodes"]
    assert [n["certificateUrl"] for n in after] == [None, None]  # a revoked certificate is no longer offered

    me = (await gql("pedagogue", person=done)("{ me { id hours events { title completed } } }"))["data"]["me"]
    assert me == {"id": done, "hours": 6, "events": [{"title": "Семинар «Смысловое чтение»", "completed": True}]}
    assert (await methodist("{ me { id } }"))["data"]["me"] is None
