"""The event facts (facts.EventFacts) read from the events core's tables (migration 006) and the registry
projection (migration 002). Completion is the core's: `event_registrations.completed_at` and `hours`."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from . import repository
from .facts import Completed, Employment, EventInfo, Session, is_uuid

_EVENTS = """
select e.id::text, e.title, coalesce(e.organiser_organisation_id, e.organiser_body_id)::text as organiser_id,
       coalesce(o.name, b.name, '') as organiser_name, coalesce(e.municipality_oktmo, '') as municipality_oktmo,
       coalesce(e.place, '') as place, e.format, e.status = 'cancelled' as cancelled, e.updated_at, e.version
  from methodical_events e
  left join registry_organisations o on o.organisation_id = e.organiser_organisation_id
  left join registry_bodies b on b.body_id = e.organiser_body_id
"""
_SESSIONS = """
select event_id::text, id::text, starts_at, ends_at, hours from event_sessions
 where event_id = any($1::uuid[]) order by event_id, position
"""
# A municipality's calendar: events it holds, events whose audience names it, and the region's open to all.
_OF_MUNICIPALITY = """where (e.municipality_oktmo = $1 or $1 = any(e.audience_municipalities)
       or (e.municipality_oktmo is null and cardinality(e.audience_municipalities) = 0))"""
_OF_ORGANISER = "where (e.organiser_organisation_id::text = $1 or e.organiser_body_id::text = $1)"
_OF_PERSON = """where e.id in (select event_id from event_registrations
                          where person_id::text = $1 and status in ('confirmed', 'pending'))"""
_RECENT = " and e.ends_at > now() - interval '1 year' order by e.starts_at, e.id limit 2000"


class TableFacts:
    async def _events(self, conn: asyncpg.Connection, where: str, arg: str) -> list[EventInfo]:
        rows = await conn.fetch(_EVENTS + where, arg)
        sessions: dict[str, list[Session]] = {}
        for s in await conn.fetch(_SESSIONS, [r["id"] for r in rows]):
            sessions.setdefault(s["event_id"], []).append(Session(s["id"], s["starts_at"], s["ends_at"], s["hours"]))
        return [EventInfo(r["id"], r["title"], r["organiser_id"], r["organiser_name"], r["municipality_oktmo"],
                          place=r["place"], format=r["format"], cancelled=r["cancelled"], changed_at=r["updated_at"],
                          version=r["version"], sessions=sessions.get(r["id"], [])) for r in rows]

    async def event(self, conn, event_id):
        if not is_uuid(event_id):
            return None
        found = await self._events(conn, "where e.id = $1::uuid", event_id)
        return found[0] if found else None

    async def completed_participants(self, conn, event_id):
        if not is_uuid(event_id):
            return []
        return [Completed(str(p), hours) for p, hours in await repository.completed_participants(conn, UUID(event_id))]

    async def participants(self, conn, event_id):
        if not is_uuid(event_id):
            return []
        return [r["person_id"] for r in await conn.fetch(
            "select person_id::text from event_registrations where event_id = $1::uuid and status = 'confirmed'",
            event_id)]

    async def employments(self, conn, person_id):
        if not is_uuid(person_id):
            return []
        rows = await conn.fetch("select organisation_id::text, municipality_oktmo from registry_employments"
                                " where person_id = $1::uuid and (end_date is null or end_date >= current_date)",
                                person_id)
        return [Employment(r["organisation_id"], r["municipality_oktmo"]) for r in rows]

    async def calendar(self, conn, *, municipality=None, organiser=None, person=None):
        if municipality is not None:
            return await self._events(conn, _OF_MUNICIPALITY + _RECENT, municipality)
        if organiser is not None:
            return await self._events(conn, _OF_ORGANISER + _RECENT, organiser)
        return await self._events(conn, _OF_PERSON + _RECENT, person)


TABLES = TableFacts()
