"""The organiser of an event as the projection of the registry knows it, and who may manage the event."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from metodset_kit.errors import DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal

from . import projection
from . import repository as repo
from .domain.access import Organiser, may_manage

MANAGERS = "Мероприятием управляют региональный координатор, методист муниципалитета организатора и " \
           "администратор организации-организатора"


async def resolve(conn: asyncpg.Connection, organiser_id: UUID) -> tuple[Organiser, str | None]:
    """The organisation or body with this id, and its name; DomainError naming organiserId when unknown."""
    org = await projection.organisation(conn, organiser_id)
    if org is not None:
        if not org["active"]:
            raise DomainError("organiserId", f"Организация {organiser_id} закрыта", "closed")
        return Organiser(organisation_id=organiser_id, municipality_oktmo=org["municipality_oktmo"]), org["name"]
    body = await projection.body(conn, organiser_id)
    if body is None:
        raise DomainError("organiserId", f"Организация или методическое объединение {organiser_id} не найдены",
                          "unknown")
    if not body["active"]:
        raise DomainError("organiserId", f"Методическое объединение {organiser_id} закрыто", "closed")
    municipality = body["municipality_oktmo"]
    if body["organisation_id"] is not None and municipality is None:
        owner = await projection.organisation(conn, body["organisation_id"])
        municipality = owner["municipality_oktmo"] if owner else None
    return Organiser(body_id=organiser_id, municipality_oktmo=municipality, body_level=body["level"],
                     body_organisation_id=body["organisation_id"]), body["name"]


def of_event(event: asyncpg.Record, body_level: str | None = None, body_organisation: UUID | None = None) -> Organiser:
    return Organiser(organisation_id=event["organiser_organisation_id"], body_id=event["organiser_body_id"],
                     municipality_oktmo=event["municipality_oktmo"], body_level=body_level,
                     body_organisation_id=body_organisation)


async def organiser_of(conn: asyncpg.Connection, event: asyncpg.Record) -> Organiser:
    if event["organiser_body_id"] is None:
        return of_event(event)
    body = await projection.body(conn, event["organiser_body_id"])
    return of_event(event, body["level"] if body else "regional", body["organisation_id"] if body else None)


async def managed(conn: asyncpg.Connection, principal: Principal, event_id: UUID, *,
                  lock: bool = False) -> asyncpg.Record:
    """The event, if it exists and the caller manages it (Forbidden otherwise: events are public)."""
    event = await repo.event(conn, event_id, lock=lock)
    if event is None:
        raise missing_event(event_id)
    if not may_manage(principal, await organiser_of(conn, event)):
        raise Forbidden(MANAGERS)
    return event


async def manages(conn: asyncpg.Connection, principal: Principal, event: asyncpg.Record) -> bool:
    return may_manage(principal, await organiser_of(conn, event))


def missing_event(event_id: UUID) -> NotFound:
    return NotFound("eventId", f"Мероприятие {event_id} не найдено", where="path")
