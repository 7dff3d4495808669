"""Outbox relay: publishes unsent rows to Kafka in batches, marks them sent once the broker acked them.

Rows are claimed with FOR UPDATE SKIP LOCKED inside one transaction, so several relays (and several
workers of one relay) share the work, and a relay that dies releases its rows. A row is not published
while an earlier unsent row of the same key is backing off or held by another relay, which keeps each
aggregate's order. Woken by LISTEN/NOTIFY, with a polling fallback; failures back off and retry for ever
(the age of the oldest unsent row is a metric, so a stuck row is seen).
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaProducer

from . import logging as log
from .kafka import partition as partition_of
from .ordering import Outcome, backoff_seconds, in_order, settle
from .settings import ServiceSettings
from .telemetry import meter

# The claim must walk the unsent index in seq order and stop at the batch's size. Planned with statistics from a
# quieter moment (a few unsent rows), it read every unsent row and sorted them all instead: 50 ms a claim, on disk,
# at a backlog of 20,000, so a burst was relayed in quadratic time. Sorting is off for the relay's transaction.
# Its commit does not wait for the disk: a mark lost in a crash only sends its rows again, which consumers
# deduplicate. One statement for both, so the transaction costs no extra round trip.
_SETTINGS = "set local enable_sort = off; set local synchronous_commit = off"
# Three plain queries, each at worst one scan of the unsent rows: correlated subqueries here were planned
# against an empty outbox at start and went quadratic once a burst of rows arrived before ANALYZE.
_RETRYING_KEYS = """
select distinct key from outbox where sent_at is null and attempts > 0 and next_attempt_at > now()
"""
_CLAIM = """
select seq, topic, key, value, headers::text as headers, attempts from outbox
where sent_at is null and next_attempt_at <= now() and key <> all($2::text[])
order by seq
limit $1
for update skip locked
"""
# Every unsent row up to the last one claimed: an aggregate's earlier event always has the smaller seq, so
# these are all the rows a claimed one could overtake (the claimed rows and those other relays hold).
_UNSENT_UP_TO = "select seq, key from outbox where sent_at is null and seq <= $1"
_MARK_SENT = "update outbox set sent_at = clock_timestamp(), attempts = attempts + 1 where seq = any($1::bigint[])"
_MARK_FAILED = """
update outbox o set attempts = o.attempts + 1, last_error = f.error,
       next_attempt_at = clock_timestamp() + make_interval(secs => f.delay)
