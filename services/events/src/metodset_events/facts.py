"""What the certificates, calendars and feedback read about events, sessions and participants, as a small interface.

facts_tables.TABLES reads it from the events core's tables (events, sessions, registrations with completion)
and the registry projection; it is the default (access.facts). Tests may hand in fixtures of their own as
`app.state.event_facts`."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import asyncpg


@dataclass(frozen=True)
class Session:
    id: str
    starts_at: datetime
    ends_at: datetime
    hours: float


@dataclass(frozen=True)
class EventInfo:
    id: str
    title: str
    organiser_id: str
    organiser_name: str
    municipality_oktmo: str  # the organiser's municipality: its methodists manage the event
    place: str = ""
    format: str = "IN_PERSON"
    cancelled: bool = False
    changed_at: datetime | None = None
    version: int = 0  # grows with every change (iCal SEQUENCE)
    sessions: list[Session] = field(default_factory=list)


@dataclass(frozen=True)
class Completed:
    person_id: str
    hours: float


@dataclass(frozen=True)
class Employment:
    organisation_id: str
    municipality_oktmo: str


class EventFacts(Protocol):
    async def event(self, conn: asyncpg.Connection, event_id: str) -> EventInfo | None: ...

    async def completed_participants(self, conn: asyncpg.Connection, event_id: str) -> list[Completed]:
        """Those who met the event's attendance rule, with the hours credited."""

    async def participants(self, conn: asyncpg.Connection, event_id: str) -> list[str]:
        """Person ids with a confirmed registration (who may leave feedback)."""

    async def employments(self, conn: asyncpg.Connection, person_id: str) -> list[Employment]: ...

    async def calendar(self, conn: asyncpg.Connection, *, municipality: str | None = None,
                       organiser: str | None = None, person: str | None = None) -> list[EventInfo]:
        """Events (not cancelled ones' sessions only) of a municipality, an organiser, or a person's registrations."""


def is_uuid(value: str) -> bool:
    """Whether a path's id can name a record (the core's ids are UUIDs); any other answers as unknown."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
