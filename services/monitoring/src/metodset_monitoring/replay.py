"""Rebuilding monitoring's projections from the beginning: the projected facts (the organisations among them) are
emptied (monitoring's own — campaign values, support cases — are kept),
every event of the consumed topics is applied again through the service's one consumer (support cases take
their events again as they would a redelivery: once per flag) — read from the broker
from offset zero, or from the owners' outbox history when the broker no longer holds it — and every
indicator is recomputed. Values equal to the stored ones are not announced again."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from metodset_contracts import CloudEvent, parse_event
from metodset_kit.consumer import claim_new

from .compute import Hook, claim_dirty, definitions, recompute, seed_catalogue
from .consumer import CONSUMER
from .recomputer import LOCK

# facts monitoring writes itself (approved campaign forms, support cases): not on any topic, kept by a replay
OWN_KINDS = ("campaign", "support_case", "recommendation")
TOPICS = CONSUMER.topics
Progress = Callable[[int, int | None], None]  # applied so far, total if known


@dataclass
class ReplayReport:
    read: int = 0
    applied: int = 0
    rejected: int = 0
    changes: int = 0


async def reset(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        await conn.execute("truncate facts_dirty")
        await conn.execute("delete from facts where not kind = any($1::text[])", list(OWN_KINDS))
        await conn.execute("delete from inbox where consumer = $1", CONSUMER.name)


async def apply_batch(pool: asyncpg.Pool, raw: Sequence[bytes], report: ReplayReport) -> None:
    events: list[CloudEvent] = []
    for value in raw:
        try:
            events.append(parse_event(value))
        except Exception:  # noqa: BLE001 - what a live consumer would dead-letter, a replay counts and skips
            report.rejected += 1
    async with pool.acquire() as conn, conn.transaction():
        fresh = await claim_new(conn, CONSUMER.name, [e for e in events if e.type in CONSUMER.handled_types])
        if fresh:
            await CONSUMER.apply(conn, fresh)
    report.read += len(raw)
    report.applied += len(events)


async def rebuild(pool: asyncpg.Pool, source: AsyncIterator[list[bytes]], *, total: int | None = None,
                  progress: Progress | None = None, hooks: Sequence[Hook] = (),
                  today: Callable[[], date] = date.today) -> ReplayReport:
    """Holds the recomputation lock throughout: a running service's loop skips its rounds meanwhile, so no
    value computed from half-replayed facts is stored or announced."""
    report = ReplayReport()
    async with pool.acquire() as guard:
        await guard.execute("select pg_advisory_lock($1)", LOCK)
        try:
            await seed_catalogue(guard)
            await reset(guard)
            async for raw in source:
                await apply_batch(pool, raw, report)
                if progress:
                    progress(report.read, total)
            await guard.execute("analyze facts")  # a table refilled at once: plans need its new statistics
            await claim_dirty(guard)  # what the service's consumers marked meanwhile: recomputed below anyway
            report.changes = len(await recompute(guard, await definitions(guard), today(), hooks))
        finally:
            await guard.execute("select pg_advisory_unlock($1)", LOCK)
    return report


async def outbox_count(urls: Sequence[str]) -> int:
    total = 0
    for url in urls:
        conn = await asyncpg.connect(url)
        try:
            if await conn.fetchval("select to_regclass('outbox') is not null"):
                total += await conn.fetchval("select count(*) from outbox where topic = any($1)", TOPICS)
        finally:
            await conn.close()
    return total


async def from_outboxes(urls: Sequence[str], batch: int = 5000) -> AsyncIterator[list[bytes]]:
    """The owners' history, database by database, in the order each owner wrote it."""
    for url in urls:
        conn = await asyncpg.connect(url)
        try:
            if not await conn.fetchval("select to_regclass('outbox') is not null"):
                continue
            last = 0
            while True:
                rows = await conn.fetch("select seq, value from outbox where topic = any($1) and seq > $2 "
                                        "order by seq limit $3", TOPICS, last, batch)
                if not rows:
                    break
                last = rows[-1]["seq"]
                yield [bytes(r["value"]) for r in rows]
        finally:
            await conn.close()


async def from_topics(bootstrap: str, topic_name: Callable[[str], str] = lambda t: t,
                      batch: int = 5000) -> AsyncIterator[list[bytes]]:
    """Every record on the consumed topics from offset zero up to their ends when the replay began, read
    without a consumer group (the service's own groups keep their offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        names = set(await consumer.topics())
        parts = [TopicPartition(topic_name(t), p) for t in TOPICS if topic_name(t) in names
                 for p in sorted(consumer.partitions_for_topic(topic_name(t)) or ())]
        if not parts:
            return
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = {tp: o for tp, o in (await consumer.end_offsets(parts)).items() if o > 0}
        while ends:
            got = await consumer.getmany(*ends, timeout_ms=500, max_records=batch)
            values = []
            for tp, records in got.items():
                values += [r.value for r in records if tp in ends and r.offset < ends[tp]]
                if records and records[-1].offset + 1 >= ends.get(tp, 0):
                    ends.pop(tp, None)
            if values:
                yield values
    finally:
        await consumer.stop()