from unnest($1::bigint[], $2::text[], $3::float8[]) as f(seq, error, delay)
where o.seq = f.seq
"""
_BACKLOG = """
select count(*) as unsent, coalesce(extract(epoch from now() - min(created_at)), 0) as oldest
from outbox where sent_at is null
"""
SKIPPED = "not sent: an earlier event of the same aggregate was refused"


@dataclass(frozen=True)
class Claim:
    rows: list
    more: bool  # rows went out and the claim was full or held some back: more may be due at once


class Relay:
    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, *, batch_size: int, poll_interval: float,
                 topic_of: Callable[[str], str] = str, workers: int = 1,
                 ensure_topics: Callable[[list[str]], Awaitable[None]] | None = None,
                 batch_timeout: float = 60.0):
        self.pool = pool
        self.producer = producer
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.topic_of = topic_of
        self.workers = workers
        self.batch_timeout = batch_timeout
        self._ensure_topics = ensure_topics
        self._known_topics: set[str] = set()
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self.backlog = {"unsent": 0, "oldest_seconds": 0.0}
        self._log = log.get("relay")
        _register_metrics(self)

    @classmethod
    def for_settings(cls, pool: asyncpg.Pool, producer: AIOKafkaProducer, settings: ServiceSettings) -> Relay:
        from .kafka import ensure_topics

        return cls(pool, producer, batch_size=settings.relay_batch_size, poll_interval=settings.relay_poll_interval,
                   topic_of=settings.topic, workers=settings.relay_workers,
                   batch_timeout=settings.shutdown.relay_batch_timeout,
                   ensure_topics=lambda topics: ensure_topics(settings, topics))

    @property
    def stopping(self) -> bool:
        return self._stopped.is_set()

    async def publish_batch(self) -> int:
        """Claim, publish and settle one batch; returns the number of rows claimed."""
        return len((await self._publish_next()).rows)

    async def _publish_next(self) -> Claim:
        async with self.pool.acquire() as conn, conn.transaction():
            claim = await self._claim(conn)
            rows = claim.rows
            if not rows:
                return claim
            await self._know_topics(rows)
            outcomes = await asyncio.wait_for(self._publish(rows), self.batch_timeout)
            sent, retry = settle(outcomes)
            if sent:
                await conn.execute(_MARK_SENT, sent)
            if retry:
                attempts = {r["seq"]: r["attempts"] for r in rows}
                await conn.execute(
                    _MARK_FAILED,
                    [o.seq for o in retry],
                    [o.error[:1000] for o in retry],
                    [backoff_seconds(attempts[o.seq] + 1) for o in retry],
                )
                self._log.warning("relay.publish_failed", failed=len(retry), error=retry[0].error)
        return claim

    async def _claim(self, conn: asyncpg.Connection) -> Claim:
        """Lock a batch of due rows, skipping keys with a row in backoff, then keep only those that do not
        overtake an earlier unsent row of their key held by another relay."""
        await conn.execute(_SETTINGS)
        retrying = [r["key"] for r in await conn.fetch(_RETRYING_KEYS)]
        rows = await conn.fetch(_CLAIM, self.batch_size, retrying)
        if not rows:
            return Claim([], more=False)
        unsent = await conn.fetch(_UNSENT_UP_TO, rows[-1]["seq"])
        ready = in_order([(r["seq"], r["key"]) for r in rows], [(u["seq"], u["key"]) for u in unsent])
        more = bool(ready) and (len(rows) == self.batch_size or len(ready) < len(rows))
        return Claim([r for r in rows if r["seq"] in ready], more)

    async def _know_topics(self, rows) -> None:
        """A topic missing from the producer's metadata would make every send wait for its timeout."""
        new = {self.topic_of(r["topic"]) for r in rows} - self._known_topics
        if new and self._ensure_topics is not None:
            await self._ensure_topics(sorted(new))
        self._known_topics |= new

    async def _publish(self, rows) -> list[Outcome]:
        """Fresh rows go out as one record batch per partition; a batch holding a row that failed before is
        sent record by record, so that a record the broker refuses holds up only its own aggregate."""
        if any(r["attempts"] for r in rows):
            return await self._publish_each(rows)
        return await self._publish_batched(rows)

    async def _publish_each(self, rows) -> list[Outcome]:
        """Hand the whole batch to the producer, then wait for all acknowledgements together.

        A record the producer refuses outright (too large, say) is not followed by later records of the
        same key in this batch, so the broker never gets an aggregate's events out of order."""
        refused: dict[str, str] = {}
        pending = []
        for r in rows:
            if r["key"] in refused:
                pending.append((r, SKIPPED))
                continue
            try:
                pending.append((r, await self._send(r)))
            except Exception as exc:  # noqa: BLE001 - settled as a failed record
                refused[r["key"]] = repr(exc)
                pending.append((r, repr(exc)))
        futures = [p for _, p in pending if isinstance(p, asyncio.Future)]
        await asyncio.gather(*futures, return_exceptions=True)
        return [Outcome(r["seq"], r["key"], _error_of(p)) for r, p in pending]

    async def _send(self, row) -> asyncio.Future:
        return await self.producer.send(self.topic_of(row["topic"]), row["value"], key=row["key"].encode(),
                                        headers=_headers(row))

    async def _publish_batched(self, rows) -> list[Outcome]:
        """Records grouped by partition (the producer's own key hash) into record batches built directly:
        per-record sends cost the relay more than everything else it does."""
        by_partition: dict[tuple[str, int], list] = {}
        topics: dict[str, tuple[str, list[int]]] = {}  # outbox topic → (broker topic, its partitions)
        for r in rows:
            if r["topic"] not in topics:
                topic = self.topic_of(r["topic"])
                topics[r["topic"]] = topic, sorted(await self.producer.partitions_for(topic))
            topic, partitions = topics[r["topic"]]
            key = r["key"].encode()
            by_partition.setdefault((topic, partition_of(key, partitions, partitions)), []).append((r, key))
        pending = []
        for (topic, partition), records in by_partition.items():
            pending += await self._send_batches(topic, partition, records)
        await asyncio.gather(*(p for _, p in pending if isinstance(p, asyncio.Future)), return_exceptions=True)
        return [Outcome(r["seq"], r["key"], _error_of(p)) for r, p in pending]

    async def _send_batches(self, topic: str, partition: int, records) -> list:
        """One partition's records in order, in as many record batches as they need. A record the producer
        would refuse (too large) is settled as failed, and later records of its key are held back."""
        pending, batch, members, refused = [], self.producer.create_batch(), [], {}
        for r, key in records:
            if r["key"] in refused:
                pending.append((r, SKIPPED))
                continue
            headers = _headers(r)
            try:  # the producer's own check (private in aiokafka; its version is pinned in uv.lock)
                self.producer._serialize(key, r["value"], headers)
            except Exception as exc:  # noqa: BLE001 - settled as a failed record
                refused[r["key"]] = repr(exc)
                pending.append((r, repr(exc)))
                continue
            if batch.append(key=key, value=r["value"], timestamp=None, headers=headers) is None:
                future = await self.producer.send_batch(batch, topic, partition=partition)
                pending += [(m, future) for m in members]
                batch, members = self.producer.create_batch(), []
                batch.append(key=key, value=r["value"], timestamp=None, headers=headers)
            members.append(r)
        if members:
            future = await self.producer.send_batch(batch, topic, partition=partition)
            pending += [(m, future) for m in members]
        return pending

    async def run(self) -> None:
        """Publish until stopped. Several workers overlap one batch's broker round trip with the next
        batch's claim; the claim rule keeps each aggregate's order between them."""
        listener = asyncio.create_task(self._listen())
        try:
            await asyncio.gather(*(self._work() for _ in range(self.workers)), self._watch_backlog())
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _work(self) -> None:
        """One worker: a failure of the broker or the database only delays its next try."""
        failures = 0
        while not self.stopping:
            try:
                claim = await self._publish_next()
                failures = 0
                if not claim.more:  # caught up: the next commit's NOTIFY (or the poll) wakes the worker
                    await self._idle()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the relay must outlive any failure
                failures += 1
                self._log.warning("relay.error", error=repr(exc), failures=failures)
                await self._pause(backoff_seconds(failures))

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    async def _idle(self) -> None:
        """Wait for a NOTIFY, the polling interval, or stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
        self._wake.clear()

    async def _pause(self, seconds: float) -> None:
        """Back off: new rows do not cut this short, only stop does."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), timeout=seconds)

    async def _watch_backlog(self) -> None:
        while not self.stopping:
            try:
                async with self.pool.acquire() as conn:
                    row = await conn.fetchrow(_BACKLOG)
                self.backlog = {"unsent": row["unsent"], "oldest_seconds": float(row["oldest"])}
            except Exception as exc:  # noqa: BLE001
                self._log.warning("relay.backlog_error", error=repr(exc))
            await self._pause(2.0)

    async def _listen(self) -> None:
        """Hold a LISTEN connection and check it now and then; polling covers any gap."""
        def wake(*_):
            self._wake.set()

        while not self.stopping:
            try:
                async with self.pool.acquire() as conn:
                    await conn.add_listener("outbox", wake)
                    try:
                        while not self.stopping:
                            await self._pause(self.poll_interval * 5)
                            await conn.fetchval("select 1")  # a dead connection raises and is replaced
                    finally:
                        if not conn.is_closed():
                            await conn.remove_listener("outbox", wake)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                self._log.warning("relay.listen_error", error=repr(exc))
                await self._pause(self.poll_interval)


def _headers(row) -> list[tuple[str, bytes]]:
    return list(_decoded_headers(row["headers"]))


@functools.lru_cache(maxsize=1024)
def _decoded_headers(text: str) -> tuple[tuple[str, bytes], ...]:
    """The events of one change share their headers (content type, trace): each distinct text is parsed once."""
    return tuple((k, v.encode()) for k, v in json.loads(text).items())


def _error_of(pending) -> str | None:
    if isinstance(pending, str):
        return pending
    exc = pending.exception()
    return repr(exc) if exc else None


def _register_metrics(relay: Relay) -> None:
    from opentelemetry.metrics import Observation

    m = meter()
    m.create_observable_gauge(
        "metodset.outbox.unsent", callbacks=[lambda _: [Observation(relay.backlog["unsent"])]],
        description="Outbox rows not yet acknowledged by the broker",
    )
    m.create_observable_gauge(
        "metodset.outbox.oldest_unsent_age", unit="s",
        callbacks=[lambda _: [Observation(relay.backlog["oldest_seconds"])]],
        description="Age of the oldest unsent outbox row",
    )
