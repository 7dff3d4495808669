"""What monitoring's own records share: the event source, the region's today, and their rows in `facts`."""
from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg

from metodset_contracts.base import EventData
from metodset_kit import outbox
from metodset_kit.events import now, outgoing

from .facts_projection import mark_dirty

SOURCE = "urn:metodset:monitoring"
REGION_ZONE = ZoneInfo("Europe/Moscow")


def today() -> date:
    """The region's calendar day: due dates and closings are days there."""
    return datetime.now(UTC).astimezone(REGION_ZONE).date()


async def publish(conn: asyncpg.Connection, key: UUID, subject: str, events: list[EventData]) -> None:
    """Into the outbox, in the caller's transaction."""
    time = now()
    await outbox.add(conn, [outgoing(e, source=SOURCE, subject=subject, key=str(key), time=time) for e in events])


_FACT = """
insert into facts (kind, record_id, organisation_id, municipality_oktmo, valid_from, valid_to, attrs, version)
values ($1, $2, $3, $4, $5, $6, $7::jsonb, 1)
on conflict (kind, record_id) do update
   set organisation_id = excluded.organisation_id, municipality_oktmo = excluded.municipality_oktmo,
       valid_from = excluded.valid_from, valid_to = excluded.valid_to, attrs = excluded.attrs,
       version = facts.version + 1, updated_at = now()
"""


async def write_fact(conn: asyncpg.Connection, kind: str, record_id: UUID, organisation_id: UUID | None,
                     municipality_oktmo: str | None, valid_from: date, valid_to: date | None, attrs: dict) -> None:
    """Monitoring owns these records, so its row is simply replaced on every change (in the same transaction), and
    the indicators reading the kind are recomputed after the commit."""
    await mark_dirty(conn, [kind])
    await conn.execute(_FACT, kind, str(record_id), organisation_id, municipality_oktmo, valid_from, valid_to,
                       attrs)
