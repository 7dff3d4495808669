"""Who manages an event and who manages a person, read from the event facts (facts.py)."""
from __future__ import annotations

import asyncpg
from fastapi import Request

from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.hostile import prefix
from metodset_kit.scope import Principal

from .facts import EventFacts, EventInfo, is_uuid
from .facts_tables import TABLES


def facts(request: Request) -> EventFacts:
    return getattr(request.app.state, "event_facts", TABLES)


def manages_event(principal: Principal, event: EventInfo) -> bool:
    return principal.may_edit_organisation(event.organiser_id, event.municipality_oktmo)


async def manages_person(conn: asyncpg.Connection, request: Request, principal: Principal, person_id: str) -> bool:
    """The coordinator manages every person (an id that cannot name one answers as unknown); a pedagogue
    themselves; others, the staff of the organisations they may edit, by the person's current employments."""
    if principal.may_manage_region():
        return is_uuid(person_id)
    if principal.is_person(person_id):  # a pedagogue: their own certificates, calendar and feedback
        return True
    return any(
        principal.may_edit_organisation(e.organisation_id, e.municipality_oktmo)
        for e in await facts(request).employments(conn, person_id))


def missing_event(event_id: str) -> NotFound:
    return NotFound("eventId", f"Мероприятие {prefix(event_id)} не найдено", where="path")


async def managed_event(conn: asyncpg.Connection, request: Request, principal: Principal, event_id: str) -> EventInfo:
    """The event, when the caller manages it; otherwise the answer of a missing one."""
    event = await facts(request).event(conn, event_id)
    visible_or_missing(event is not None and manages_event(principal, event), missing_event(event_id))
    return event

