"""Methodical events over REST on a real database: the capacity race, quotas, the waiting list's order,
cancellation, the registration window, the audience, scope, attendance and the attendance rule."""
import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from metodset_events.attendance import completed_participants
from tests.conftest import token
from tests.events_app import KALUGA, OBNINSK, events_client, seed_organisation, seed_staff

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
async def ev(infra, namespace):
    async with events_client(infra, namespace) as http:
        http.school = await seed_organisation(http.pool, KALUGA, 1)
        http.other = await seed_organisation(http.pool, OBNINSK, 2)
        http.kaluga = await seed_staff(http.pool, http.school, KALUGA, 10)
        http.obninsk = await seed_staff(http.pool, http.other, OBNINSK, 4)
        yield http


@pytest.fixture(scope="module")
def as_role(infra):
    def headers(role="regional_coordinator", **scope):
        return {"Authorization": f"Bearer {token(infra, role, **scope)}"}
    return headers


def _iso(d: datetime) -> str:
    return d.isoformat()


def event_input(organiser, **over) -> dict:
    body = {
        "title": "Семинар «Функциональная грамотность»", "form": "seminar", "level": "municipal",
        "organiserId": str(organiser), "capacity": 50, "format": "in_person", "place": "Калуга, ИРО",
        "sessions": [{"startsAt": _iso(NOW + timedelta(days=10)), "endsAt": _iso(NOW + timedelta(days=10, hours=6)),
                      "hours": 8}],
        "registrationOpens": _iso(NOW - timedelta(days=1)), "registrationCloses": _iso(NOW + timedelta(days=9)),
    }
    return {**body, **over}


