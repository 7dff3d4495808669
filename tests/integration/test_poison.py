"""Poisoned events against the real broker: parked in `<topic>.dlq` and counted, the partition moves on;
a failing database is retried without parking anything or committing past an unapplied record."""
import asyncio
import collections
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from metodset_contracts.catalogue import ORGANISATIONS_TOPIC
from metodset_kit import kafka, telemetry
from metodset_kit.consumer import Projection, subscribe
from metodset_kit.consumer import stop as stop_consumers
from metodset_monitoring.facts_projection import apply_fact_events
from tests.conftest import migrated_pool, settings_for
from tests.factories import registered_event as _registered
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration

CONSUMER = "monitoring.organisations"



@pytest.fixture
async def env(infra, namespace):
    telemetry.configure("tests")  # the Prometheus reader behind /metrics
    ns = f"{namespace}_{uuid.uuid4().hex[:6]}"
    settings = settings_for(infra, ns, "monitoring", consumer_batch_size=50, consumer_max_attempts=3,
                            consumer_retry_backoff_seconds=0.05, consumer_retry_backoff_max_seconds=0.2)
    pool = await migrated_pool(settings, "metodset_monitoring")
    topic = settings.topic(ORGANISATIONS_TOPIC)
    await kafka.ensure_topics(settings, [topic, f"{topic}.dlq"])  # four partitions each (the default)
    producer = kafka.producer(settings)
    await producer.start()
    brokers = []

    async def start_consumer(apply):
        broker = KafkaBroker(settings.bootstrap_servers)
        subscribe(broker, lambda: pool, Projection(CONSUMER, [ORGANISATIONS_TOPIC], apply), settings)
        await broker.start()
        brokers.append(broker)

    async def send(event, key: bytes):
        return await (await producer.send(topic, event.to_bytes(), key=key))

    yield settings, pool, start_consumer, send
    for b in brokers:
        await stop_consumers(b)
    await producer.stop()
    await pool.close()


async def _inbox(pool) -> set[uuid.UUID]:
    return {r["event_id"] for r in await pool.fetch("select event_id from inbox")}


def _dead_lettered(topic: str) -> float:
    for family in text_string_to_metric_families(_metrics_text()):
        for sample in family.samples:
            if (sample.name == "metodset_consumer_dead_lettered_total" and sample.labels.get("topic") == topic
                    and sample.labels.get("consumer") == CONSUMER):
                return sample.value
    return 0.0


def _metrics_text() -> str:
    from prometheus_client import generate_latest

    return generate_latest(REGISTRY).decode()  # what /metrics serves


async def test_a_poisoned_event_is_parked_with_its_error_and_the_partition_moves_on(env):
    settings, pool, start_consumer, send = env
    events = [_registered(i) for i in range(10)]
    poisoned = events[3]

    async def apply(conn, evs):
        if any(e.id == poisoned.id for e in evs):
            raise ValueError(f"cannot project {poisoned.id}")
        await apply_fact_events(conn, evs)

    await start_consumer(apply)
    sent = [await send(e, b"same-key") for e in events]  # one key: one partition, in order

    others = {e.id for e in events} - {poisoned.id}
    await eventually(lambda: _contains(pool, others))
    assert poisoned.id not in await _inbox(pool)
    assert await pool.fetchval("select count(*) from organisation_facts") == 9

    topic = settings.topic(ORGANISATIONS_TOPIC)
    dlq = await read_all(settings.bootstrap_servers, f"{topic}.dlq")
    assert [r.value for r in dlq] == [poisoned.to_bytes()]
    headers = {k: v.decode() for k, v in dlq[0].headers}
    assert headers["dlq-consumer"] == CONSUMER
    assert headers["dlq-reason"].startswith("projection failed 3 times: ValueError(")
    assert str(poisoned.id) in headers["dlq-reason"]
    assert (headers["dlq-original-topic"], int(headers["dlq-original-partition"]),
            int(headers["dlq-original-offset"])) == (topic, sent[3].partition, sent[3].offset)
    assert _dead_lettered(topic) == 1.0

    async def moved_on():
        return (await _committed(settings, topic)).get(sent[0].partition) == sent[-1].offset + 1

    await eventually(moved_on)  # acknowledged past the parked record: it is not retried for ever


