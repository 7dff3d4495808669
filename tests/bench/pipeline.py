"""`make bench`: throughput of the slice pipeline next to raw aiokafka on the same broker, and latency.

Pipeline: HTTP batch registration (state change + outbox in one transaction) → relay → Kafka →
monitoring consumer (inbox + projection in one transaction). Baseline: raw aiokafka producing the same
number of records of the same size with acks=all and a consumer group reading them back, on as many partitions,
measured just before and just after each round of the pipeline (each time the median of three runs; the mean of
before and after is the round's baseline);
the ratio is the median round's. Latency: from
the outbox insert (just before the registering transaction commits) to the consumer's inbox insert, for
single registrations sent one after another. Figures only; nothing here asserts a speed.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from metodset_kit.settings import ServiceSettings, with_database
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, Stack, free_port
from tests.bench.baselines import percentile
from tests.conftest import _drop_databases
from tests.factories import legal_inn

N = int(os.environ.get("BENCH_EVENTS", "20000"))
BATCH = 500
# Concurrent HTTP clients registering batches (municipalities uploading at once). Four keep every stage busy on a
# two-core machine; with two, the registry's process waits for PostgreSQL's commit and the other way round.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
LATENCY_SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "300"))
MEMBERS = os.environ.get("BENCH_MEMBERS", "1")  # monitoring's consumer members per process, as deploy/ runs it
# Processes of the registry and of monitoring each, as deploy/k8s runs two replicas of every service: the
# clients take turns between the registry's, monitoring's share the consumer group.
REPLICAS = int(os.environ.get("BENCH_REPLICAS", "2"))
OKTMO = "29701000"
# Rounds of the raw baseline followed at once by the pipeline (fresh organisations each time); the ratio is taken
# within each round and the round with the median ratio is reported. On a shared machine a neighbour's load comes
# and goes within seconds: a baseline and a pipeline measured side by side meet the same neighbours, while the best
# of each measured minutes apart favoured whichever took less time (the baseline's half second more often finds a
# quiet moment than the pipeline's few). The first round also pays what a server running for days has behind it
# (shared buffers touched the first time, write-ahead log files created, each process's first batches), which the
# median leaves out. The baseline runs for half a second, the pipeline for a few: measured on both sides of each
# round (the next round's before is this one's after), a neighbour that came or went during the round weighs on
# the baseline as on the pipeline, instead of the ratio swinging with whatever the half second before it met.
# Five rounds: within one run of three, single rounds still printed anything from 0.21 to 0.29 with the code
# unchanged, and the median of three moved with one unlucky round; the median of five moves less.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
RAW_SAMPLES = int(os.environ.get("BENCH_RAW_SAMPLES", "3"))  # raw runs whose median is the baseline at one moment
PARTITIONS = ServiceSettings.model_fields["kafka_topic_partitions"].default  # the pipeline's topics, as the stack runs
EVENT_SIZE = 620  # bytes: a CloudEvents organisation.registered record as the relay publishes it


async def raw_baseline(bootstrap: str) -> float:
    """The raw baseline at one moment: the median of RAW_SAMPLES runs of `raw_aiokafka`, one after another. A single
    run lasts half a second, and on this machine single runs, seconds apart on an idle stack, gave anything from
    35,000 to 55,000 events/s: the median of three moves far less, and it leans neither way."""
    return statistics.median([await raw_aiokafka(bootstrap, N, EVENT_SIZE) for _ in range(RAW_SAMPLES)])


async def raw_aiokafka(bootstrap: str, n: int, size: int) -> float:
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    await admin.close()
    payload = b"x" * size
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=256 * 1024)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"bench-{uuid.uuid4().hex}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await producer.start()
    await consumer.start()
    started = time.perf_counter()
    futures = [await producer.send(topic, payload, key=str(i % 1000).encode()) for i in range(n)]
    await asyncio.gather(*futures)
    seen = 0
    while seen < n:
        batch = await consumer.getmany(timeout_ms=500, max_records=BATCH)
        seen += sum(len(v) for v in batch.values())
        await consumer.commit()
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return n / elapsed


async def raw_copy(database_url: str, n: int) -> float:
    """Baseline for the database side: COPY of n organisation-shaped rows into a table without indexes."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("create temporary table bench_copy (id uuid, name text, kind text, oktmo text, inn text)")
        rows = [(uuid.uuid4(), r["name"], r["kind"], r["municipalityOktmo"], r["inn"]) for r in _rows(0, n)]
        started = time.perf_counter()
        await conn.copy_records_to_table("bench_copy", records=rows)
        return n / (time.perf_counter() - started)
    finally:
        await conn.close()


