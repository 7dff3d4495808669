"""Certificates of participation, their public verification, iCal feeds and feedback on the events service, with
the events core's facts given as fixtures."""
import io
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import icalendar
import pypdf
import pytest
import zxingcpp

from metodset_events.facts import Completed, Employment, EventInfo, Session
from metodset_kit import audit
from metodset_kit.documents import new_code
from tests.events_app import events_client
from tests.integration.events_facts import FixtureFacts
from tests.registry_app import KALUGA, OBNINSK, bearer

pytestmark = pytest.mark.integration
SCHOOL, OBNINSK_SCHOOL, CENTRE = (str(uuid.uuid4()) for _ in range(3))
IVANOVA, PETROV, SIDOROV = (str(uuid.uuid4()) for _ in range(3))
SEMINAR = str(uuid.uuid4())
FULL_NAMES = {IVANOVA: "Иванова Мария Петровна", PETROV: "Петров Пётр Ильич", SIDOROV: "Сидоров Семён Юрьевич"}


def _facts() -> FixtureFacts:
    sessions = [Session("s1", datetime(2027, 3, 12, 7, 0, tzinfo=UTC), datetime(2027, 3, 12, 11, 0, tzinfo=UTC), 4),
                Session("s2", datetime(2027, 3, 13, 7, 0, tzinfo=UTC), datetime(2027, 3, 13, 11, 0, tzinfo=UTC), 4)]
    seminar = EventInfo(SEMINAR, "Семинар «Функциональная грамотность»", CENTRE, "МБУ «Методический центр»", KALUGA,
                        place="Калуга, ул. Ленина, 1", sessions=sessions)
    return FixtureFacts(
        events={SEMINAR: seminar},
        completed={SEMINAR: [Completed(IVANOVA, 8), Completed(SIDOROV, 8)]},
        registered={SEMINAR: [IVANOVA, PETROV, SIDOROV]},
        staff={IVANOVA: [Employment(SCHOOL, KALUGA)], PETROV: [Employment(SCHOOL, KALUGA)],
               SIDOROV: [Employment(OBNINSK_SCHOOL, OBNINSK)]})


FACTS = _facts()


@pytest.fixture(scope="module")
async def events(infra, namespace):
    async with events_client(infra, namespace, FACTS, certificate_url="https://metodset.example/certificates/{code}",
                             calendar_url="https://metodset.example/calendar/people/{token}.ics") as http:
        yield http


@pytest.fixture(scope="module")
def kaluga(infra):
    return bearer(infra, "municipal_methodist", municipality=KALUGA)


@pytest.fixture(scope="module")
async def issued(events, kaluga):
    holders = [{"personId": p, "fullName": n} for p, n in FULL_NAMES.items()]
    answer = await events.post(f"/events/{SEMINAR}/certificates", json={"holders": holders}, headers=kaluga)
    assert answer.status_code == 200, answer.text
    return {a["personId"]: a for a in answer.json()["items"]}


async def test_only_those_who_met_the_attendance_rule_get_a_certificate(issued):
    assert issued[IVANOVA]["status"] == "ISSUED" and issued[SIDOROV]["status"] == "ISSUED"
    assert issued[PETROV]["status"] == "REFUSED" and "посещаемости" in issued[PETROV]["reason"]
    assert issued[IVANOVA]["code"] != issued[SIDOROV]["code"]


async def test_issuing_again_keeps_the_certificate_issued(events, kaluga, issued):
    again = await events.post(f"/events/{SEMINAR}/certificates",
                              json={"holders": [{"personId": IVANOVA, "fullName": FULL_NAMES[IVANOVA]}]},
                              headers=kaluga)
    assert again.json()["items"] == [{"personId": IVANOVA, "status": "ALREADY_ISSUED", "code": None, "reason": None}]


