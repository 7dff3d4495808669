"""SQL access to work plans and their items, and to the registry projection's organisations."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.plans import ItemStatus

from . import region
from .domain import plans as rules
from .domain.plans import Item, Month


@dataclass(frozen=True)
class Plan:
    id: UUID
    organisation_id: UUID
    municipality_oktmo: str
    year: int
    approved_on: date | None
    organisation_name: str | None = None


async def organisation(conn: asyncpg.Connection, organisation_id: UUID) -> asyncpg.Record | None:
    """The organisation as the registry projection knows it (its municipality, name, whether active)."""
    return await conn.fetchrow("select organisation_id, municipality_oktmo, name, active from registry_organisations "
                               "where organisation_id = $1", organisation_id)


def _month(d: date) -> Month:
    return d.year, d.month


def _first(m: Month) -> date:
    return date(m[0], m[1], 1)


def _item(r) -> Item:
    return Item(id=r["id"], direction=r["direction"], months=tuple(_month(d) for d in r["months"]), title=r["title"],
                status=ItemStatus(r["status"]), responsible_id=r["responsible_id"],
                expected_result=r["expected_result"], event_ids=tuple(r["event_ids"]),
                moved_to=_month(r["moved_to"]) if r["moved_to"] else None, note=r["note"], position=r["position"])


_PLAN = """select p.id, p.organisation_id, p.municipality_oktmo, p.year, p.approved_on, o.name as organisation_name
             from work_plans p left join registry_organisations o on o.organisation_id = p.organisation_id"""


def _plan(r) -> Plan:
    return Plan(r["id"], r["organisation_id"], r["municipality_oktmo"], r["year"], r["approved_on"],
                r["organisation_name"])


async def plan(conn: asyncpg.Connection, plan_id: UUID, *, lock: bool = False) -> Plan | None:
    if lock:
        await conn.execute("select 1 from work_plans where id = $1 for update", plan_id)
    row = await conn.fetchrow(f"{_PLAN} where p.id = $1", plan_id)
    return _plan(row) if row else None


async def plan_of(conn: asyncpg.Connection, organisation_id: UUID, year: int) -> Plan | None:
    row = await conn.fetchrow(f"{_PLAN} where p.organisation_id = $1 and p.year = $2", organisation_id, year)
    return _plan(row) if row else None


async def insert_plan(conn: asyncpg.Connection, p: Plan, by: str) -> None:
    await conn.execute("insert into work_plans (id, organisation_id, municipality_oktmo, year, created_by) "
                       "values ($1, $2, $3, $4, $5)", p.id, p.organisation_id, p.municipality_oktmo, p.year, by)


async def approve(conn: asyncpg.Connection, plan_id: UUID, on: date) -> None:
    await conn.execute("update work_plans set approved_on = $2, updated_at = now() where id = $1", plan_id, on)


async def items(conn: asyncpg.Connection, plan_id: UUID) -> list[Item]:
    rows = await conn.fetch("select * from work_plan_items where plan_id = $1 order by position, id", plan_id)
    return [_item(r) for r in rows]


async def next_position(conn: asyncpg.Connection, plan_id: UUID) -> int:
    return await conn.fetchval("select coalesce(max(position), 0) + 1 from work_plan_items where plan_id = $1",
                               plan_id)


async def save_items(conn: asyncpg.Connection, plan_id: UUID, found: Sequence[Item], by: str) -> None:
    """Insert the items or overwrite them (by id)."""
    await conn.executemany(
        """insert into work_plan_items (id, plan_id, position, direction, months, title, responsible_id,
                                        expected_result, event_ids, status, moved_to, note, updated_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           on conflict (id) do update set position = excluded.position, direction = excluded.direction,
               months = excluded.months, title = excluded.title, responsible_id = excluded.responsible_id,
               expected_result = excluded.expected_result, event_ids = excluded.event_ids,
               status = excluded.status, moved_to = excluded.moved_to, note = excluded.note,
               updated_by = excluded.updated_by, updated_at = now()""",
        [(i.id, plan_id, i.position, i.direction, [_first(m) for m in i.months], i.title, i.responsible_id,
          i.expected_result, list(i.event_ids), i.status.value, _first(i.moved_to) if i.moved_to else None, i.note,
          by) for i in found])
    await conn.execute("update work_plans set updated_at = now() where id = $1", plan_id)


async def linked_events(conn: asyncpg.Connection, event_ids: Sequence[UUID]) -> rules.LinkedEvents:
    """What the linked methodical events say for plan-versus-fact: completed (evaluated after their last session,
    not cancelled), cancelled, and the month of each one's last session in the region's time zone."""
    if not event_ids:
        return rules.NO_EVENTS
    rows = await conn.fetch(
        "select e.id, e.status, e.completed_at is not null completed, max(s.ends_at) ends_at from methodical_events e"
        " left join event_sessions s on s.event_id = e.id where e.id = any($1) group by e.id", list(event_ids))
    local = region.zone()
    return rules.LinkedEvents(
        completed=frozenset(r["id"] for r in rows if r["completed"] and r["status"] != "cancelled"),
        cancelled=frozenset(r["id"] for r in rows if r["status"] == "cancelled"),
        last_month={r["id"]: (ends.year, ends.month) for r in rows if r["ends_at"]
                    for ends in [r["ends_at"].astimezone(local)]})


async def unknown_events(conn: asyncpg.Connection, event_ids: Sequence[UUID]) -> list[UUID]:
    if not event_ids:
        return []
    known = {r["id"] for r in await conn.fetch("select id from methodical_events where id = any($1)",
                                                list(event_ids))}
    return [e for e in event_ids if e not in known]
