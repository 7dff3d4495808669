"""Waiting at start for PostgreSQL and the broker: a service started before them (or while they restart)
waits and retries with backoff up to a limit, then stops with a message that says what it could not reach."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from aiokafka.errors import KafkaError

from . import logging as log
from .ordering import backoff_seconds

T = TypeVar("T")

# What "not reachable yet" looks like; anything else (a wrong password, a bad setting) fails at once.
UNREACHABLE = (OSError, TimeoutError, asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError, KafkaError)


class DependencyUnreachable(RuntimeError):
    pass


async def patiently(what: str, attempt: Callable[[], Awaitable[T]], *, limit: float,
                    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> T:
    """Call `attempt` until it succeeds; retry unreachable-dependency errors with backoff for `limit` seconds."""
    logger = log.get("startup")
    deadline = time.monotonic() + limit
    failures = 0
    while True:
        try:
            return await attempt()
        except UNREACHABLE as exc:
            failures += 1
            delay = backoff_seconds(failures, base=0.5, cap=5.0)
            if time.monotonic() + delay > deadline:
                message = (f"{what} недоступен(а) {limit:.0f} с, запуск прерван / {what} unreachable for "
                           f"{limit:.0f} s, giving up: {exc!r}")
                logger.error("startup.gave_up", dependency=what, attempts=failures, error=repr(exc))
                raise DependencyUnreachable(message) from exc
            logger.warning("startup.waiting", dependency=what, attempt=failures, retry_in=delay, error=repr(exc))
            await sleep(delay)