async def test_a_valid_code_verifies_without_a_token_showing_what_the_certificate_shows(events, issued):
    code = issued[IVANOVA]["code"]
    answer = await events.get(f"/certificates/{code.lower()}")
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert shown["code"] == code and shown["holder"] == "Иванова Мария Петровна"
    assert shown["region"] == "Калужская область" and shown["issuer"] == "МБУ «Методический центр»"
    assert {"label": "Объём", "value": "8 ч."} in shown["facts"]
    assert {"label": "Даты проведения", "value": "12.03.2027 – 13.03.2027"} in shown["facts"]
    assert set(shown) == {"code", "title", "region", "issuer", "holder", "subject", "facts", "issuedAt",
                          "statement"}
    async with events.pool.acquire() as conn:
        assert await audit.count(conn, resource="certificate") >= 1


async def test_a_forged_or_malformed_code_answers_404(events, issued):
    for forged in (new_code(), "not-a-code", "0000-0000-0000"):
        answer = await events.get(f"/certificates/{forged}")
        assert answer.status_code == 404
        assert answer.json()["detail"][0]["type"] == "not_found"


async def test_the_pdf_shows_the_cyrillic_name_hours_and_code(events, kaluga, issued):
    answer = await events.get(f"/events/{SEMINAR}/certificates/{IVANOVA}.pdf", headers=kaluga)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    page = pypdf.PdfReader(io.BytesIO(answer.content)).pages[0]
    url = "https://metodset.example/certificates/" + issued[IVANOVA]["code"]
    text = page.extract_text()
    for shown in ("Иванова Мария Петровна", "Объём: 8 ч.", issued[IVANOVA]["code"], "Калужская область", url):
        assert shown in text
    [qr] = page.images
    assert [b.text for b in zxingcpp.read_barcodes(qr.image.convert("L"))] == [url]


async def test_the_pdf_is_for_the_event_s_and_the_person_s_managers_only(events, infra, issued):
    own_school = bearer(infra, "organisation_admin", organisation=OBNINSK_SCHOOL)
    assert (await events.get(f"/events/{SEMINAR}/certificates/{SIDOROV}.pdf", headers=own_school)).status_code == 200
    other = bearer(infra, "municipal_methodist", municipality=OBNINSK)
    refused = await events.get(f"/events/{SEMINAR}/certificates/{IVANOVA}.pdf", headers=other)
    missing = await events.get(f"/events/{SEMINAR}/certificates/{PETROV}.pdf", headers=bearer(infra))
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["detail"][0]["loc"] == missing.json()["detail"][0]["loc"]
    assert (await events.post(f"/events/{SEMINAR}/certificates", headers=other,
                              json={"holders": [{"personId": SIDOROV, "fullName": "x"}]})).status_code == 404


async def test_a_revoked_code_answers_404_and_a_new_certificate_has_a_new_code(events, kaluga, issued):
    code = issued[SIDOROV]["code"]
    done = await events.post(f"/events/{SEMINAR}/certificates/{SIDOROV}/revoke", json={"reason": "ошибка"},
                             headers=kaluga)
    assert done.status_code == 204
    assert (await events.get(f"/certificates/{code}")).status_code == 404
    listed = {c["personId"]: c for c in (await events.get(f"/events/{SEMINAR}/certificates", headers=kaluga)).json()}
    assert listed[SIDOROV]["revoked"] and not listed[IVANOVA]["revoked"]
    again = await events.post(f"/events/{SEMINAR}/certificates", headers=kaluga,
                              json={"holders": [{"personId": SIDOROV, "fullName": FULL_NAMES[SIDOROV]}]})
    fresh = again.json()["items"][0]
    assert fresh["status"] == "ISSUED" and fresh["code"] != code
    assert (await events.get(f"/certificates/{fresh['code']}")).status_code == 200


