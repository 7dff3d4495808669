"""SQL access to course records and category awards."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit.pagination import Ordering

from ...staff.repository import EMPLOYED

COURSE_COLUMNS = ("id", "person_id", "kind", "programme", "programme_key", "provider_organisation_id", "provider",
                  "hours", "start_date", "end_date", "format", "certificate_number", "recorded_by")
# newest first: the cursor holds (end_date, id) of the last row shown and the next page seeks below it
COURSE_ORDER = Ordering("person-courses", (("end_day", int), ("id", UUID)))  # end_day: days since 1970
_COURSE_SELECT = """select c.id, c.person_id, c.kind, c.programme, c.provider_organisation_id,
                           coalesce(o.name, c.provider) as provider, c.hours, c.start_date, c.end_date, c.format,
                           c.certificate_number, c.end_date - date '1970-01-01' as end_day
                      from courses c left join organisations o on o.id = c.provider_organisation_id"""


async def existing_keys(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> dict[tuple, asyncpg.Record]:
    """(person, programme key, end date, certificate) → the recorded course, for idempotent recording."""
    rows = await conn.fetch("select id, person_id, programme_key, end_date, lower(coalesce(certificate_number, '')) "
                            "as certificate from courses where person_id = any($1)", list(person_ids))
    return {(r["person_id"], r["programme_key"], r["end_date"], r["certificate"]): r for r in rows}


async def insert_courses(conn: asyncpg.Connection, rows: Sequence[dict]) -> None:
    """COPY the courses and move each person's last upgrade end forward where an upgrade ends later."""
    await conn.copy_records_to_table("courses", columns=COURSE_COLUMNS,
                                     records=[tuple(r[c] for c in COURSE_COLUMNS) for r in rows])
    last: dict[UUID, date] = {}
    for r in rows:
        if r["kind"] == "upgrade" and r["end_date"] > last.get(r["person_id"], date.min):
            last[r["person_id"]] = r["end_date"]
    if last:
        await conn.execute("""update persons p set last_upgrade_end = n.end_date
                                from unnest($1::uuid[], $2::date[]) as n (person_id, end_date)
                               where p.id = n.person_id
                                 and (p.last_upgrade_end is null or p.last_upgrade_end < n.end_date)""",
                           list(last), list(last.values()))


async def person_courses(conn: asyncpg.Connection, person_id: UUID, limit: int,
                         after: tuple | None) -> list[asyncpg.Record]:
    seek, args = "", [person_id, limit]
    if after is not None:
        seek = "and (c.end_date - date '1970-01-01', c.id) < ($3, $4)"
        args += list(after)
    return await conn.fetch(f"{_COURSE_SELECT} where c.person_id = $1 {seek} order by c.end_date desc, c.id desc "
                            "limit $2", *args)


async def count_courses(conn: asyncpg.Connection, person_id: UUID) -> int:
    return await conn.fetchval("select count(*) from courses where person_id = $1", person_id)


async def last_upgrade_end(conn: asyncpg.Connection, person_id: UUID, day: date) -> date | None:
    return await conn.fetchval("select max(end_date) from courses where person_id = $1 and kind = 'upgrade' "
                               "and end_date <= $2", person_id, day)


async def organisation_names(conn: asyncpg.Connection, ids: Sequence[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch("select id, name from organisations where id = any($1)", list(ids))
    return {r["id"]: r["name"] for r in rows}


# ---- category awards ---------------------------------------------------------------------------------------

async def awards(conn: asyncpg.Connection, person_id: UUID) -> list[asyncpg.Record]:
    """A person's awards, the current one first, then newest first."""
    return await conn.fetch("select id, category, awarded_on, order_number, expires_on, superseded_by is null "
                            "as current from category_awards where person_id = $1 "
                            "order by superseded_by is null desc, awarded_on desc, created_at desc", person_id)


async def insert_award(conn: asyncpg.Connection, award_id: UUID, person_id: UUID, a, by: str,
                       previous: UUID | None) -> None:
    if previous is not None:  # first, so that one current award is all there is (the reference is deferred)
        await conn.execute("update category_awards set superseded_by = $2 where id = $1", previous, award_id)
    await conn.execute("insert into category_awards (id, person_id, category, awarded_on, order_number, expires_on, "
                       "recorded_by) values ($1, $2, $3, $4, $5, $6, $7)", award_id, person_id, a.category,
                       a.awarded_on, a.order_number, a.expires_on, by)


async def categories(conn: asyncpg.Connection) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("select code, title, extra from catalogue_items where catalogue = 'categories'")
    return {r["code"]: r for r in rows}


# ---- attestation due ---------------------------------------------------------------------------------------

DUE_ORDER = Ordering("attestation-due", (("expires_day", int), ("person_id", UUID)))
# $1 day, $2 municipality, $3 organisation, $4 position, $5 subject (EMPLOYED), $6 horizon
_DUE_FROM = f"""from persons p join category_awards a on a.person_id = p.id and a.superseded_by is null
                where a.expires_on <= $6 and {EMPLOYED}"""


async def due(conn: asyncpg.Connection, args: list, limit: int, after: tuple | None) -> list[asyncpg.Record]:
    args = [*args, limit]
    seek = ""
    if after is not None:
        seek = f"and (a.expires_on - date '1970-01-01', p.id) > (${len(args) + 1}, ${len(args) + 2})"
        args += list(after)
    return await conn.fetch(f"""select p.id as person_id, p.last_name, p.first_name, p.middle_name,
                                       a.category, a.awarded_on, a.expires_on,
                                       a.expires_on - date '1970-01-01' as expires_day
                                  {_DUE_FROM} {seek} order by a.expires_on, p.id limit $7""", *args)


async def count_due(conn: asyncpg.Connection, args: list) -> int:
    return await conn.fetchval(f"select count(*) {_DUE_FROM}", *args)

