"""Consumers against the real broker: acknowledge after commit, deduplicate, dead-letter and go on."""
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from metodset_contracts.catalogue import ORGANISATIONS_TOPIC
from metodset_kit import kafka
from metodset_kit.consumer import Projection, claim_new, subscribe
from metodset_kit.consumer import stop as stop_consumers
from metodset_monitoring.facts_projection import apply_fact_events
from tests.conftest import migrated_pool, settings_for
from tests.factories import registered_event as _registered
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.integration



@pytest.fixture
async def env(infra, namespace):
    ns = f"{namespace}_{uuid.uuid4().hex[:6]}"
    settings = settings_for(infra, ns, "monitoring", consumer_batch_size=50)
    pool = await migrated_pool(settings, "metodset_monitoring")
    topic = settings.topic(ORGANISATIONS_TOPIC)
    await kafka.ensure_topics(settings, [topic, f"{topic}.dlq"])
    producer = kafka.producer(settings)
    await producer.start()
    brokers = []

    async def start_consumer(apply=apply_fact_events, members=1):
        broker = KafkaBroker(settings.bootstrap_servers)
        subscribe(broker, lambda: pool, Projection("monitoring.organisations", [ORGANISATIONS_TOPIC], apply),
                  settings.model_copy(update={"consumer_members": members}))
        await broker.start()
        brokers.append(broker)
        return broker

    async def send(value: bytes, key: bytes = b"k", headers=None):
        await (await producer.send(topic, value, key=key, headers=headers))

    yield settings, pool, start_consumer, send
    for b in brokers:
        await stop_consumers(b)
    await producer.stop()
    await pool.close()


async def _active(pool) -> int:
    return await pool.fetchval("select count(*) from organisation_facts where active")


async def test_duplicates_are_applied_once_and_bad_records_go_to_the_dead_letter_topic(env):
    settings, pool, start_consumer, send = env
    events = [_registered(i) for i in range(20)]
    await start_consumer()
    for e in events:
        await send(e.to_bytes(), str(e.data["organisationId"]).encode())
    await send(b"{not json", b"poison", headers=[("content-type", b"application/json")])
    bad_data = events[0].model_copy(update={"id": uuid.uuid4(), "data": {**events[0].data, "kind": "castle"}})
    await send(bad_data.to_bytes(), b"bad")
    for e in events[:5]:  # redelivery of events already applied
        await send(e.to_bytes(), str(e.data["organisationId"]).encode())
    odd_headers = _registered(98)  # a null and a binary header value must not stop the batch
    await send(odd_headers.to_bytes(), b"odd", headers=[("nullable", None), ("binary", b"\xff\xfe")])
    last = _registered(99)
    await send(last.to_bytes(), b"last")  # processing goes on after the bad records

    await eventually(lambda: _count_inbox(pool, 22))
    assert await _active(pool) == 22
    assert await pool.fetchval("select count(*) from inbox") == 22

    dlq = await read_all(settings.bootstrap_servers, settings.topic(ORGANISATIONS_TOPIC) + ".dlq")
    reasons = sorted(dict(r.headers)["dlq-reason"].decode() for r in dlq)
    assert len(dlq) == 2
    assert reasons[0].startswith("data does not match") and "kind" in reasons[0]
    assert reasons[1].startswith("not a CloudEvents")
    assert {r.value for r in dlq} == {b"{not json", bad_data.to_bytes()}


async def test_two_members_of_the_group_share_the_partitions_and_apply_every_event_once(env):
    settings, pool, start_consumer, send = env
    events = [_registered(i) for i in range(60)]  # 60 keys: every partition gets some
    broker = await start_consumer(members=2)
    assert len(broker.subscribers) == 2
    for e in events + events[:10]:  # the first ten twice
        await send(e.to_bytes(), str(e.data["organisationId"]).encode())
    async def all_applied():
        return await _active(pool) == 60
    await eventually(all_applied)
    assert await pool.fetchval("select count(*) from inbox where consumer = 'monitoring.organisations'") == 60


async def test_a_failed_transaction_is_not_acknowledged_and_the_batch_comes_again(env):
    settings, pool, start_consumer, send = env
    calls = {"n": 0}

    async def flaky(conn, events):
        calls["n"] += 1
        await apply_fact_events(conn, events)
        if calls["n"] == 1:
            raise RuntimeError("database went away mid-transaction")

    await start_consumer(flaky)
    events = [_registered(i) for i in range(10)]
    for e in events:
        await send(e.to_bytes(), b"same-key")
    await eventually(lambda: _count_inbox(pool, 10))
    assert calls["n"] >= 2
    assert await _active(pool) == 10


async def test_a_restarted_consumer_resumes_from_its_committed_offset(env):
    settings, pool, start_consumer, send = env
    broker = await start_consumer()
    first = [_registered(i) for i in range(10)]
    for e in first:
        await send(e.to_bytes(), b"k")
    await eventually(lambda: _count_inbox(pool, 10))
    await stop_consumers(broker)
    assert await _committed(settings) == 10  # acknowledged: the group's offsets moved past all ten
    second = [_registered(100 + i) for i in range(10)]
    for e in second:
        await send(e.to_bytes(), b"k")
    await start_consumer()
    await eventually(lambda: _count_inbox(pool, 20))
    assert await _active(pool) == 20


async def _committed(settings) -> int:
    from aiokafka import TopicPartition

    topic = settings.topic(ORGANISATIONS_TOPIC)
    probe = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers,
                             group_id=settings.topic("monitoring.organisations"), enable_auto_commit=False)
    await probe.start()
    try:
        await probe.topics()  # loads the cluster metadata
        partitions = probe.partitions_for_topic(topic)
        return sum([await probe.committed(TopicPartition(topic, p)) or 0 for p in partitions])
    finally:
        await probe.stop()


async def _count_inbox(pool, n: int) -> bool:
    return await pool.fetchval("select count(*) from inbox") >= n


async def test_the_consumer_span_continues_the_trace_of_the_record(env):
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))

    settings, pool, start_consumer, _ = env
    await start_consumer()
    trace_id, parent_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    event = _registered(7)
    producer = kafka.producer(settings)
    await producer.start()
    try:
        await (await producer.send(settings.topic(ORGANISATIONS_TOPIC), event.to_bytes(), key=b"k",
                                   headers=[("traceparent", f"00-{trace_id}-{parent_id}-01".encode())]))
    finally:
        await producer.stop()
    await eventually(lambda: _count_inbox(pool, 1))
    spans = [s for s in exporter.get_finished_spans() if s.name == f"consume {event.type}"]
    assert spans, "no consumer span"
    span = spans[-1]
    assert format(span.context.trace_id, "032x") == trace_id
    assert format(span.parent.span_id, "016x") == parent_id


async def test_claiming_ids_seen_before_returns_only_the_new_and_keeps_the_transaction(env):
    _, pool, _, _ = env
    a, b, c = (_registered(n) for n in range(3))
    async with pool.acquire() as conn, conn.transaction():
        assert await claim_new(conn, "test.claims", [a, b, a]) == [a, b]  # a repeated record counts once
        assert await claim_new(conn, "test.claims", [b, c]) == [c]  # b is there: the plain insert is undone
        assert await conn.fetchval("select count(*) from inbox where consumer = 'test.claims'") == 3
    async with pool.acquire() as conn, conn.transaction():
        assert await claim_new(conn, "test.claims", [c, b, a]) == []