def _vevents(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Moscow"
    return calendar.walk("VEVENT")


async def test_public_calendars_have_one_vevent_per_session_with_stable_uids(events):
    answer = await events.get(f"/calendar/municipalities/{KALUGA}.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    items = _vevents(answer.content)
    assert len(items) == 2
    first = min(items, key=lambda v: v.decoded("dtstart"))
    assert first.decoded("dtstart").isoformat() == "2027-03-12T10:00:00+03:00"
    assert str(first["dtstart"].params["TZID"]) == "Europe/Moscow"
    assert str(first["summary"]).startswith("Семинар «Функциональная грамотность»")
    again = _vevents((await events.get(f"/calendar/organisers/{CENTRE}.ics")).content)
    assert {str(v["uid"]) for v in again} == {str(v["uid"]) for v in items}
    assert _vevents((await events.get(f"/calendar/municipalities/{OBNINSK}.ics")).content) == []


async def test_a_feed_carries_its_version_and_answers_304_until_its_events_change(events):
    path = f"/calendar/municipalities/{KALUGA}.ics"
    first = await events.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and first.headers["cache-control"] == "no-cache"
    again = await events.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert (await events.get(path, headers={"If-None-Match": f'"other", W/{etag}'})).status_code == 304
    assert (await events.get(path)).content == first.content  # written once, answered again
    assert (await events.get(f"/calendar/organisers/{CENTRE}.ics", headers={"If-None-Match": etag})).status_code == 200
    seminar = FACTS.events[SEMINAR]
    FACTS.events[SEMINAR] = replace(seminar, title="Семинар «Читательская грамотность»", version=seminar.version + 1)
    try:
        changed = await events.get(path, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert {str(v["summary"]).split(" (")[0] for v in _vevents(changed.content)} == {
            "Семинар «Читательская грамотность»"}
    finally:
        FACTS.events[SEMINAR] = seminar


async def test_a_personal_calendar_is_behind_a_rotatable_token(events, infra, kaluga):
    first = await events.post(f"/people/{IVANOVA}/calendar-token", headers=kaluga)
    assert first.status_code == 200
    path = first.json()["url"].removeprefix("https://metodset.example")
    assert len(_vevents((await events.get(path)).content)) == 2
    second = (await events.post(f"/people/{IVANOVA}/calendar-token", headers=kaluga)).json()["url"]
    assert (await events.get(path)).status_code == 404
    assert (await events.get(second.removeprefix("https://metodset.example"))).status_code == 200
    other = bearer(infra, "municipal_methodist", municipality=OBNINSK)
    assert (await events.post(f"/people/{IVANOVA}/calendar-token", headers=other)).status_code == 404
    assert (await events.get("/calendar/people/" + "A" * 43 + ".ics")).status_code == 404


async def test_feedback_is_recorded_for_participants_and_aggregated_for_the_organiser(events, infra, kaluga):
    for person, rating, comment in ((IVANOVA, 5, "Полезно"), (PETROV, 4, ""), (IVANOVA, 3, "Передумала")):
        done = await events.put(f"/events/{SEMINAR}/feedback/{person}", headers=kaluga,
                                json={"rating": rating, "comment": comment})
        assert done.status_code == 204, done.text
    obninsk = bearer(infra, "organisation_admin", organisation=OBNINSK_SCHOOL)
    assert (await events.put(f"/events/{SEMINAR}/feedback/{SIDOROV}", headers=obninsk,
                             json={"rating": 2})).status_code == 204
    assert (await events.put(f"/events/{SEMINAR}/feedback/{IVANOVA}", headers=obninsk,
                             json={"rating": 1})).status_code == 404
    assert (await events.put(f"/events/{SEMINAR}/feedback/{IVANOVA}", headers=kaluga,
                             json={"rating": 6})).status_code == 422
    summary = (await events.get(f"/events/{SEMINAR}/feedback", headers=kaluga)).json()
    assert summary["count"] == 3 and summary["average"] == 3.0
    assert summary["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0}
    assert summary["comments"] == ["Передумала"]
    assert (await events.get(f"/events/{SEMINAR}/feedback", headers=obninsk)).status_code == 404


async def test_guessing_codes_is_throttled_after_the_misses_of_a_window(events, issued):  # last: it blocks the client
    answers = [(await events.get(f"/certificates/{new_code()}")).status_code for _ in range(40)]
    assert 404 in answers and answers[-1] == 429
    blocked = await events.get(f"/certificates/{issued[IVANOVA]['code']}")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
