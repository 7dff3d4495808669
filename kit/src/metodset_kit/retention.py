"""Pruning of delivery bookkeeping: inbox rows past the deduplication window, sent outbox rows if asked.

Sent outbox rows are kept by default: they are the owner's history from which a projection can be rebuilt.
Inbox rows only need to outlive any redelivery; projections also ignore stale aggregate versions.
"""
from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from . import logging as log


async def prune(pool: asyncpg.Pool, *, inbox_days: int, outbox_days: int) -> tuple[int, int]:
    """Delete inbox rows older than `inbox_days` and sent outbox rows older than `outbox_days` (0: keep)."""
    inbox = outbox = "DELETE 0"
    async with pool.acquire() as conn:
        if inbox_days > 0:
            inbox = await conn.execute(
                "delete from inbox where received_at < now() - make_interval(days => $1)", inbox_days)
        if outbox_days > 0:
            outbox = await conn.execute(
                "delete from outbox where sent_at < now() - make_interval(days => $1)", outbox_days)
    return int(inbox.split()[-1]), int(outbox.split()[-1])


async def run(pool: asyncpg.Pool, stopped: asyncio.Event, *, inbox_days: int, outbox_days: int,
              every_seconds: float = 3600) -> None:
    logger = log.get("retention")
    while not stopped.is_set():
        try:
            inbox, outbox = await prune(pool, inbox_days=inbox_days, outbox_days=outbox_days)
            if inbox or outbox:
                logger.info("retention.pruned", inbox=inbox, outbox=outbox)
        except Exception as exc:  # noqa: BLE001 - try again next round
            logger.warning("retention.failed", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), every_seconds)
