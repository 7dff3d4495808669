"""A consumer group's offsets, committed to the broker after the database and at most once per interval.

Each offset commit is a request the broker writes down. A member applying a few hundred events per transaction
committed after every one of them: dozens of commits a second, each a round trip the member waited for.
Here the offsets of applied records (their transaction committed) are gathered and sent as explicit offsets at
most every CONSUMER_COMMIT_INTERVAL_MS, and once more when the consumer stops. Only offsets past applied records
are ever sent, so a commit may go out at any moment, even while the next batch is being applied. What a crash
or a rebalance leaves uncommitted (at most one interval's records) is delivered again and skipped by the inbox.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from . import logging as log
from .redelivery import next_offsets


class Offsets:
    """One member's applied offsets, waiting for their commit."""

    def __init__(self, interval_seconds: float, clock=time.monotonic):
        self.interval = interval_seconds
        self._clock = clock
        self._pending: dict[tuple[str, int], int] = {}
        self._last = float("-inf")
        self._later: asyncio.Task | None = None
        self._consumer = None
        self.closing = False  # a stop is under way: every applied batch is committed at once
        self._log = log.get("consumer.commits")

    def applied(self, consumer, records: Iterable[tuple[str, int, int]]) -> None:
        self._consumer = consumer
        for key, offset in next_offsets(records).items():
            if offset > self._pending.get(key, -1):
                self._pending[key] = offset

    @property
    def pending(self) -> dict[tuple[str, int], int]:
        return dict(self._pending)

    async def commit(self) -> None:
        """Commit now if the interval has passed (or a stop is under way), else make sure a commit follows."""
        wait = self._last + self.interval - self._clock()
        if wait <= 0 or self.closing:
            await self.flush()
        elif self._later is None or self._later.done():
            self._later = asyncio.create_task(self._flush_after(wait))

    async def _flush_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.flush()

    async def flush(self) -> None:
        offsets, self._pending = self._pending, {}
        self._last = self._clock()
        if not offsets or self._consumer is None:
            return
        try:
            await self._consumer.commit({TopicPartition(t, p): o for (t, p), o in offsets.items()})
        except KafkaError as exc:  # a rebalance took the partitions: their records come again, the inbox skips them
            self._log.warning("consumer.commit_failed", error=repr(exc), partitions=len(offsets))

    async def close(self) -> None:
        """Commit what is applied, and from now on every applied batch at once (the consumer is stopping)."""
        self.closing = True
        if self._later is not None and not self._later.done():
            self._later.cancel()
        await self.flush()
