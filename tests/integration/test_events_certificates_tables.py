"""Certificates, calendars and feedback on the events core's own tables (migration 006) and the registry
projection (migration 002): completion, names of organisers, employments and registrations read from them."""
import uuid
from datetime import UTC, datetime

import icalendar
import pytest

from tests.events_app import events_client
from tests.registry_app import KALUGA, OBNINSK, bearer

pytestmark = pytest.mark.integration
CENTRE, SCHOOL = uuid.uuid4(), uuid.uuid4()
DONE, HALF = uuid.uuid4(), uuid.uuid4()
EVENT, S1, S2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


async def _seed(conn):
    await conn.execute("insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active,"
                       " version) values ($1, $2, 'methodical_centre', 'МКУ «Центр развития образования»', true, 1),"
                       " ($3, $2, 'school', 'МБОУ СОШ № 1', true, 1)", CENTRE, KALUGA, SCHOOL)
    for person in (DONE, HALF):
        await conn.execute("insert into registry_employments (employment_id, person_id, organisation_id,"
                           " municipality_oktmo, position, start_date, version) values ($1, $2, $3, $4, 'teacher',"
                           " '2020-09-01', 1)", uuid.uuid4(), person, SCHOOL, KALUGA)
    starts, ends = datetime(2027, 3, 12, 7, tzinfo=UTC), datetime(2027, 3, 13, 11, tzinfo=UTC)
    await conn.execute(
        "insert into methodical_events (id, form, title, level, organiser_organisation_id, municipality_oktmo, format,"
        " place, capacity, registration_opens, registration_closes, starts_at, ends_at, starts_key, hours, created_by,"
        " version) values ($1, 'seminar', 'Семинар «Читательская грамотность»', 'municipal', $2, $3, 'in_person',"
        " 'Калуга', 30, $4, $4, $4, $5, $6, 8, 'm', 3)", EVENT, CENTRE, KALUGA, starts, ends, starts.isoformat())
    for session, day in ((S1, 12), (S2, 13)):
        await conn.execute("insert into event_sessions (id, event_id, position, starts_at, ends_at, hours,"
                           " check_in_code) values ($1, $2, $3, $4, $5, 4, 'x')", session, EVENT, day,
                           datetime(2027, 3, day, 7, tzinfo=UTC), datetime(2027, 3, day, 11, tzinfo=UTC))
    for person, hours, completed in ((DONE, 8, datetime.now(UTC)), (HALF, 4, None)):
        await conn.execute("insert into event_registrations (id, event_id, person_id, municipality_oktmo, status,"
                           " arrival, registered_by, hours, completed_at) values ($1, $2, $3, $4, 'confirmed',"
                           " nextval('event_registration_arrival'), 'm', $5, $6)",
                           uuid.uuid4(), EVENT, person, KALUGA, hours, completed)


@pytest.fixture(scope="module")
async def events(infra, namespace):
    async with events_client(infra, namespace) as http:
        async with http.pool.acquire() as conn:
            await _seed(conn)
        yield http


async def test_certificates_follow_the_core_s_completion_and_name_the_organiser(events, infra):
    kaluga = bearer(infra, "municipal_methodist", municipality=KALUGA)
    holders = [{"personId": str(DONE), "fullName": "Кузнецова Анна"}, {"personId": str(HALF), "fullName": "Орлов Иван"}]
    answer = await events.post(f"/events/{EVENT}/certificates", json={"holders": holders}, headers=kaluga)
    assert answer.status_code == 200, answer.text
    by_person = {a["personId"]: a for a in answer.json()["items"]}
    assert by_person[str(DONE)]["status"] == "ISSUED" and by_person[str(HALF)]["status"] == "REFUSED"
    verified = await events.get(f"/certificates/{by_person[str(DONE)]['code']}")
    assert verified.status_code == 200, verified.text
    shown = verified.json()
    assert shown["issuer"] == "МКУ «Центр развития образования»"
    assert {"label": "Объём", "value": "8 ч."} in shown["facts"]
    school = bearer(infra, "organisation_admin", organisation=str(SCHOOL))
    assert (await events.get(f"/events/{EVENT}/certificates/{DONE}.pdf", headers=school)).status_code == 200
    other = bearer(infra, "municipal_methodist", municipality=OBNINSK)
    assert (await events.get(f"/events/{EVENT}/certificates/{DONE}.pdf", headers=other)).status_code == 404
    assert (await events.get("/events/not-a-uuid/certificates", headers=kaluga)).status_code == 404


async def test_calendars_read_the_core_s_sessions(events, infra):
    municipal = icalendar.Calendar.from_ical((await events.get(f"/calendar/municipalities/{KALUGA}.ics")).content)
    assert len(municipal.walk("VEVENT")) == 2 and int(municipal.walk("VEVENT")[0]["sequence"]) == 3
    organiser = icalendar.Calendar.from_ical((await events.get(f"/calendar/organisers/{CENTRE}.ics")).content)
    assert {str(v["uid"]) for v in organiser.walk("VEVENT")} == {str(v["uid"]) for v in municipal.walk("VEVENT")}
    assert icalendar.Calendar.from_ical((await events.get(f"/calendar/municipalities/{OBNINSK}.ics")).content
                                        ).walk("VEVENT") == []
    link = (await events.post(f"/people/{HALF}/calendar-token",
                              headers=bearer(infra, "organisation_admin", organisation=str(SCHOOL)))).json()["url"]
    personal = await events.get(link.removeprefix("http://localhost:8002"))
    assert len(icalendar.Calendar.from_ical(personal.content).walk("VEVENT")) == 2


async def test_feedback_from_a_registered_participant(events, infra):
    kaluga = bearer(infra, "municipal_methodist", municipality=KALUGA)
    assert (await events.put(f"/events/{EVENT}/feedback/{HALF}", json={"rating": 4, "comment": "Интересно"},
                             headers=kaluga)).status_code == 204
    stranger = await events.put(f"/events/{EVENT}/feedback/{uuid.uuid4()}", json={"rating": 4}, headers=bearer(infra))
    assert stranger.status_code == 422 and stranger.json()["detail"][0]["type"] == "not_participant"
    summary = (await events.get(f"/events/{EVENT}/feedback", headers=kaluga)).json()
    assert summary["count"] == 1 and summary["average"] == 4.0
