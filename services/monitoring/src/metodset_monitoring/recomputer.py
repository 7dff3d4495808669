"""The recomputation after consumer batches: a background loop picks up the fact kinds a batch changed
(`facts_dirty`) and recomputes the indicators that read them. Batches arriving meanwhile pile up into one
round (the debounce), so the cost follows the rounds, not the events. Under a steady flood (a bulk import, a
replay of another service) the loop rests as long as its last round took before looking again, so
recomputation takes at most about half of the service's time and the consumers keep up."""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import date

import asyncpg

from metodset_kit import logging as log

from .compute import Hook, affected, claim_dirty, definitions, recompute
from .domain.values import IndicatorValueChange
from .facts_projection import mark_dirty

EVERYTHING = "*"  # a dirty mark that recomputes every indicator (at start, after a replay)
MAX_PAUSE = 2.0  # seconds: a slow round never holds the next one back longer
LOCK = 0x6D6F6E69  # one recomputation at a time across replicas: a second one would announce the same changes


class Recomputer:
    def __init__(self, pool: asyncpg.Pool, hooks: Sequence[Hook] = (), interval: float = 0.1,
                 today: Callable[[], date] = date.today):
        self.pool = pool
        self.hooks = hooks
        self.interval = interval
        self.today = today
        self.stopped = asyncio.Event()
        self.rounds = 0
        self.busy = False  # the last round found work: more may have come meanwhile, look again soon
        self.last_round = 0.0  # seconds the last round with work took
        self.day = today()
        self.logger = log.get("monitoring.recompute")

    async def run_once(self) -> list[IndicatorValueChange]:
        started = time.perf_counter()
        try:
            return await self._locked_round()
        finally:
            if self.busy:
                self.last_round = time.perf_counter() - started

    async def _locked_round(self) -> list[IndicatorValueChange]:
        async with self.pool.acquire() as conn:
            if not await conn.fetchval("select pg_try_advisory_lock($1)", LOCK):
                return []
            try:
                return await self._round(conn)
            finally:
                await conn.execute("select pg_advisory_unlock($1)", LOCK)

    async def _round(self, conn: asyncpg.Connection) -> list[IndicatorValueChange]:
        kinds = await claim_dirty(conn)
        self.busy = bool(kinds)
        if not kinds:
            return []
        try:
            defs = await definitions(conn)
            if EVERYTHING in kinds:
                changes = await recompute(conn, defs, self.today(), self.hooks)
            else:
                changes = await recompute(conn, affected(defs, set(kinds)), self.today(), self.hooks, kinds)
        except Exception:
            await mark_dirty(conn, kinds)  # not lost: the next round tries again
            raise
        self.rounds += 1
        if changes:
            self.logger.info("indicators.recomputed", kinds=sorted(kinds), changes=len(changes))
        return changes

    async def _new_day(self) -> None:
        """A new day may open a new period (1 September, 1 January, a quarter): compute everything for it."""
        today = self.today()
        if today != self.day:
            self.day = today
            async with self.pool.acquire() as conn:
                await mark_dirty(conn, [EVERYTHING])

    async def run(self) -> None:
        while not self.stopped.is_set():
            try:
                await self._new_day()
                await self.run_once()
            except Exception as exc:  # the database may be away for a while: keep trying
                self.logger.error("indicators.recompute_failed", error=repr(exc))
                await asyncio.sleep(1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopped.wait(), self.pause())

    def pause(self) -> float:
        """Idle: the debounce interval. After a round with work: as long as that round took (at most
        MAX_PAUSE), so a flood of batches shares the service with the recomputation instead of starving."""
        return min(max(self.last_round, self.interval), MAX_PAUSE) if self.busy else self.interval


def starter(hooks: Sequence[Hook]):
    """A ServiceSpec starter: seed the catalogue, mark everything for recomputation, run the loop."""
    from .compute import seed_catalogue

    async def start(app, stack: contextlib.AsyncExitStack) -> None:
        pool = app.state.pool
        async with pool.acquire() as conn:
            await seed_catalogue(conn)
            await mark_dirty(conn, [EVERYTHING])
        recomputer = Recomputer(pool, hooks)
        app.state.recomputer = recomputer
        task = asyncio.create_task(recomputer.run())

        async def stop():
            recomputer.stopped.set()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, 10)

        stack.push_async_callback(stop)

    return start
