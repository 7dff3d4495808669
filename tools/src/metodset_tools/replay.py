"""The embedded broker keeps topics in memory while PostgreSQL keeps its data: after a restart, a projection
created since (a new service, a new consumer) would never see what was published before. So `metodset run`
hands every service's outbox history to the relay again; consumers deduplicate by event id (inbox), so
what they have already applied is skipped."""
from __future__ import annotations

import asyncio

import asyncpg

from metodset_kit.settings import with_database

SERVICES = ("registry", "events", "monitoring", "gateway")
_REPUBLISH = ("update outbox set sent_at = null, attempts = 0, last_error = null, next_attempt_at = '-infinity' "
              "where sent_at is not null")


async def republish(database_url: str, prefix: str = "metodset") -> dict[str, int]:
    """Mark every sent outbox row of each existing service database unsent; returns the rows per service."""
    admin = await asyncpg.connect(database_url)
    try:
        existing = {r["datname"] for r in await admin.fetch("select datname from pg_database")}
    finally:
        await admin.close()
    counts = {}
    for name in SERVICES:
        database = f"{prefix}_{name}"
        if database not in existing:
            continue
        conn = await asyncpg.connect(with_database(database_url, database))
        try:
            if await conn.fetchval("select to_regclass('outbox') is not null"):
                counts[name] = int((await conn.execute(_REPUBLISH)).split()[-1])
        finally:
            await conn.close()
    return counts


def republish_sync(database_url: str, prefix: str = "metodset") -> dict[str, int]:
    return asyncio.run(republish(database_url, prefix))