def _rows(start: int, count: int) -> list[dict]:
    return [{"name": f"МБОУ «Средняя общеобразовательная школа № {i}»", "kind": "school",
             "municipalityOktmo": OKTMO, "inn": legal_inn(i)} for i in range(start, start + count)]


def _requests(registry: str, bearer: dict, bodies: list[bytes]) -> list[bytes]:
    """Whole HTTP/1.1 requests, bytes ready to write: the load generator does nothing in the timed part but
    write them and read the answers (an HTTP client library costs as much CPU per batch as a stage of the
    pipeline, and on two cores every stage shares the machine with it)."""
    host = urlsplit(registry).netloc
    return [(f"POST /organisations/batch HTTP/1.1\r\nHost: {host}\r\nAuthorization: {bearer['Authorization']}\r\n"
             f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
            for body in bodies]


async def _post_batches(registry: str, requests: list[bytes]) -> None:
    """Send the requests one after another on one kept-alive connection; any answer but 201 stops the bench."""
    url = urlsplit(registry)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        for request in requests:
            writer.write(request)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            if status.split()[1:2] != [b"201"]:
                raise RuntimeError(f"registration batch answered {status!r}: {body[:300]!r}")
    finally:
        writer.close()
        await writer.wait_closed()


async def _count(conn: asyncpg.Connection, since: uuid.UUID | None = None) -> int:
    """Events monitoring has applied; with `since`, only those whose (time-ordered) ids are not older: the bench
    counts a round's events over and over while they arrive, and counting all the rounds before as well cost
    the database more with every round, on the cores the pipeline runs on."""
    if since is None:
        return await conn.fetchval("select count(*) from inbox where consumer = 'monitoring.projections'")
    return await conn.fetchval("select count(*) from inbox where consumer = 'monitoring.projections' "
                               "and event_id >= $1", since)


def _ids_from_now() -> uuid.UUID:
    """The least version 7 id of this millisecond: every event id made from now on is not smaller."""
    return uuid.UUID(int=time.time_ns() // 1_000_000 << 80)


async def _until_applied(conn: asyncpg.Connection, since: uuid.UUID, n: int, started: float) -> None:
    """Wait until the n events made since `since` are in the inbox. The bench asks seldom while much is left and
    often near the end (at least every 10 ms then): its own load stays out of the figures it measures."""
    while (done := await _count(conn, since)) < n:
        rate = max(done, 1) / max(time.perf_counter() - started, 1e-3)
        await asyncio.sleep(min(0.5, max(0.01, (n - done) / rate / 2)))


def _cpu_seconds(services: dict[str, list], relay, infra: Infrastructure) -> dict[str, float]:
    """CPU time used so far by each part of the pipeline (a service: all its replicas; PostgreSQL: all its
    backends)."""
    procs = {name: [psutil.Process(s.proc.pid) for s in replicas] for name, replicas in services.items()}
    procs["relay"] = [psutil.Process(relay.pid)]
    if infra._broker is not None:
        procs["broker"] = [psutil.Process(infra._broker.pid)]
    out = {}
    for name, ps in procs.items():
        times = [p.cpu_times() for p in ps]
        out[name] = sum(t.user + t.system for t in times)
        out[f"{name}.sys"] = sum(t.system for t in times)
    pg = [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]
    me = psutil.Process().cpu_times()  # the load generator: writing requests, reading answers, polling the inbox
    out["bench client"] = me.user + me.system
    out["bench client.sys"] = me.system
    out["postgres"] = sum(sum(p.cpu_times()[:2]) for p in pg if p.is_running())
    return out


async def _settled(monitoring_url: str) -> None:
    """Wait until monitoring has recomputed what the pipeline changed, so that the baseline after it runs on a
    machine as quiet as the one before."""
    conn = await asyncpg.connect(monitoring_url)
    try:
        for _ in range(300):
            if not await conn.fetchval("select count(*) from facts_dirty"):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # the last round's commit and announcements
    finally:
        await conn.close()


def _machine_busy() -> float:
    """CPU seconds the whole machine spent outside idle so far (every process, the bench's own too)."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


async def _wal(database_url: str) -> dict[str, float]:
    """Write-ahead log written so far by the whole server: bytes, records and full-page images."""
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow("select pg_current_wal_insert_lsn() - '0/0'::pg_lsn as bytes, wal_records, wal_fpi "
                                  "from pg_stat_wal")
        return {k: float(row[k]) for k in ("bytes", "wal_records", "wal_fpi")}
    finally:
        await conn.close()


def client_requests(registries: list[str], bearer: dict, first: int = 0) -> list[tuple[str, list[bytes]]]:
    """Each client's registry and requests for N organisations from number `first` on, made before the clock
    starts (and before the CPU is counted): the client's work is not the platform's."""
    clients = []
    for w in range(CLIENTS):
        registry = registries[w % len(registries)]
        bodies = [json.dumps(_rows(start, BATCH), ensure_ascii=False).encode()
                  for start in range(first + w * BATCH, first + N, CLIENTS * BATCH)]
        clients.append((registry, _requests(registry, bearer, bodies)))
    return clients


async def pipeline(infra: Infrastructure, namespace: str,
                   requests: list[tuple[str, list[bytes]]]) -> tuple[float, float, dict, dict]:
    monitoring = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_monitoring"))
    reg = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_registry"))
    since = _ids_from_now()
    started = time.perf_counter()
    await asyncio.gather(*(_post_batches(registry, r) for registry, r in requests))
    ingested = time.perf_counter() - started
    backlog = {"unsent": await reg.fetchval("select count(*) from outbox where sent_at is null"),
               "unapplied": N - await _count(monitoring, since)}
    await _until_applied(monitoring, since, N, started)
    elapsed = time.perf_counter() - started
    per_transaction = "select count(*)::float / count(distinct xmin::text) from {} where {}"
    sizes = {"relay": await reg.fetchval(per_transaction.format("outbox", "sent_at is not null")),
             "consumer": await monitoring.fetchval(per_transaction.format("inbox", "true"))}
    await reg.close()
    await monitoring.close()
    return N / ingested, N / elapsed, sizes, backlog


async def latency(stack: Stack, infra: Infrastructure, namespace: str, bearer: dict) -> list[float]:
    registry = stack.services["registry"].url
    async with httpx.AsyncClient(timeout=30) as http:
        for row in _rows(ROUNDS * N + 1, LATENCY_SAMPLES):
            (await http.post(f"{registry}/organisations", json=row, headers=bearer)).raise_for_status()
            await asyncio.sleep(0.01)
    reg = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_registry"))
    mon = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_monitoring"))
    try:
        created = {r["event_id"]: r["created_at"] for r in await reg.fetch(
            "select event_id, created_at from outbox order by seq desc limit $1", LATENCY_SAMPLES)}
        for _ in range(600):
            received = {r["event_id"]: r["received_at"] for r in await mon.fetch(
                "select event_id, received_at from inbox where consumer = 'monitoring.projections' "
                "and event_id = any($1)", list(created))}
            if len(received) == len(created):
                break
            await asyncio.sleep(0.05)
    finally:
        await reg.close()
        await mon.close()
    return sorted((received[e] - created[e]).total_seconds() * 1000 for e in created)


@dataclass
class Round:
    raw: float  # the raw aiokafka baseline measured just before
    ingest: float
    piped: float
    sizes: dict
    backlog: dict
    machine: float  # CPU seconds the whole machine was busy
    cpu: dict  # CPU seconds of each part
    wal: dict

    raw_after: float = 0.0  # and just after (once the projection settled); 0 until measured

    @property
    def baseline(self) -> float:
        return (self.raw + self.raw_after) / 2 if self.raw_after else self.raw

    @property
    def ratio(self) -> float:
        return self.piped / self.baseline


async def _round(infra: Infrastructure, namespace: str, services: dict, relay, bearer: dict, first: int) -> Round:
    """The raw baseline, then one timed run of the pipeline with N new organisations and what it cost; returns
    once monitoring has recomputed, so the next measurement starts on a quiet machine."""
    requests = client_requests([s.url for s in services["registry"]], bearer, first)
    raw = await raw_baseline(infra.bootstrap_servers)
    cpu_before = _cpu_seconds(services, relay, infra)
    machine_before = _machine_busy()
    wal_before = await _wal(infra.database_url)
    ingest, piped, sizes, backlog = await pipeline(infra, namespace, requests)
    machine = _machine_busy() - machine_before
    cpu = {k: v - cpu_before.get(k, 0) for k, v in _cpu_seconds(services, relay, infra).items()}
    wal = {k: v - wal_before[k] for k, v in (await _wal(infra.database_url)).items()}
    await _settled(with_database(infra.database_url, f"{namespace}_monitoring"))
    return Round(raw, ingest, piped, sizes, backlog, machine, cpu, wal)


def bench_stack(prefix: str, monitoring_members: str) -> tuple[Path, Infrastructure, str, Stack]:
    """PostgreSQL and a broker (embedded unless the environment names them) and a stack on free ports, in a
    namespace of its own; not started. As deploy/ runs it, the registry's processes have no relay: a bench
    starts one as a process of its own."""
    data = Path(tempfile.mkdtemp(prefix=f"metodset-{prefix}-"))
    infra = Infrastructure(data, kafka_port=free_port()).start()
    namespace = f"{prefix}{uuid.uuid4().hex[:6]}"
    ports = {n: free_port() for n in ("gateway", "registry", "events", "monitoring")}
    stack = Stack(infra, ports=ports, database_prefix=namespace,
                  extra_env={"KAFKA_NAMESPACE": namespace, "RELAY_ENABLED": "false"},
                  service_env={"monitoring": {"CONSUMER_MEMBERS": monitoring_members}})
    return data, infra, namespace, stack


async def with_municipality(registry: str, data: Path) -> dict:
    """The municipality the bench registers organisations in; returns the coordinator's authorization header."""
    bearer = {"Authorization": f"Bearer {devissuer.issue('regional_coordinator', base=data)}"}
    async with httpx.AsyncClient() as http:
        (await http.post(f"{registry}/municipalities", json={"oktmo": OKTMO, "name": "Калуга"},
                         headers=bearer)).raise_for_status()
    return bearer


async def stop_stack(stack: Stack, infra: Infrastructure, namespace: str) -> None:
    stack.stop()
    if os.environ.get("DATABASE_URL"):
        await _drop_databases(infra.database_url, f"{namespace}_")
    infra.stop()


async def main() -> None:
    # Monitoring with BENCH_MEMBERS members of its consumer group per process (deploy/ runs one).
    data, infra, namespace, stack = bench_stack("bench", MEMBERS)
    relay = None
    services: dict[str, list] = {}
    try:
        stack.start(("registry", "monitoring"), log_dir=data)
        relay = stack.start_relay("registry", log_dir=data)
        services = {name: [stack.services[name]] for name in ("registry", "monitoring")}
        for i in range(1, REPLICAS):
            (data / f"replica{i}").mkdir()
            for name, replicas in services.items():
                replicas.append(stack.start_replica(name, log_dir=data / f"replica{i}"))
        bearer = await with_municipality(stack.services["registry"].url, data)
        copy = await raw_copy(with_database(infra.database_url, f"{namespace}_registry"), N)
        rounds = [await _round(infra, namespace, services, relay, bearer, first=r * N) for r in range(ROUNDS)]
        for this, following in zip(rounds, rounds[1:], strict=False):
            this.raw_after = following.raw
        rounds[-1].raw_after = await raw_baseline(infra.bootstrap_servers)
        lat = await latency(stack, infra, namespace, bearer)
    finally:
        if relay is not None:
            relay.terminate()
            relay.wait()
        for replica in (r for replicas in services.values() for r in replicas[1:]):
            replica.stop()
        await stop_stack(stack, infra, namespace)
    median = sorted(rounds, key=lambda r: r.ratio)[len(rounds) // 2]
    raw, ingest, piped, sizes, backlog, machine, cpu, wal = (median.baseline, median.ingest, median.piped, median.sizes,
                                                              median.backlog, median.machine, median.cpu, median.wal)
    broker = "external" if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") else "embedded Tansu"
    print(f"\nMetodset pipeline benchmark: {N} events in batches of {BATCH} from {CLIENTS} clients, "
          f"broker {broker}, {REPLICAS} registry processes + relay + {REPLICAS} monitoring processes "
          f"({MEMBERS} consumer members each)")
    print(f"  rounds    pipeline / raw aiokafka before and after it, {ROUNDS} times: "
          + "; ".join(f"{r.piped:.0f} / ({r.raw:.0f}, {r.raw_after:.0f}) = {r.ratio:.2f}" for r in rounds)
          + " (the median round's figures below)")
    print(f"  baseline  raw aiokafka produce+consume (acks=all), mean  {raw:10.0f} events/s")
    print(f"  pipeline  HTTP batch → outbox → relay → Kafka → projection {piped:6.0f} events/s")
    print(f"  of which  HTTP batch → state + outbox committed         {ingest:10.0f} events/s")
    print(f"  backlog   when the last batch was committed: {backlog['unsent']} events not yet relayed, "
          f"{backlog['unapplied']} not yet applied by monitoring")
    print(f"  baseline  raw asyncpg COPY of the same rows              {copy:10.0f} rows/s")
    print(f"  ratio     pipeline / raw aiokafka, the median round's    {piped / raw:10.2f}")
    print(f"  latency   commit → projection, {len(lat)} single registrations: "
          f"p50 {statistics.median(lat):.1f} ms, p99 {percentile(lat, 99):.1f} ms, max {lat[-1]:.1f} ms")
    print(f"  batches   events per relay transaction {sizes['relay']:.0f}, per consumer transaction "
          f"{sizes['consumer']:.0f}")
    print(f"  WAL       per event: {wal['bytes'] / N:.0f} bytes, {wal['wal_records'] / N:.1f} records, "
          f"{wal['wal_fpi'] / N:.2f} full-page images (whole server)")
    print(f"  machine   busy {machine / (N / piped):.2f} of {psutil.cpu_count()} CPUs while the pipeline ran, "
          f"{machine / N * 1e6:.0f} µs of CPU per event in all")
    print("  CPU µs per event in the pipeline (of which in the kernel): " + ", ".join(
        f"{k} {v / N * 1e6:.0f} ({cpu.get(k + '.sys', 0) / N * 1e6:.0f})" for k, v in cpu.items() if "." not in k))


if __name__ == "__main__":
    asyncio.run(main())
