"""SQL access to mentorings, their mentees, and the young specialists nobody mentors."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from uuid import UUID

import asyncpg

from metodset_contracts.mentoring import MentoringOutcome, MentoringStatus
from metodset_kit.pagination import Ordering, keyset_after, order_by

from ...domain.mentoring import Mentoring
from ...staff import repository as staff_repository

ORDER = Ordering("mentoring", (("id", UUID),))

_SELECT = """select m.id, m.mentor_id, m.form, m.programme, m.organisation_id, m.municipality_oktmo, m.start_date,
                    m.end_date, m.status, m.outcome_code, m.outcome, m.version,
                    array(select mm.person_id from mentoring_mentees mm where mm.mentoring_id = m.id
                          order by mm.person_id) as mentee_ids
               from mentorings m"""


def _mentoring(r) -> Mentoring:
    return Mentoring(id=r["id"], mentor_id=r["mentor_id"], mentee_ids=tuple(r["mentee_ids"]), form=r["form"],
                     start=r["start_date"], municipality_oktmo=r["municipality_oktmo"],
                     organisation_id=r["organisation_id"], programme=r["programme"], end=r["end_date"],
                     status=MentoringStatus(r["status"]),
                     outcome_code=MentoringOutcome(r["outcome_code"]) if r["outcome_code"] else None,
                     outcome=r["outcome"], version=r["version"])


async def forms(conn: asyncpg.Connection) -> dict[str, tuple[str, str]]:
    """Form code → (title, kind) as the region has them."""
    rows = await conn.fetch("select code, title, extra ->> 'kind' as kind from catalogue_items "
                            "where catalogue = 'mentoring_forms'")
    return {r["code"]: (r["title"], r["kind"] or "pair") for r in rows}


async def insert(conn: asyncpg.Connection, m: Mentoring, by: str) -> None:
    await conn.execute(
        "insert into mentorings (id, mentor_id, form, programme, organisation_id, municipality_oktmo, start_date, "
        "created_by) values ($1, $2, $3, $4, $5, $6, $7, $8)", m.id, m.mentor_id, m.form, m.programme,
        m.organisation_id, m.municipality_oktmo, m.start, by)
    await conn.executemany("insert into mentoring_mentees (mentoring_id, person_id) values ($1, $2)",
                           [(m.id, p) for p in m.mentee_ids])


async def save_end(conn: asyncpg.Connection, m: Mentoring, by: str) -> None:
    await conn.execute(
        "update mentorings set end_date = $2, status = $3, outcome_code = $4, outcome = $5, version = $6, "
        "ended_by = $7, updated_at = now() where id = $1", m.id, m.end, m.status.value,
        m.outcome_code.value if m.outcome_code else None, m.outcome, m.version, by)


async def mentoring(conn: asyncpg.Connection, mentoring_id: UUID, *, lock: bool = False) -> Mentoring | None:
    if lock:
        await conn.execute("select 1 from mentorings where id = $1 for update", mentoring_id)
    row = await conn.fetchrow(f"{_SELECT} where m.id = $1", mentoring_id)
    return _mentoring(row) if row else None


async def of_persons(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> list[Mentoring]:
    """Every mentoring where one of the persons is the mentor or a mentee."""
    rows = await conn.fetch(
        f"""{_SELECT} where m.mentor_id = any($1)
                or exists (select 1 from mentoring_mentees x where x.mentoring_id = m.id and x.person_id = any($1))
             order by m.start_date, m.id""", list(person_ids))
    return [_mentoring(r) for r in rows]


@dataclass(frozen=True)
class MentoringFilter:
    municipality: str | None = None
    organisation: UUID | None = None
    mentor: UUID | None = None
    mentee: UUID | None = None
    person: UUID | None = None  # the mentor or a mentee
    status: MentoringStatus | None = None
    day: date | None = None  # active on that day

    def args(self) -> list:
        return [self.municipality, self.organisation, self.mentor, self.mentee, self.person,
                self.status.value if self.status else None, self.day]


_WHERE = """($1::text is null or m.municipality_oktmo = $1)
        and ($2::uuid is null or m.organisation_id = $2)
        and ($3::uuid is null or m.mentor_id = $3)
        and ($4::uuid is null or exists (select 1 from mentoring_mentees x where x.mentoring_id = m.id
                                                                         and x.person_id = $4))
        and ($5::uuid is null or m.mentor_id = $5 or exists (select 1 from mentoring_mentees x
                                                              where x.mentoring_id = m.id and x.person_id = $5))
        and ($6::text is null or m.status = $6)
        and ($7::date is null or (m.start_date <= $7 and (m.end_date is null or m.end_date >= $7)))"""


async def page(conn: asyncpg.Connection, f: MentoringFilter, limit: int, after: tuple | None) -> list[Mentoring]:
    args = [*f.args(), limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(ORDER, len(args) + 1)}"
        args += list(after)
    rows = await conn.fetch(f"{_SELECT} where {_WHERE} {seek} {order_by(ORDER)} limit $8",
                            *args)
    return [_mentoring(r) for r in rows]


async def count(conn: asyncpg.Connection, f: MentoringFilter) -> int:
    return await conn.fetchval(f"select count(*) from mentorings m where {_WHERE}", *f.args())


async def mentor_load(conn: asyncpg.Connection, mentor_id: UUID, day: date) -> int:
    return await conn.fetchval(
        """select count(distinct mm.person_id) from mentorings m
             join mentoring_mentees mm on mm.mentoring_id = m.id
            where m.mentor_id = $1 and m.start_date <= $2 and (m.end_date is null or m.end_date >= $2)""",
        mentor_id, day)


# ---- young specialists without a mentor ---------------------------------------------------------------------

# over the staff list's parameters ($1: the day); with its filter young = true
MENTORED = """exists (select 1 from mentoring_mentees mm join mentorings m on m.id = mm.mentoring_id
                      where mm.person_id = p.id and m.start_date <= $1 and (m.end_date is null or m.end_date >= $1))"""
young_without_mentor = partial(staff_repository.staff, also=f"not {MENTORED}")
count_young_without_mentor = partial(staff_repository.count_staff, also=f"not {MENTORED}")
