"""The embedded broker keeps topics in memory while PostgreSQL keeps its data: after a restart, a projection
created since (a new service, a new consumer) would never see what was published before. So `metodset run`
hands every service's outbox history to the relay again; consumers deduplicate by event id (inbox), so
what they have already applied is skipped."""
from __future__ import annotations

import asyncio

import asyncpg

from metodset_kit import db
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


async def topic_records(bootstrap: str, topics: list[str]) -> int:
    """How many records the broker still holds on the topics (end minus beginning offsets)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        names = set(await consumer.topics())
        parts = [TopicPartition(t, p) for t in topics if t in names for p in consumer.partitions_for_topic(t) or ()]
        if not parts:
            return 0
        begin, end = await consumer.beginning_offsets(parts), await consumer.end_offsets(parts)
        return sum(end[p] - begin[p] for p in parts)
    finally:
        await consumer.stop()


async def replay_monitoring(database_url: str, bootstrap: str, *, prefix: str = "metodset", namespace: str = "",
                            source: str = "auto", say=print) -> dict:
    """`metodset replay monitoring`: rebuild monitoring's facts and indicator values from the beginning,
    from the topics, or from the owners' outboxes when the broker holds less than they wrote (`auto`)."""
    from metodset_monitoring import replay as monitoring

    def topic(name: str) -> str:
        return f"{namespace}.{name}" if namespace else name

    owners = [with_database(database_url, f"{prefix}_{s}") for s in ("registry", "events")]
    admin = await asyncpg.connect(database_url)
    try:
        existing = {r["datname"] for r in await admin.fetch("select datname from pg_database")}
    finally:
        await admin.close()
    owners = [u for u, s in zip(owners, ("registry", "events"), strict=True) if f"{prefix}_{s}" in existing]
    written = await monitoring.outbox_count(owners)
    if source == "auto":
        held = await topic_records(bootstrap, [topic(t) for t in monitoring.TOPICS])
        source = "topics" if held >= written else "outbox"
        say(f"replay monitoring: the broker holds {held} records, the owners' outboxes {written}: from {source}")
    batches = (monitoring.from_topics(bootstrap, topic) if source == "topics"
               else monitoring.from_outboxes(owners))
    pool = await db.pool_at(with_database(database_url, f"{prefix}_monitoring"))
    try:
        report = await monitoring.rebuild(
            pool, batches, total=written,
            progress=lambda done, total: say(f"replay monitoring: {done}/{total or '?'} events"))
    finally:
        await pool.close()
    say(f"replay monitoring: done — {report.applied} events applied, {report.rejected} rejected, "
        f"{report.changes} indicator values changed")
    return {"source": source, **vars(report)}