async def test_a_failing_database_is_retried_and_nothing_is_committed_past_an_unapplied_record(env):
    settings, pool, start_consumer, send = env
    topic = settings.topic(ORGANISATIONS_TOPIC)
    state = {"broken": True, "failed": 0}
    applied: list[uuid.UUID] = []

    async def apply(conn, evs):
        if state["broken"]:
            state["failed"] += 1
            raise ConnectionResetError("connection to the database lost")
        await apply_fact_events(conn, evs)
        applied.extend(e.id for e in evs)

    events = [_registered(i) for i in range(30)]
    await start_consumer(apply)
    where = {}
    for e in events:  # a key each: the records spread over the topic's partitions
        meta = await send(e, uuid.uuid4().bytes)
        where[e.id] = (meta.partition, meta.offset)
    assert len({p for p, _ in where.values()}) == settings.kafka_topic_partitions > 1

    watcher = asyncio.create_task(_watch_commits(settings, topic, pool, where))
    try:
        # failed more often than a poisoned record may before it is parked: the batch kept coming again
        await eventually(lambda: _at_least(state, 3 * settings.consumer_max_attempts))
        assert await _inbox(pool) == set()
        assert all(o in (None, 0) for o in (await _committed(settings, topic)).values())
        assert await read_all(settings.bootstrap_servers, f"{topic}.dlq") == []  # a failing database parks nothing

        state["broken"] = False
        await eventually(lambda: _contains(pool, set(where)))
    finally:
        watcher.cancel()
        violations = await asyncio.gather(watcher, return_exceptions=True)
    assert violations == [[]] or isinstance(violations[0], asyncio.CancelledError)

    assert collections.Counter(applied) == collections.Counter(set(where))  # each event applied exactly once
    assert await pool.fetchval("select count(*) from inbox") == len(events)
    ends = {p: max(o for q, o in where.values() if q == p) + 1 for p, _ in where.values()}

    async def all_committed():
        return await _committed(settings, topic) == ends

    await eventually(all_committed)
    assert await read_all(settings.bootstrap_servers, f"{topic}.dlq") == []


async def _at_least(state, n: int) -> bool:
    return state["failed"] >= n


async def _contains(pool, ids: set) -> bool:
    return ids <= await _inbox(pool)


async def _committed(settings, topic: str) -> dict[int, int | None]:
    probe = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=settings.topic(CONSUMER),
                             enable_auto_commit=False)
    await probe.start()
    try:
        await probe.topics()  # loads the cluster metadata
        return {p: await probe.committed(TopicPartition(topic, p)) for p in probe.partitions_for_topic(topic)}
    finally:
        await probe.stop()


async def _watch_commits(settings, topic, pool, where) -> list[str]:
    """Until cancelled, compare the group's committed offsets with what the inbox holds.

    The offsets are read before the inbox, which only grows, so a correct consumer never shows a
    committed offset past the first unapplied record of its partition."""
    violations: list[str] = []
    by_partition = collections.defaultdict(list)
    for event_id, (p, o) in where.items():
        by_partition[p].append((o, event_id))
    try:
        while True:
            committed = await _committed(settings, topic)
            inbox = await _inbox(pool)
            for p, records in by_partition.items():
                unapplied = [o for o, event_id in sorted(records) if event_id not in inbox]
                limit = unapplied[0] if unapplied else sorted(records)[-1][0] + 1
                if (committed.get(p) or 0) > limit:
                    violations.append(f"partition {p}: committed {committed[p]}, first unapplied {limit}")
            await asyncio.sleep(0.05)
    except asyncio.CancelledError:
        return violations
