"""The relay as a process of its own: `python -m metodset_kit.relay_main` with a service's settings.

A service runs its relay in-process by default (RELAY_ENABLED=true); production may instead run this
as separate replicas next to RELAY_ENABLED=false API replicas. Either way rows are shared safely.
"""
from __future__ import annotations

import asyncio
import contextlib
import signal

import uvloop

from . import db, heap, kafka, startup, telemetry
from . import logging as log
from .relay import Relay
from .settings import ServiceSettings


class RelaySettings(ServiceSettings):
    service_name: str = "relay"


async def main() -> None:
    settings = RelaySettings()
    telemetry.configure(f"{settings.service_name}-relay")
    log.configure(f"{settings.service_name}-relay", settings.log_level, settings.log_format)
    async with contextlib.AsyncExitStack() as stack:
        wait = settings.startup_wait_seconds
        pool = await startup.patiently("PostgreSQL", lambda: db.create_pool(settings), limit=wait)
        stack.push_async_callback(pool.close)
        producer = await startup.patiently("Kafka", lambda: kafka.started_producer(settings), limit=wait)
        stack.push_async_callback(producer.stop)
        relay = Relay.for_settings(pool, producer, settings)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, relay.stop)
        heap.settle(settings.gc_young_threshold)
        log.get().info("relay.started", database=settings.database_name)
        await relay.run()


if __name__ == "__main__":
    uvloop.run(main())
