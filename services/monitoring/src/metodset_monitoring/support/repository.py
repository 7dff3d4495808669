"""SQL access to support cases, their plan items, visits and the consultations projected from the events service."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from metodset_contracts.recommendations import CaseOutcome, CaseStatus
from metodset_kit.pagination import Ordering

from ..domain.support_cases import ItemStatus, PlanItem, SupportCase, TimelineEntry, VisitKind, fact_attrs
from ..paging import count_rows, page_rows
from ..publishing import write_fact

ORDER = Ordering("support_cases", (("id", UUID),))
FACT_KIND = "support_case"


def case_of(r) -> SupportCase:
    return SupportCase(id=r["id"], flag_id=r["flag_id"], organisation_id=r["organisation_id"],
                       municipality_oktmo=r["municipality_oktmo"], opened_on=r["opened_on"],
                       status=CaseStatus(r["status"]), curator_id=r["curator_id"], closed_on=r["closed_on"],
                       outcome=CaseOutcome(r["outcome"]) if r["outcome"] else None, outcome_text=r["outcome_text"],
                       flag_cleared_on=r["flag_cleared_on"])


async def insert_once(conn: asyncpg.Connection, c: SupportCase) -> bool:
    """One case per flag: whether this one was inserted (a redelivered or reordered flag finds it there)."""
    inserted = await conn.fetchval(
        """insert into support_cases (id, flag_id, organisation_id, municipality_oktmo, opened_on)
           values ($1, $2, $3, $4, $5) on conflict (flag_id) do nothing returning id""",
        c.id, c.flag_id, c.organisation_id, c.municipality_oktmo, c.opened_on)
    if inserted is not None:
        await write_facts(conn, c)
    return inserted is not None


async def save(conn: asyncpg.Connection, c: SupportCase) -> None:
    await conn.execute(
        """update support_cases set status = $2, curator_id = $3, closed_on = $4, outcome = $5, outcome_text = $6,
                  flag_cleared_on = $7, updated_at = now() where id = $1""",
        c.id, c.status.value, c.curator_id, c.closed_on, c.outcome.value if c.outcome else None, c.outcome_text,
        c.flag_cleared_on)
    await write_facts(conn, c)


async def write_facts(conn: asyncpg.Connection, c: SupportCase) -> None:
    await write_fact(conn, FACT_KIND, c.id, c.organisation_id, c.municipality_oktmo, c.opened_on, c.closed_on,
                     fact_attrs(c))


async def get(conn: asyncpg.Connection, case_id: UUID, *, lock: bool = False) -> SupportCase | None:
    row = await conn.fetchrow(f"select * from support_cases where id = $1{' for update' if lock else ''}", case_id)
    return case_of(row) if row else None


async def by_flag(conn: asyncpg.Connection, flag_id: UUID) -> SupportCase | None:
    row = await conn.fetchrow("select * from support_cases where flag_id = $1 for update", flag_id)
    return case_of(row) if row else None


# ---- plan and visits ----------------------------------------------------------------------------------------

def item_of(r) -> PlanItem:
    return PlanItem(id=r["id"], case_id=r["case_id"], title=r["title"], starts_on=r["starts_on"], due_on=r["due_on"],
                    status=ItemStatus(r["status"]), done_on=r["done_on"], notes=r["notes"])


async def plan(conn: asyncpg.Connection, case_id: UUID) -> list[PlanItem]:
    rows = await conn.fetch("select * from support_plan_items where case_id = $1 order by due_on, created_at, id",
                            case_id)
    return [item_of(r) for r in rows]


async def item(conn: asyncpg.Connection, case_id: UUID, item_id: UUID) -> PlanItem | None:
    row = await conn.fetchrow("select * from support_plan_items where case_id = $1 and id = $2 for update",
                              case_id, item_id)
    return item_of(row) if row else None


async def save_item(conn: asyncpg.Connection, i: PlanItem) -> None:
    await conn.execute(
        """insert into support_plan_items (id, case_id, title, starts_on, due_on, status, done_on, notes)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (id) do update set title = excluded.title, starts_on = excluded.starts_on,
               due_on = excluded.due_on, status = excluded.status, done_on = excluded.done_on, notes = excluded.notes,
               updated_at = now()""",
        i.id, i.case_id, i.title, i.starts_on, i.due_on, i.status.value, i.done_on, i.notes)


async def delete_item(conn: asyncpg.Connection, item_id: UUID) -> None:
    await conn.execute("delete from support_plan_items where id = $1", item_id)


@dataclass(frozen=True)
class Visit:
    id: UUID
    visited_on: object
    methodist_id: UUID | None
    purpose: str
    notes: str | None


async def add_visit(conn: asyncpg.Connection, case_id: UUID, v: Visit, by: str) -> None:
    await conn.execute(
        "insert into support_visits (id, case_id, visited_on, methodist_id, purpose, notes, recorded_by) "
        "values ($1, $2, $3, $4, $5, $6, $7)", v.id, case_id, v.visited_on, v.methodist_id, v.purpose, v.notes, by)


async def visits(conn: asyncpg.Connection, case_id: UUID) -> dict[UUID, Visit]:
    rows = await conn.fetch("select * from support_visits where case_id = $1", case_id)
    return {r["id"]: Visit(r["id"], r["visited_on"], r["methodist_id"], r["purpose"], r["notes"]) for r in rows}


async def timeline_entries(conn: asyncpg.Connection, c: SupportCase) -> list[TimelineEntry]:
    """The case's recorded visits and every consultation of the school's support requests (the domain keeps those
    within the case's period)."""
    recorded = [TimelineEntry(VisitKind.VISIT, v.visited_on, v.id, v.methodist_id)
                for v in (await visits(conn, c.id)).values()]
    rows = await conn.fetch(
        """select c.consultation_id, c.request_id, c.held_on, c.minutes, m.methodist_id
             from organisation_consultations c left join request_methodists m on m.request_id = c.request_id
            where c.organisation_id = $1""", c.organisation_id)
    consulted = [TimelineEntry(VisitKind.CONSULTATION, r["held_on"], r["consultation_id"], r["methodist_id"],
                               r["request_id"], r["minutes"]) for r in rows]
    return recorded + consulted


# ---- lists --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFilter:
    municipality: str | None = None
    organisation: UUID | None = None
    status: CaseStatus | None = None
    curator: UUID | None = None

    def args(self) -> list:
        return [self.municipality, self.organisation, self.status.value if self.status else None, self.curator]


_WHERE = """($1::text is null or municipality_oktmo = $1)
        and ($2::uuid is null or organisation_id = $2)
        and ($3::text is null or status = $3)
        and ($4::uuid is null or curator_id = $4)"""


async def page(conn: asyncpg.Connection, f: CaseFilter, limit: int, after: tuple | None) -> list[SupportCase]:
    return [case_of(r) for r in await page_rows(conn, "support_cases", _WHERE, f.args(), ORDER, limit, after)]


async def count(conn: asyncpg.Connection, f: CaseFilter) -> int:
    return await count_rows(conn, "support_cases", _WHERE, f.args())