async def schedule(ev, headers, **over) -> dict:
    r = await ev.post("/events", json=event_input(ev.school, **over), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def register(ev, headers, event_id, persons) -> list[dict]:
    r = await ev.post(f"/events/{event_id}/registrations", json={"personIds": [str(p) for p in persons]},
                      headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_200_concurrent_registrations_for_50_places(ev, as_role):
    coordinator = as_role()
    school = await seed_organisation(ev.pool, KALUGA, 50)
    persons = await seed_staff(ev.pool, school, KALUGA, 200)
    event = await schedule(ev, coordinator, capacity=50)

    answers = await asyncio.gather(*(register(ev, coordinator, event["id"], [p]) for p in persons))

    results = [a[0] for a in answers]
    assert [r["status"] for r in results].count("confirmed") == 50
    waiting = [r for r in results if r["status"] == "waitlisted"]
    assert len(waiting) == 150 and all(r["reason"] == "full" and "лист ожидания" in r["message"] for r in waiting)
    assert sorted(r["waitingPosition"] for r in waiting) == list(range(1, 151))
    held = await ev.pool.fetchval("select count(*) from event_registrations where event_id = $1 and status = "
                                  "'confirmed'", uuid.UUID(event["id"]))
    assert held == 50
    # the waiting list's order is the order of arrival: the position each caller was told
    order = await ev.pool.fetch("select person_id from event_registrations where event_id = $1 and "
                                "status = 'waitlisted' order by arrival", uuid.UUID(event["id"]))
    told = {r["personId"]: r["waitingPosition"] for r in waiting}
    assert [told[str(r["person_id"])] for r in order] == list(range(1, 151))
    got = (await ev.get(f"/events/{event['id']}", headers=coordinator)).json()
    assert (got["placesLeft"], got["waiting"]) == (0, 150)


async def test_the_waiting_list_moves_up_in_order_when_places_free(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator, capacity=2)
    p = ev.kaluga[:5]
    results = await register(ev, coordinator, event["id"], p)
    assert [r["status"] for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [r["waitingPosition"] for r in results[2:]] == [1, 2, 3]

    r = await ev.delete(f"/events/{event['id']}/registrations/{p[0]}", headers=coordinator)
    assert r.json()["promoted"] == [str(p[2])]
    r = await ev.delete(f"/events/{event['id']}/registrations/{p[1]}", headers=coordinator)
    assert r.json()["promoted"] == [str(p[3])]
    r = await ev.patch(f"/events/{event['id']}", json={"capacity": 3}, headers=coordinator)
    assert r.status_code == 200 and r.json()["placesLeft"] == 0
    regs = {x["personId"]: x["status"] for x in
            (await ev.get(f"/events/{event['id']}/registrations", headers=coordinator)).json()["items"]}
    assert [regs[str(x)] for x in p] == ["cancelled", "cancelled", "confirmed", "confirmed", "confirmed"]
    notices = await ev.pool.fetch("select person_id, kind from event_notices where event_id = $1 order by id",
                                  uuid.UUID(event["id"]))
    assert [(n["person_id"], n["kind"]) for n in notices if n["kind"] == "promoted"] == [
        (p[2], "promoted"), (p[3], "promoted"), (p[4], "promoted")]
    # registering again after a cancellation queues anew
    again = await register(ev, coordinator, event["id"], [p[0]])
    assert again[0]["status"] == "waitlisted" and again[0]["waitingPosition"] == 1


async def test_quotas_per_municipality_are_kept(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator, level="regional",
                           quotas=[{"municipalityOktmo": KALUGA, "places": 2}, {"municipalityOktmo": OBNINSK,
                                                                                "places": 1}])
    results = await register(ev, coordinator, event["id"], [*ev.kaluga[:3], *ev.obninsk[:2]])
    assert [r["status"] for r in results] == ["confirmed", "confirmed", "refused", "confirmed", "refused"]
    assert results[2]["reason"] == "quota_used" and "Квота" in results[2]["message"]
    got = (await ev.get(f"/events/{event['id']}", headers=coordinator)).json()
    assert {q["municipalityOktmo"]: q["used"] for q in got["quotas"]} == {KALUGA: 2, OBNINSK: 1}


async def test_the_window_and_the_audience_refuse_with_the_reason(ev, as_role):
    coordinator = as_role()
    closed = await schedule(ev, coordinator, registrationOpens=_iso(NOW - timedelta(days=5)),
                            registrationCloses=_iso(NOW - timedelta(days=1)))
    early = await schedule(ev, coordinator, registrationOpens=_iso(NOW + timedelta(days=1)),
                           registrationCloses=_iso(NOW + timedelta(days=5)))
    assert (await register(ev, coordinator, closed["id"], ev.kaluga[:1]))[0]["reason"] == "window_closed"
    [refused] = await register(ev, coordinator, early["id"], ev.kaluga[:1])
    assert refused["status"] == "refused" and refused["reason"] == "not_open_yet" and "ещё не открыта" in \
        refused["message"]

    physicists = await seed_staff(ev.pool, ev.school, KALUGA, 1, subjects=("physics",))
    maths = await schedule(ev, coordinator, audience={"positions": ["teacher"], "subjects": ["mathematics"]})
    results = await register(ev, coordinator, maths["id"], [ev.kaluga[0], physicists[0]])
    assert [r["status"] for r in results] == ["confirmed", "refused"]
    assert results[1]["reason"] == "outside_audience" and "аудитори" in results[1]["message"]


async def test_a_methodist_registers_only_their_municipality_staff(ev, as_role):
    methodist = as_role("municipal_methodist", municipality=OBNINSK)
    event = await schedule(ev, as_role(), level="regional")
    results = await register(ev, methodist, event["id"], [ev.obninsk[0], ev.kaluga[0], uuid.uuid4()])
    assert [r["status"] for r in results] == ["confirmed", "refused", "refused"]
    assert results[1]["reason"] == results[2]["reason"] == "unknown_person"  # out of reach looks like unknown
    admin = as_role("organisation_admin", organisation=str(ev.school))
    assert (await register(ev, admin, event["id"], [ev.kaluga[1]]))[0]["status"] == "confirmed"
    # a methodist of another municipality does not manage the Kaluga school's event, nor sees Kaluga's registrations
    r = await ev.patch(f"/events/{event['id']}", json={"capacity": 60}, headers=methodist)
    assert r.status_code == 403
    seen = (await ev.get(f"/events/{event['id']}/registrations", headers=methodist)).json()["items"]
    assert [x["personId"] for x in seen] == [str(ev.obninsk[0])]
    r = await ev.post("/events", json=event_input(ev.school), headers=methodist)
    assert r.status_code == 403


async def test_cancelling_an_event_cancels_registrations_with_a_notice(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator, capacity=1)
    await register(ev, coordinator, event["id"], ev.kaluga[:2])
    r = await ev.post(f"/events/{event['id']}/cancel", headers=coordinator)
    assert r.json()["status"] == "cancelled"
    statuses = await ev.pool.fetch("select status from event_registrations where event_id = $1",
                                   uuid.UUID(event["id"]))
    assert {s["status"] for s in statuses} == {"cancelled"}
    kinds = await ev.pool.fetch("select kind from event_notices where event_id = $1", uuid.UUID(event["id"]))
    assert [k["kind"] for k in kinds] == ["cancelled", "cancelled"]
    teacher = as_role("pedagogue", person=str(ev.kaluga[1]))  # the waitlisted one reads the notice too
    mine = (await ev.get(f"/persons/{ev.kaluga[1]}/events", headers=teacher)).json()
    assert [(n["eventId"], n["kind"]) for n in mine["notices"]][:1] == [(event["id"], "cancelled")]
    assert "отменено" in mine["notices"][0]["message"]
    types = await ev.pool.fetch("select event_type from outbox where key = $1 order by seq", event["id"])
    assert [t["event_type"] for t in types][-3:] == [
        "ru.metodset.events.event.cancelled.v1", "ru.metodset.events.registration.cancelled.v1",
        "ru.metodset.events.registration.cancelled.v1"]
    assert (await register(ev, coordinator, event["id"], ev.kaluga[2:3]))[0]["reason"] == "event_cancelled"


async def test_a_change_notifies_the_registered(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator)
    await register(ev, coordinator, event["id"], ev.kaluga[:2])
    r = await ev.patch(f"/events/{event['id']}", json={"place": "Онлайн", "format": "online"}, headers=coordinator)
    assert r.json()["version"] == 2 and r.json()["format"] == "online"
    notices = await ev.pool.fetch("select message from event_notices where event_id = $1 and kind = 'changed'",
                                  uuid.UUID(event["id"]))
    assert len(notices) == 2 and "format" in notices[0]["message"]


async def test_attendance_credits_hours_and_the_rule_completes(ev, as_role):
    coordinator = as_role()
    past = NOW - timedelta(days=3)
    event = await schedule(ev, coordinator, sessions=[
        {"startsAt": _iso(past), "endsAt": _iso(past + timedelta(hours=8)), "hours": 12},
        {"startsAt": _iso(past + timedelta(days=1)), "endsAt": _iso(past + timedelta(days=1, hours=4)), "hours": 4}],
        attendancePercent=75, registrationOpens=_iso(NOW - timedelta(days=10)))
    first, second = (s["id"] for s in event["sessions"])
    a, b, c = ev.kaluga[:3]
    await register(ev, coordinator, event["id"], [a, b, c])
    r = await ev.post(f"/events/{event['id']}/attendance", json={"sessionId": first, "personIds": [str(a)]},
                      headers=coordinator)
    assert r.json() == {"marked": [str(a)], "completed": [str(a)]}  # 12 of 16 hours: 75 %
    r = await ev.post(f"/events/{event['id']}/attendance", json={"sessionId": second, "personIds": [str(a), str(b)]},
                      headers=coordinator)
    assert r.json()["completed"] == []  # 4 of 16 hours for b
    outsider = await ev.post(f"/events/{event['id']}/attendance",
                             json={"sessionId": second, "personIds": [str(ev.kaluga[9])]}, headers=coordinator)
    assert outsider.status_code == 422 and "Не записаны" in outsider.text
    assert (await ev.post(f"/events/{event['id']}/complete", headers=coordinator)).json() == {"completed": []}
    async with ev.pool.acquire() as conn:
        assert await completed_participants(conn, uuid.UUID(event["id"])) == [(a, 16)]
    mine = (await ev.get(f"/persons/{a}/events", headers=coordinator)).json()
    assert mine["hours"] == 16 and [i["completed"] for i in mine["items"] if i["eventId"] == event["id"]] == [True]
    done = await ev.pool.fetch("select value from outbox where event_type = 'ru.metodset.events.participation"
                               ".completed.v1' and key = $1", event["id"])
    assert len(done) == 1 and b'"programmeHours":16' in done[0]["value"] and b"lastName" not in done[0]["value"]


async def test_check_in_at_the_door_with_the_session_code(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator, sessions=[
        {"startsAt": _iso(NOW - timedelta(minutes=10)), "endsAt": _iso(NOW + timedelta(hours=2)), "hours": 2}])
    session = event["sessions"][0]
    assert session["checkInCode"]  # the organiser sees the code
    person = ev.obninsk[3]
    await register(ev, coordinator, event["id"], [person])
    methodist = as_role("municipal_methodist", municipality=OBNINSK)
    assert (await ev.get(f"/events/{event['id']}", headers=methodist)).json()["sessions"][0]["checkInCode"] is None
    wrong = await ev.post(f"/sessions/{session['id']}/check-in", json={"code": "000000", "personId": str(person)},
                          headers=methodist)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "code"]
    r = await ev.post(f"/sessions/{session['id']}/check-in",
                      json={"code": session["checkInCode"].lower(), "personId": str(person)}, headers=methodist)
    assert r.status_code == 200 and r.json()["marked"] == [str(person)]
    hours = await ev.pool.fetchval("select hours from event_registrations where person_id = $1 and event_id = $2",
                                   person, uuid.UUID(event["id"]))
    assert hours == 2


async def test_events_list_filters_and_pages(ev, as_role):
    coordinator = as_role()
    far = NOW + timedelta(days=400)
    ids = []
    for i in range(3):
        day = far + timedelta(days=i)
        sessions = [{"startsAt": _iso(day), "endsAt": _iso(day + timedelta(hours=2)), "hours": 2}]
        ids.append((await schedule(ev, coordinator, form="master_class", sessions=sessions))["id"])
    seen, after = [], None
    while True:
        params = {"from": (far - timedelta(days=1)).date().isoformat(), "form": "master_class", "limit": 2,
                  "municipality": KALUGA}
        if after:
            params["after"] = after
        page = (await ev.get("/events", params=params, headers=coordinator)).json()
        seen += [i["id"] for i in page["items"]]
        assert page["totalCount"] == 3
        after = page["nextCursor"]
        if not after:
            break
    assert seen == ids
    assert (await ev.get("/events", params={"municipality": OBNINSK, "form": "master_class"},
                         headers=coordinator)).json()["totalCount"] == 0




async def test_approval_holds_a_place_until_the_organiser_approves(ev, as_role):
    coordinator = as_role()
    event = await schedule(ev, coordinator, capacity=1, requiresApproval=True)
    a, b = ev.obninsk[:2]
    results = await register(ev, coordinator, event["id"], [a, b])
    assert [r["status"] for r in results] == ["pending", "waitlisted"]
    r = await ev.post(f"/events/{event['id']}/registrations/{a}/approve", headers=coordinator)
    assert r.status_code == 204
    again = await ev.post(f"/events/{event['id']}/registrations/{a}/approve", headers=coordinator)
    assert again.status_code == 409
    confirmed = await ev.pool.fetchval("select count(*) from outbox where key = $1 and event_type = "
                                       "'ru.metodset.events.registration.confirmed.v1'", event["id"])
    assert confirmed == 1


async def test_an_unknown_organiser_or_form_is_named(ev, as_role):
    r = await ev.post("/events", json=event_input(uuid.uuid4()), headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "organiserId"]
    r = await ev.post("/events", json=event_input(ev.school, form="picnic"), headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "form"]
    r = await ev.post("/events", json=event_input(ev.school, registrationCloses=_iso(NOW - timedelta(days=3))),
                      headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "registrationCloses"]


async def test_a_pedagogue_registers_themselves_checks_in_and_cancels_but_no_one_else(ev, as_role):
    me, colleague = ev.kaluga[7], ev.kaluga[8]
    teacher = as_role("pedagogue", person=str(me))
    event = await schedule(ev, as_role(), sessions=[
        {"startsAt": _iso(NOW - timedelta(minutes=5)), "endsAt": _iso(NOW + timedelta(hours=1)), "hours": 1}])
    results = await register(ev, teacher, event["id"], [me, colleague])
    assert [(r["status"], r["reason"]) for r in results] == [("confirmed", None), ("refused", "unknown_person")]
    code = event["sessions"][0]["checkInCode"]
    for person, status in ((colleague, 404), (me, 200)):  # a colleague's check-in is out of reach
        r = await ev.post(f"/sessions/{event['sessions'][0]['id']}/check-in",
                          json={"code": code, "personId": str(person)}, headers=teacher)
        assert r.status_code == status, r.text
    mine = (await ev.get(f"/persons/{me}/events", headers=teacher)).json()
    assert [(i["eventId"], i["hours"]) for i in mine["items"]] == [(event["id"], 1)]
    theirs = (await ev.get(f"/persons/{colleague}/events", headers=teacher)).json()  # out of reach: as with none
    assert (theirs["items"], theirs["hours"]) == ([], 0)
    assert (await ev.delete(f"/events/{event['id']}/registrations/{colleague}", headers=teacher)).status_code == 404
    r = await ev.delete(f"/events/{event['id']}/registrations/{me}", headers=teacher)
    assert r.status_code == 200 and r.json()["cancelled"] is True
    assert (await ev.patch(f"/events/{event['id']}", json={"capacity": 60}, headers=teacher)).status_code == 403
