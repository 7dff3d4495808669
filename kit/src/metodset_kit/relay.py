"""Outbox relay: publishes unsent rows to Kafka in batches, marks them sent once the broker acked them.

Rows are claimed with FOR UPDATE SKIP LOCKED inside one transaction, so several relays share the work
and a relay that dies releases its rows; a row is not claimed while an earlier unsent row of the same
key is held elsewhere, which keeps each aggregate's order. Woken by LISTEN/NOTIFY, with a polling
fallback; failures back off and retry for ever.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
from aiokafka import AIOKafkaProducer

from . import logging as log
from .ordering import Outcome, backoff_seconds, settle
from .settings import ServiceSettings
from .telemetry import meter

_CLAIM = """
with claimed as (
    select seq from outbox
    where sent_at is null and next_attempt_at <= now()
    order by seq
    limit $1
    for update skip locked
)
select o.seq, o.topic, o.key, o.value, o.headers, o.attempts
from outbox o join claimed c using (seq)
where not exists (
    select 1 from outbox e
    where e.key = o.key and e.sent_at is null and e.seq < o.seq
      and e.seq not in (select seq from claimed)
)
order by o.seq
"""
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


class Relay:
    def __init__(self, pool: asyncpg.Pool, producer: AIOKafkaProducer, *, batch_size: int, poll_interval: float,
                 topic_of: Callable[[str], str] = str, workers: int = 1):
        self.topic_of = topic_of
        self.workers = workers
        self.pool = pool
        self.producer = producer
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._stopping = False
        self.backlog = {"unsent": 0, "oldest_seconds": 0.0}
        self._log = log.get("relay")
        _register_metrics(self)

    @classmethod
    def for_settings(cls, pool: asyncpg.Pool, producer: AIOKafkaProducer, settings: ServiceSettings) -> Relay:
        return cls(pool, producer, batch_size=settings.relay_batch_size, poll_interval=settings.relay_poll_interval,
                   topic_of=settings.topic, workers=settings.relay_workers)

    async def publish_batch(self) -> int:
        """Claim, publish and settle one batch; returns the number of rows claimed."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_CLAIM, self.batch_size)
            if not rows:
                return 0
            outcomes = await self._publish(rows)
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
        return len(rows)

    async def _publish(self, rows) -> list[Outcome]:
        """Hand the whole batch to the producer, then wait for all acknowledgements together."""
        futures = [await self._send(r) for r in rows]
        results = await asyncio.gather(*futures, return_exceptions=True)
        return [
            Outcome(r["seq"], r["key"], repr(res) if isinstance(res, BaseException) else None)
            for r, res in zip(rows, results, strict=True)
        ]

    async def _send(self, row) -> asyncio.Future:
        headers = [(k, v.encode()) for k, v in row["headers"].items()]
        try:
            return await self.producer.send(self.topic_of(row["topic"]), row["value"], key=row["key"].encode(),
                                            headers=headers)
        except Exception as exc:  # noqa: BLE001 - refused before sending: settle it as a failed record
            failed = asyncio.get_running_loop().create_future()
            failed.set_exception(exc)
            return failed

    async def run(self) -> None:
        """Publish until stopped. Several workers overlap one batch's broker round trip with the next
        batch's claim; the claim rule keeps each aggregate's order between them."""
        listener = asyncio.create_task(self._listen())
        try:
            await asyncio.gather(*(self._work() for _ in range(self.workers)), self._watch_backlog())
        finally:
            listener.cancel()

    async def _work(self) -> None:
        """One worker: a failure of the broker or the database only delays its next try."""
        failures = 0
        while not self._stopping:
            try:
                claimed = await self.publish_batch()
                failures = 0
                if not claimed:
                    await self._sleep(self.poll_interval)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the relay must outlive any failure
                failures += 1
                self._log.warning("relay.error", error=repr(exc), failures=failures)
                await self._sleep(backoff_seconds(failures))

    async def _watch_backlog(self) -> None:
        while not self._stopping:
            try:
                await self._refresh_backlog()
            except Exception as exc:  # noqa: BLE001
                self._log.warning("relay.backlog_error", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), 2)

    def stop(self) -> None:
        self._stopping = True
        self._stopped.set()
        self._wake.set()

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            return
        self._wake.clear()

    async def _listen(self) -> None:
        """Hold a LISTEN connection; reconnect if it drops. Polling covers the gaps."""
        while not self._stopping:
            try:
                conn = await self.pool.acquire()
                wake = lambda *_: self._wake.set()  # noqa: E731
                try:
                    await conn.add_listener("outbox", wake)
                    while not self._stopping and not conn.is_closed():
                        await asyncio.sleep(self.poll_interval * 5)
                finally:
                    if not conn.is_closed():
                        await conn.remove_listener("outbox", wake)
                    await self.pool.release(conn)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                self._log.warning("relay.listen_error", error=repr(exc))
                await asyncio.sleep(self.poll_interval)

    async def _refresh_backlog(self) -> None:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(_BACKLOG)
        self.backlog = {"unsent": row["unsent"], "oldest_seconds": float(row["oldest"])}


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
