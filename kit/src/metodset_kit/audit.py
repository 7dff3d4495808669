"""Audit log of reads of personal data: who, what, when, and why (the operation that read it)."""
from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from .pagination import Ordering
from .scope import Principal
from .telemetry import current_trace_id

# Newest first: a cursor holds the id of the last entry of a page; the next page has the smaller ids.
ORDER = Ordering("audit_log", (("id", int),))


async def record_read(conn: asyncpg.Connection, principal: Principal, resource: str, ids: Sequence[str],
                      operation: str | None = None) -> None:
    """One entry per record read, in one statement however many (a list page, an export)."""
    if not ids:
        return
    await conn.execute(
        "insert into audit_log (subject, role, action, resource, resource_id, trace_id, operation)"
        " select $1, $2, 'read', $3, unnest($4::text[]), $5, $6",
        principal.subject, principal.role.value, resource, [str(i) for i in ids], current_trace_id(), operation)


async def entries(conn: asyncpg.Connection, *, resource: str | None = None, resource_id: str | None = None,
                  after: int | None = None, limit: int = 50) -> list[asyncpg.Record]:
    """Entries newest first, optionally of one record; `after` is the id of the last entry of the previous page
    (entries with smaller ids follow)."""
    args: list = [resource, resource_id, limit]
    seek = ""
    if after is not None:
        args.append(after)
        seek = "and id < $4"
    return await conn.fetch(
        f"""select id, at, subject, role, action, resource, resource_id, operation, trace_id from audit_log
             where ($1::text is null or resource = $1) and ($2::text is null or resource_id = $2) {seek}
             order by id desc limit $3""", *args)
