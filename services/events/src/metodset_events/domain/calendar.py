"""iCalendar feeds (RFC 5545): one VEVENT per session with a stable UID, times in the region's zone (VTIMEZONE)."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ..facts import EventInfo
from .certificates import hours_text

PRODID = "-//Metodset//events//RU"
UID_DOMAIN = "events.metodset"
FORMATS = {"IN_PERSON": "очно", "ONLINE": "онлайн", "HYBRID": "смешанный формат"}
RENDERING = 1  # raise when `feed` writes the same events differently: clients holding an old ETag get the new text


def fingerprint(name: str, events: list[EventInfo], zone_name: str) -> str:
    """What a feed's text depends on, its DTSTAMPs aside: equal fingerprints, the same calendar. Calendar
    clients poll a feed that seldom changes, and writing one VEVENT costs far more than reading its rows."""
    digest = hashlib.blake2b(repr((RENDERING, PRODID, name, zone_name)).encode(), digest_size=16)
    for event in events:
        digest.update(repr(event).encode())
    return digest.hexdigest()


def session_uid(event_id: str, session_id: str) -> str:
    return f"{event_id}-{session_id}@{UID_DOMAIN}"


def feed(name: str, events: list[EventInfo], zone_name: str, now: datetime) -> bytes:
    """The calendar of `events`: cancelled events' sessions are sent as STATUS:CANCELLED so clients drop them."""
    zone = ZoneInfo(zone_name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone_name)
    calendar.add_component(Timezone.from_tzid(zone_name, first_date=date(2020, 1, 1), last_date=date(2037, 1, 1)))
    for event in events:
        for number, session in enumerate(sorted(event.sessions, key=lambda s: s.starts_at), 1):
            calendar.add_component(_vevent(event, session, number, zone, now))
    return calendar.to_ical()


def _vevent(event: EventInfo, session, number: int, zone: ZoneInfo, now: datetime) -> Event:
    item = Event()
    item.add("uid", session_uid(event.id, session.id))
    item.add("dtstamp", now)
    item.add("summary", event.title if len(event.sessions) == 1 else f"{event.title} ({number})")
    item.add("dtstart", session.starts_at.astimezone(zone))
    item.add("dtend", session.ends_at.astimezone(zone))
    if event.place:
        item.add("location", event.place)
    how = FORMATS.get(event.format.upper(), event.format)
    item.add("description", f"Организатор: {event.organiser_name}. Формат: {how}. Часов: {hours_text(session.hours)}")
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.changed_at:
        item.add("last-modified", event.changed_at)
    item.add("sequence", event.version)
    return item
