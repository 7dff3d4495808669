"""SQL access to the marks on organisations (flags; migration 003)."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from metodset_contracts.organisations import FlagKind

from .domain.flags import Flag
from .domain.periods import Period

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
