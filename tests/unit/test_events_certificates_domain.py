"""What a certificate shows, the iCal feed and the feedback summary, without a database."""
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from metodset_events.domain.calendar import feed, fingerprint, session_uid
from metodset_events.domain.certificates import certificate_spec
from metodset_events.domain.feedback import summarise
from metodset_events.facts import EventInfo, Session

MOSCOW = ZoneInfo("Europe/Moscow")
LATE = Session("s1", datetime(2027, 3, 12, 22, 0, tzinfo=UTC), datetime(2027, 3, 12, 23, 0, tzinfo=UTC), 1.5)
NEXT = Session("s2", datetime(2027, 3, 14, 7, 0, tzinfo=UTC), datetime(2027, 3, 14, 9, 0, tzinfo=UTC), 2)
EVENT = EventInfo("e1", "Педагогические чтения", "o1", "Методический центр", "29701000", sessions=[NEXT, LATE])


def test_a_certificate_shows_hours_and_the_dates_in_the_region_s_zone():
    spec = certificate_spec(EVENT, "Калужская область", MOSCOW, "  Иванова Мария ", 3.5)
    assert spec.holder == "Иванова Мария" and spec.issuer == "Методический центр"
    assert [(f.label, f.value) for f in spec.facts] == [("Объём", "3,5 ч."), ("Даты проведения",
                                                                             "13.03.2027 – 14.03.2027")]


def test_the_feed_has_one_vevent_per_session_with_stable_uids_in_the_region_s_zone():
    now = datetime(2027, 1, 1, tzinfo=UTC)
    body = feed("Календарь", [EVENT], "Europe/Moscow", now)
    assert body == feed("Календарь", [EVENT], "Europe/Moscow", now)
    calendar = icalendar.Calendar.from_ical(body)
    items = calendar.walk("VEVENT")
    assert [str(v["uid"]) for v in items] == [session_uid("e1", "s1"), session_uid("e1", "s2")]
    assert items[0].decoded("dtstart") == LATE.starts_at and str(items[0]["dtstart"].params["TZID"]) == "Europe/Moscow"
    assert str(items[0]["summary"]) == "Педагогические чтения (1)" and str(items[0]["status"]) == "CONFIRMED"


def test_a_cancelled_event_s_sessions_are_sent_cancelled():
    cancelled = EventInfo("e2", "Семинар", "o1", "Центр", "29701000", cancelled=True, sessions=[NEXT])
    [item] = icalendar.Calendar.from_ical(feed("К", [cancelled], "Europe/Moscow", datetime.now(UTC))).walk("VEVENT")
    assert str(item["status"]) == "CANCELLED" and str(item["summary"]) == "Семинар"


def test_a_feed_s_fingerprint_follows_what_it_shows():
    same = fingerprint("Календарь", [EVENT], "Europe/Moscow")
    assert same == fingerprint("Календарь", [replace(EVENT)], "Europe/Moscow")
    moved = replace(EVENT, sessions=[NEXT, replace(LATE, ends_at=LATE.ends_at.replace(minute=30))])
    for other in (fingerprint("Календарь", [moved], "Europe/Moscow"),
                  fingerprint("Календарь", [replace(EVENT, cancelled=True)], "Europe/Moscow"),
                  fingerprint("Календарь", [EVENT, replace(EVENT, id="e3")], "Europe/Moscow"),
                  fingerprint("Мои мероприятия", [EVENT], "Europe/Moscow"),
                  fingerprint("Календарь", [EVENT], "Asia/Yekaterinburg"),
                  fingerprint("Календарь", [], "Europe/Moscow")):
        assert other != same


def test_feedback_summary_counts_averages_and_keeps_non_empty_comments():
    summary = summarise([(5, "Отлично"), (4, ""), (2, "Скучно")])
    assert summary.count == 3 and summary.average == 3.67
    assert summary.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert summary.comments == ["Отлично", "Скучно"]
    assert summarise([]).average is None
