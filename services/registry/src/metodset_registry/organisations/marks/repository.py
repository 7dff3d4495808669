"""SQL access to the marks on organisations (flags, site statuses; migration 003)."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from metodset_contracts.organisations import FlagKind, SiteKind, SiteLevel

from ...domain.flags import Flag
from ...domain.periods import Period
from ...domain.sites import Site

_FLAG_COLUMNS = "id, organisation_id, kind, valid_from, valid_to, cleared_to, source"


def _flag(row) -> Flag:
    cleared = row["cleared_to"] is not None
    return Flag(id=row["id"], organisation_id=row["organisation_id"], kind=FlagKind(row["kind"]),
                period=Period(row["valid_from"], row["cleared_to"] if cleared else row["valid_to"]),
                source=row["source"], set_to=row["valid_to"], cleared=cleared)


async def flags(conn: asyncpg.Connection, org_id: UUID) -> list[Flag]:
    rows = await conn.fetch(f"select {_FLAG_COLUMNS} from organisation_flags where organisation_id = $1 "
                            "order by valid_from, created_at, id", org_id)
    return [_flag(r) for r in rows]


async def insert_flag(conn: asyncpg.Connection, flag: Flag) -> None:
    await conn.execute("insert into organisation_flags (id, organisation_id, kind, valid_from, valid_to, source) "
                       "values ($1, $2, $3, $4, $5, $6)",
                       flag.id, flag.organisation_id, flag.kind.value, flag.period.start, flag.period.end, flag.source)


async def clear_flag(conn: asyncpg.Connection, flag: Flag) -> None:
    await conn.execute("update organisation_flags set cleared_to = $2, cleared_at = now() where id = $1",
                       flag.id, flag.period.end)


_SITE_COLUMNS = "id, organisation_id, kind, level, valid_from, valid_to, ended_to, topic, order_number, order_date"


def _site(row) -> Site:
    done = row["ended_to"] is not None
    return Site(id=row["id"], organisation_id=row["organisation_id"], kind=SiteKind(row["kind"]),
                level=SiteLevel(row["level"]) if row["level"] else None,
                period=Period(row["valid_from"], row["ended_to"] if done else row["valid_to"]),
                order_number=row["order_number"], order_date=row["order_date"], topic=row["topic"],
                granted_to=row["valid_to"], ended=done)


async def sites(conn: asyncpg.Connection, org_id: UUID) -> list[Site]:
    rows = await conn.fetch(f"select {_SITE_COLUMNS} from organisation_sites where organisation_id = $1 "
                            "order by valid_from, created_at, id", org_id)
    return [_site(r) for r in rows]


async def insert_site(conn: asyncpg.Connection, site: Site) -> None:
    await conn.execute(
        "insert into organisation_sites (id, organisation_id, kind, level, valid_from, valid_to, topic, order_number, "
        "order_date) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        site.id, site.organisation_id, site.kind.value, site.level.value if site.level else None, site.period.start,
        site.period.end, site.topic, site.order_number, site.order_date)


async def end_site(conn: asyncpg.Connection, site: Site) -> None:
    await conn.execute("update organisation_sites set ended_to = $2, ended_at = now() where id = $1",
                       site.id, site.period.end)
