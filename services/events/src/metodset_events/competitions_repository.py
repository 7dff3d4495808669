"""SQL of competitions: competitions with stages and nominations, jurors, entries with members, scores."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from metodset_kit.pagination import Ordering, keyset_after, order_by

BY_YEAR = Ordering("competitions.year", (("year", int), ("title", str), ("id", UUID)))
ENTRIES = Ordering("competitions.entries", (("nomination_id", UUID), ("id", UUID)))


async def competition(conn: asyncpg.Connection, competition_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from competitions where id = $1", competition_id)


async def insert_competition(conn: asyncpg.Connection, row: dict) -> None:
    await conn.execute(
        """insert into competitions (id, title, kind, format, year, municipality_oktmo, aggregation, award_rule,
                                     created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        row["id"], row["title"], row["kind"], row["format"], row["year"], row["municipality_oktmo"],
        row["aggregation"], row["award_rule"], row["created_by"])


def _where(year: int | None, kind: str | None, municipality: str | None) -> tuple[str, list]:
    params: list = []
    conditions = ["true"]
    for column, value in (("year", year), ("kind", kind), ("municipality_oktmo", municipality)):
        if value is not None:
            params.append(value)
            conditions.append(f"{column} = ${len(params)}")
    return " and ".join(conditions), params


async def competitions_page(conn: asyncpg.Connection, year: int | None, kind: str | None, municipality: str | None,
                            limit: int, after: tuple | None) -> tuple[list[asyncpg.Record], int]:
    where, params = _where(year, kind, municipality)
    total = await conn.fetchval(f"select count(*) from competitions where {where}", *params)
    if after is not None:
        where += " and " + keyset_after(BY_YEAR, len(params) + 1)
        params += list(after)
    params.append(limit)
    rows = await conn.fetch(f"select * from competitions where {where} {order_by(BY_YEAR)} limit ${len(params)}",
                            *params)
    return rows, total


