"""Audit log of reads of personal data: who, what, when."""
from __future__ import annotations

import asyncpg

from .scope import Principal
from .telemetry import current_trace_id


async def record_read(conn: asyncpg.Connection, principal: Principal, resource: str, ids: list[str]) -> None:
    await conn.executemany(
        "insert into audit_log (subject, role, action, resource, resource_id, trace_id)"
        " values ($1, $2, 'read', $3, $4, $5)",
        [(principal.subject, principal.role.value, resource, i, current_trace_id()) for i in ids],
    )
