"""The pipeline's stages one at a time: the CPU each costs per event with nothing else running.

`tests.bench.pipeline` measures the stages together, as they run, and on a shared two-core machine its
per-process figures move by a third from one run to the next (each stage's share of the cores, the caches,
the neighbours). Here each stage runs alone on a backlog the previous one left, one process each, so a change
to one stage shows in its own figure: the registry takes N organisations in batches (relay stopped, monitoring
not started), then the relay publishes the outbox, then monitoring applies the topic. CPU of the stage's
process and of the whole PostgreSQL server, in µs per event. Figures only; nothing here asserts a speed.
"""
from __future__ import annotations

import asyncio
import os
import time

import asyncpg
import psutil

from metodset_kit.settings import with_database
from tests.bench import pipeline

N = int(os.environ.get("BENCH_STAGE_EVENTS", "20000"))
_UNSENT = "select count(*) from outbox where sent_at is null"


def _postgres() -> float:
    return sum(sum(p.cpu_times()[:2]) for p in psutil.process_iter(["name"])
               if p.info["name"] == "postgres" and p.is_running())


def _cpu(pid: int) -> float:
    return sum(psutil.Process(pid).cpu_times()[:2])


class Meter:
    """CPU of some processes and of PostgreSQL, and the wall clock, from now on."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.started = time.perf_counter()
        self.cpu = [_cpu(p) for p in pids]
        self.pg = _postgres()

    def line(self, stage: str, names: list[str], events: int) -> str:
        elapsed = time.perf_counter() - self.started
        parts = [f"{name} {(_cpu(p) - c) / events * 1e6:5.1f}" for name, p, c in zip(names, self.pids, self.cpu,
                                                                                     strict=True)]
        return (f"  {stage:10s} {events / elapsed:8.0f} events/s   CPU µs per event: " + ", ".join(parts)
                + f", postgres {(_postgres() - self.pg) / events * 1e6:5.1f}")


async def _wait(condition, interval: float = 0.2) -> None:
    while not await condition():
        await asyncio.sleep(interval)


async def main() -> None:
    data, infra, namespace, stack = pipeline.bench_stack("stage", "1")
    relay = None
    lines = []
    try:
        stack.start(("registry",), log_dir=data)
        registry = stack.services["registry"]
        bearer = await pipeline.with_municipality(registry.url, data)
        pipeline.N, pipeline.CLIENTS = N, 2
        requests = pipeline.client_requests([registry.url], bearer)
        broker = infra._broker.pid if infra._broker is not None else None
        meter = Meter([registry.proc.pid])
        await asyncio.gather(*(pipeline._post_batches(url, r) for url, r in requests))
        lines.append(meter.line("registry", ["registry"], N))

        reg = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_registry"))
        relay = stack.start_relay("registry", log_dir=data)
        await _wait(lambda: _below(reg, N + 1), 0.002)  # the relay's start-up is not its work
        left = await reg.fetchval(_UNSENT)
        meter = Meter([relay.pid] + ([broker] if broker else []))
        await _wait(lambda: _below(reg, 1))
        lines.append(meter.line("relay", ["relay"] + (["broker"] if broker else []), left))
        await reg.close()

        stack.start(("monitoring",), log_dir=data)
        monitoring = stack.services["monitoring"]
        mon = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_monitoring"))
        await _wait(lambda: _applied(mon, 1), 0.002)  # from its first commit on: its start-up is not its work
        first = await pipeline._count(mon)
        meter = Meter([monitoring.proc.pid] + ([broker] if broker else []))
        await _wait(lambda: _applied(mon, N))
        lines.append(meter.line("monitoring", ["monitoring"] + (["broker"] if broker else []),
                                await pipeline._count(mon) - first))
        await mon.close()
    finally:
        if relay is not None:
            relay.terminate()
            relay.wait()
        await pipeline.stop_stack(stack, infra, namespace)
    print(f"\nMetodset pipeline stages one at a time: {N} organisations in batches of {pipeline.BATCH}, "
          "one process per stage")
    print("\n".join(lines))


async def _below(conn: asyncpg.Connection, n: int) -> bool:
    return await conn.fetchval(_UNSENT) < n


async def _applied(conn: asyncpg.Connection, n: int) -> bool:
    return await pipeline._count(conn) >= n


if __name__ == "__main__":
    asyncio.run(main())