async def stages_of(conn: asyncpg.Connection, competition_ids: Sequence[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(
        """select s.*, coalesce(array_agg(j.person_id order by j.added_at, j.person_id)
                                filter (where j.person_id is not null), '{}') as juror_ids
             from competition_stages s left join competition_jurors j on j.stage_id = s.id
            where s.competition_id = any($1::uuid[])
            group by s.id
            order by array_position(array['school', 'municipal', 'regional', 'federal'], s.level),
                     s.municipality_oktmo nulls first, s.id""", list(competition_ids))


async def nominations_of(conn: asyncpg.Connection, competition_ids: Sequence[UUID]) -> list[asyncpg.Record]:
    return await conn.fetch("select * from competition_nominations where competition_id = any($1::uuid[])"
                            " order by created_at, id", list(competition_ids))


async def stage(conn: asyncpg.Connection, stage_id: UUID, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"""select s.*, c.kind, c.aggregation, c.award_rule, c.municipality_oktmo as competition_oktmo
              from competition_stages s join competitions c on c.id = s.competition_id
             where s.id = $1{' for update of s' if lock else ''}""", stage_id)


async def insert_stage(conn: asyncpg.Connection, row: dict) -> None:
    await conn.execute(
        """insert into competition_stages (id, competition_id, level, municipality_oktmo, starts_on, ends_on,
                                           created_by) values ($1, $2, $3, $4, $5, $6, $7)""",
        row["id"], row["competition_id"], row["level"], row["municipality_oktmo"], row["starts_on"], row["ends_on"],
        row["created_by"])


async def insert_nomination(conn: asyncpg.Connection, nomination_id: UUID, competition_id: UUID, title: str,
                            criteria: list[dict]) -> None:
    await conn.execute("insert into competition_nominations (id, competition_id, title, criteria)"
                       " values ($1, $2, $3, $4)", nomination_id, competition_id, title, criteria)


async def nomination(conn: asyncpg.Connection, nomination_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from competition_nominations where id = $1", nomination_id)


async def add_juror(conn: asyncpg.Connection, stage_id: UUID, person_id: UUID, by: str) -> bool:
    done = await conn.execute("insert into competition_jurors (stage_id, person_id, added_by) values ($1, $2, $3)"
                              " on conflict do nothing", stage_id, person_id, by)
    return done.endswith("1")


async def is_juror(conn: asyncpg.Connection, stage_id: UUID, person_id: UUID) -> bool:
    return await conn.fetchval("select exists (select 1 from competition_jurors where stage_id = $1 and"
                               " person_id = $2)", stage_id, person_id)


_ENTRY = """select e.*, s.competition_id from competition_entries e join competition_stages s on s.id = e.stage_id"""


async def entry(conn: asyncpg.Connection, entry_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"{_ENTRY} where e.id = $1", entry_id)


async def insert_entry(conn: asyncpg.Connection, row: dict, members: Sequence[dict]) -> None:
    await conn.execute(
        """insert into competition_entries (id, stage_id, nomination_id, organisation_id, municipality_oktmo, title,
                                            team_name, from_entry_id, submitted_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        row["id"], row["stage_id"], row["nomination_id"], row["organisation_id"], row["municipality_oktmo"],
        row["title"], row["team_name"], row.get("from_entry_id"), row["submitted_by"])
    await conn.executemany(
        """insert into competition_entry_members (entry_id, position, organisation_id, person_id, last_name,
                                                  first_name, middle_name, grade)
           values ($1, $2, $3, $4, $5, $6, $7, $8)""",
        [(row["id"], i, m["organisation_id"], m.get("person_id"), m.get("last_name"), m.get("first_name"),
          m.get("middle_name"), m.get("grade")) for i, m in enumerate(members)])


async def members_of(conn: asyncpg.Connection, entry_ids: Sequence[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    rows = await conn.fetch("select * from competition_entry_members where entry_id = any($1::uuid[])"
                            " order by entry_id, position", list(entry_ids))
    out: dict[UUID, list[asyncpg.Record]] = {e: [] for e in entry_ids}
    for r in rows:
        out[r["entry_id"]].append(r)
    return out


async def persons_entered(conn: asyncpg.Connection, stage_id: UUID, nomination_id: UUID,
                          person_ids: Sequence[UUID]) -> list[UUID]:
    rows = await conn.fetch(
        """select distinct m.person_id from competition_entry_members m
             join competition_entries e on e.id = m.entry_id
            where e.stage_id = $1 and e.nomination_id = $2 and m.person_id = any($3::uuid[])""",
        stage_id, nomination_id, list(person_ids))
    return [r["person_id"] for r in rows]


def scope_condition(organisation: str | None, municipality: str | None, first: int) -> tuple[str, list]:
    """Which entries of a stage a caller who does not run it sees: their organisation's or municipality's."""
    if organisation is not None:
        return f"e.organisation_id = ${first}::uuid", [organisation]
    if municipality is not None:
        return f"e.municipality_oktmo = ${first}", [municipality]
    return "false", []


async def entries_page(conn: asyncpg.Connection, stage_id: UUID, scope: tuple[str, list] | None, limit: int,
                       after: tuple | None) -> tuple[list[asyncpg.Record], int]:
    params: list = [stage_id]
    where = "e.stage_id = $1"
    if scope is not None:
        where += f" and {scope[0]}"
        params += scope[1]
    total = await conn.fetchval(f"select count(*) from competition_entries e where {where}", *params)
    seek = "true"
    if after is not None:
        seek = keyset_after(ENTRIES, len(params) + 1)
        params += list(after)
    params.append(limit)
    rows = await conn.fetch(f"select * from ({_ENTRY} where {where}) e where {seek} {order_by(ENTRIES)}"
                            f" limit ${len(params)}", *params)
    return rows, total


async def stage_entries(conn: asyncpg.Connection, stage_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(f"{_ENTRY} where e.stage_id = $1 order by e.nomination_id, e.id", stage_id)


async def replace_sheet(conn: asyncpg.Connection, entry_id: UUID, juror_id: UUID, sheet: dict[str, Decimal],
                        by: str) -> None:
    await conn.execute("delete from competition_scores where entry_id = $1 and juror_id = $2", entry_id, juror_id)
    await conn.executemany(
        "insert into competition_scores (entry_id, juror_id, criterion, points, scored_by) values ($1, $2, $3, $4, $5)",
        [(entry_id, juror_id, code, points, by) for code, points in sheet.items()])


async def sheets_of(conn: asyncpg.Connection, stage_id: UUID) -> dict[UUID, dict[UUID, dict[str, Decimal]]]:
    """Entry → juror → criterion → points, for every entry of the stage."""
    rows = await conn.fetch(
        """select sc.entry_id, sc.juror_id, sc.criterion, sc.points from competition_scores sc
             join competition_entries e on e.id = sc.entry_id where e.stage_id = $1""", stage_id)
    out: dict[UUID, dict[UUID, dict[str, Decimal]]] = {}
    for r in rows:
        out.setdefault(r["entry_id"], {}).setdefault(r["juror_id"], {})[r["criterion"]] = r["points"]
    return out


async def set_results(conn: asyncpg.Connection, found: Sequence[tuple[UUID, Decimal, int, str]]) -> None:
    await conn.executemany("update competition_entries set score = $2, place = $3, status = $4 where id = $1", found)


async def publish_stage(conn: asyncpg.Connection, stage_id: UUID) -> None:
    await conn.execute("update competition_stages set status = 'published', published_at = now() where id = $1",
                       stage_id)


async def advanced_from(conn: asyncpg.Connection, entry_ids: Sequence[UUID]) -> set[UUID]:
    rows = await conn.fetch("select from_entry_id from competition_entries where from_entry_id = any($1::uuid[])",
                            list(entry_ids))
    return {r["from_entry_id"] for r in rows}


async def copy_materials(conn: asyncpg.Connection, from_entry: UUID, to_entry: UUID) -> None:
    await conn.execute(
        """insert into materials (id, owner_kind, owner_id, title, url, sha256, file_type, file_name, size_bytes,
                                  added_by)
           select gen_random_uuid(), 'entry', $2, title, url, sha256, file_type, file_name, size_bytes, added_by
             from materials where owner_kind = 'entry' and owner_id = $1""", from_entry, to_entry)
