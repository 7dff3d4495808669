"""One keyset page of a monitoring table under a filter (kit pagination), and its count."""
from __future__ import annotations

import asyncpg

from metodset_kit.pagination import Ordering, keyset_after, order_by


async def page_rows(conn: asyncpg.Connection, table: str, where: str, args: list, ordering: Ordering, limit: int,
                    after: tuple | None) -> list[asyncpg.Record]:
    """`where` uses $1..$len(args); the limit and the cursor's keys follow."""
    params = [*args, limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(ordering, len(params) + 1)}"
        params += list(after)
    return await conn.fetch(f"select * from {table} where {where} {seek} {order_by(ordering)} limit ${len(args) + 1}",
                            *params)


async def count_rows(conn: asyncpg.Connection, table: str, where: str, args: list) -> int:
    return await conn.fetchval(f"select count(*) from {table} where {where}", *args)
