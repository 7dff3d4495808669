"""SQL of the bank of practices: rows in and out, the filtered and searched list by cursor."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

from metodset_contracts.practices import PracticeLevel, PracticeStatus
from metodset_kit.pagination import Ordering, keyset_after, order_by

from .domain.practices import Practice
from .domain.search import TextQuery

BY_TITLE = Ordering("practices.title", (("title", str), ("id", UUID)))
# ranked: the best first; ts_rank scaled to an integer key so that the kit's cursor carries it
BY_RANK = Ordering("practices.rank", (("rank_key", int), ("id", UUID)))
RANK_SCALE = 1_000_000
# the snippet marks found words with ** (plain text: the description is people's text, never HTML)
HEADLINE = "StartSel=**, StopSel=**, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \""


@dataclass(frozen=True)
class Filters:
    search: TextQuery | None = None
    subject: str | None = None
    level: str | None = None
    status: str | None = None
    municipality: str | None = None
    organisation: UUID | None = None

    def where(self) -> tuple[str, list]:
        """The conditions and their parameters ($1 is the search text when there is one)."""
        params: list = [self.search.text] if self.search else []
        conditions = [f"p.search @@ {self.search.sql}"] if self.search else ["true"]
        for column, value in (("subject", self.subject), ("level", self.level), ("status", self.status),
                              ("municipality_oktmo", self.municipality), ("organisation_id", self.organisation)):
            if value is not None:
                params.append(value)
                conditions.append(f"p.{column} = ${len(params)}")
        return " and ".join(conditions), params


def _ranked_select(where: str, query: TextQuery) -> str:
    return f"""select p.*, ts_rank(p.search, {query.sql}) as rank,
                      (-(ts_rank(p.search, {query.sql}) * {RANK_SCALE}))::int as rank_key
                 from practices p where {where}"""


async def page(conn: asyncpg.Connection, filters: Filters, limit: int, after: tuple | None) -> list[asyncpg.Record]:
    """One page (limit rows): ranked by relevance with a search, else by title; snippets for the page only."""
    where, params = filters.where()
    ordering = BY_RANK if filters.search else BY_TITLE
    plain = f"select p.*, null::real as rank from practices p where {where}"
    inner = _ranked_select(where, filters.search) if filters.search else plain
    seek = ""
    if after is not None:
        seek = "where " + keyset_after(ordering, len(params) + 1)
        params += list(after)
    params.append(limit)
    headline = (f"ts_headline('russian', coalesce(nullif(page.description, ''), page.title), "
                f"{filters.search.sql}, '{HEADLINE}')") if filters.search else "null::text"
    sql = f"""select page.*, {headline} as snippet
                from (select * from ({inner}) s {seek} {order_by(ordering)} limit ${len(params)}) page
               {order_by(ordering)}"""
    return await conn.fetch(sql, *params)


async def count(conn: asyncpg.Connection, filters: Filters) -> int:
    where, params = filters.where()
    return await conn.fetchval(f"select count(*) from practices p where {where}", *params)


async def events_of(conn: asyncpg.Connection, ids: list[UUID]) -> dict[UUID, list[UUID]]:
    rows = await conn.fetch("select practice_id, event_id from practice_disseminations where practice_id = any($1)"
                            " order by added_at, event_id", ids)
    out: dict[UUID, list[UUID]] = {i: [] for i in ids}
    for r in rows:
        out[r["practice_id"]].append(r["event_id"])
    return out


def practice_of(row: asyncpg.Record, event_ids: list[UUID]) -> Practice:
    return Practice(id=row["id"], title=row["title"], organisation_id=row["organisation_id"],
                    municipality_oktmo=row["municipality_oktmo"], level=PracticeLevel(row["level"]),
                    status=PracticeStatus(row["status"]), description=row["description"],
                    author_ids=tuple(row["author_ids"]), subject=row["subject"], version=row["version"],
                    event_ids=tuple(event_ids))


async def row(conn: asyncpg.Connection, practice_id: UUID, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"select * from practices where id = $1{' for update' if lock else ''}", practice_id)


async def insert(conn: asyncpg.Connection, p: Practice, by: str) -> asyncpg.Record:
    return await conn.fetchrow(
        """insert into practices (id, title, description, author_ids, organisation_id, municipality_oktmo, subject,
                                  level, status, version, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *""",
        p.id, p.title, p.description, list(p.author_ids), p.organisation_id, p.municipality_oktmo, p.subject,
        p.level.value, p.status.value, p.version, by)


async def update_status(conn: asyncpg.Connection, p: Practice) -> asyncpg.Record:
    return await conn.fetchrow("update practices set status = $2, version = $3, updated_at = now() where id = $1"
                               " returning *", p.id, p.status.value, p.version)


async def add_event(conn: asyncpg.Connection, practice_id: UUID, event_id: UUID, by: str) -> None:
    await conn.execute("insert into practice_disseminations (practice_id, event_id, added_by) values ($1, $2, $3)",
                       practice_id, event_id, by)
