"""Outbox and relay against the real database and broker: nothing lost, order kept per aggregate."""
import asyncio
import uuid

import pytest

from metodset_contracts import CloudEvent
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC
from metodset_contracts.organisations import OrganisationKind, OrganisationUpdated
from metodset_kit import kafka, outbox
from metodset_kit import relay as relay_module
from metodset_kit.events import Outgoing, new_event
from metodset_kit.relay import Relay
from tests.conftest import migrated_pool, settings_for
from tests.topics import read_all

pytestmark = pytest.mark.integration


def _update(org_id: uuid.UUID, version: int) -> CloudEvent:
    data = OrganisationUpdated(organisation_id=org_id, version=version, municipality_oktmo="29701000",
                               kind=OrganisationKind.SCHOOL, name=f"v{version}", inn="7707083893", changed=["name"])
    return new_event(data, source="urn:test", subject=f"organisation/{org_id}")


@pytest.fixture
async def env(infra, namespace):
    name = f"relay{uuid.uuid4().hex[:6]}"
    settings = settings_for(infra, f"{namespace}_{name}", "registry")
    pool = await migrated_pool(settings)
    await kafka.ensure_topics(settings, [settings.topic(ORGANISATIONS_TOPIC)])
    producers = []

    async def make_producer(**overrides):
        p = kafka.producer(settings, **overrides)
        await p.start()
        producers.append(p)
        return p

    yield settings, pool, make_producer
    for p in producers:
        await p.stop()
    await pool.close()


async def _write(pool, events_by_key):
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, [Outgoing.of(str(k), e) for k, evs in events_by_key.items() for e in evs])


async def _unsent(pool) -> int:
    return await pool.fetchval("select count(*) from outbox where sent_at is null")


async def _drain(*relays, pool, limit=60.0):
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        for _ in range(int(limit * 10)):
            if await _unsent(pool) == 0:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{await _unsent(pool)} rows still unsent")
    finally:
        for r in relays:
            r.stop()
        await asyncio.gather(*tasks)


async def test_two_relays_publish_every_event_once_in_aggregate_order(env):
    settings, pool, make_producer = env
    keys = [uuid.uuid4() for _ in range(40)]
    for round_ in range(1, 26):  # 25 transactions, each adding one event per aggregate
        await _write(pool, {k: [_update(k, round_)] for k in keys})
    relays = [Relay(pool, await make_producer(), batch_size=100, poll_interval=0.2, topic_of=settings.topic)
              for _ in range(2)]
    await _drain(*relays, pool=pool)

    records = await read_all(settings.bootstrap_servers, settings.topic(ORGANISATIONS_TOPIC))
    events = [CloudEvent.from_bytes(r.value) for r in records]
    assert len(events) == 1000 and len({e.id for e in events}) == 1000
    by_key: dict[str, list[int]] = {}
    for r, e in zip(records, events, strict=True):
        assert r.key.decode() == e.data["organisationId"]
        by_key.setdefault(r.key.decode(), []).append(e.data["version"])
    assert all(versions == list(range(1, 26)) for versions in by_key.values())
    assert {dict(r.headers)["content-type"] for r in records} == {b"application/cloudevents+json; charset=utf-8"}


async def test_refused_records_stay_unsent_with_the_error_then_go_out(env):
    settings, pool, make_producer = env
    key = uuid.uuid4()
    await _write(pool, {key: [_update(key, 1), _update(key, 2)]})
    refusing = Relay(pool, await make_producer(max_request_size=64), batch_size=10, poll_interval=0.1,
                     topic_of=settings.topic)
    assert await refusing.publish_batch() == 2
    rows = await pool.fetch("select sent_at, attempts, last_error, next_attempt_at > now() as later from outbox")
    assert all(r["sent_at"] is None and r["attempts"] == 1 and r["later"] for r in rows)
    assert "MessageSizeTooLarge" in rows[0]["last_error"]

    working = Relay(pool, await make_producer(), batch_size=10, poll_interval=0.1, topic_of=settings.topic)
    await _drain(working, pool=pool)
    records = await read_all(settings.bootstrap_servers, settings.topic(ORGANISATIONS_TOPIC))
    versions = [CloudEvent.from_bytes(r.value).data["version"] for r in records]
    assert versions == [1, 2]


async def test_a_refused_event_holds_back_its_aggregate_but_not_the_others(env):
    settings, pool, make_producer = env
    stuck, other = uuid.uuid4(), uuid.uuid4()
    huge = _update(stuck, 1).model_copy(update={"data": {**_update(stuck, 1).data, "name": "Ш" * 5000}})
    await _write(pool, {stuck: [huge] + [_update(stuck, v) for v in range(2, 31)]})
    await _write(pool, {other: [_update(other, v) for v in range(1, 11)]})
    relay = Relay(pool, await make_producer(max_request_size=4000), batch_size=10, poll_interval=0.1,
                  topic_of=settings.topic)
    for _ in range(5):
        await relay.publish_batch()

    records = await read_all(settings.bootstrap_servers, settings.topic(ORGANISATIONS_TOPIC))
    assert {r.key.decode() for r in records} == {str(other)}  # nothing of the stuck aggregate got out
    assert [CloudEvent.from_bytes(r.value).data["version"] for r in records] == list(range(1, 11))
    first = await pool.fetchrow("select sent_at, last_error from outbox where key = $1 order by seq limit 1",
                                str(stuck))
    assert first["sent_at"] is None and "MessageSizeTooLarge" in first["last_error"]
    assert await pool.fetchval("select count(*) from outbox where key = $1 and sent_at is null", str(stuck)) == 30


async def test_a_burst_after_an_idle_start_is_claimed_promptly(env):
    """The relay's queries are planned while the outbox is empty; a burst of rows before ANALYZE must not
    make them quadratic (they once took minutes here). The wait_for only guards against such a hang."""
    _, pool, _ = env
    relay = Relay(pool, None, batch_size=500, poll_interval=1)
    async with pool.acquire() as conn:
        for _ in range(7):  # past asyncpg's and PostgreSQL's switch to cached generic plans
            async with conn.transaction():
                assert (await relay._claim(conn)).rows == []
        await conn.execute("""insert into outbox (event_id, event_type, topic, key, value)
                              select gen_random_uuid(), 't', 't', gen_random_uuid()::text, 'x'
                              from generate_series(1, 60000)""")
        async with conn.transaction():
            rows = (await asyncio.wait_for(relay._claim(conn), 120)).rows
    assert len(rows) == 500 and [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)


async def test_a_claim_walks_the_unsent_rows_in_order_and_stops_at_its_batch(env):
    """Planned on the statistics of a quiet moment, the claim once read every unsent row and sorted them all, on
    disk (50 ms a claim at a backlog of 20,000): it must walk the unsent index in order and stop at the batch."""
    _, pool, _ = env
    async with pool.acquire() as conn:
        await conn.execute("analyze outbox")  # the statistics of an empty outbox
        await conn.execute("""insert into outbox (event_id, event_type, topic, key, value)
                              select gen_random_uuid(), 't', 't', gen_random_uuid()::text, repeat('x', 600)::bytea
                              from generate_series(1, 20000)""")
        async with conn.transaction():
            await conn.execute(relay_module._SETTINGS)
            plan = "\n".join(r[0] for r in await conn.fetch("explain (analyze, costs off) " + relay_module._CLAIM,
                                                             500, []))
    assert "Sort" not in plan and "Index Scan using outbox_unsent" in plan, plan
    assert "rows=500" in plan.splitlines()[0], plan


async def test_a_new_row_wakes_the_relay_before_its_polling_interval(env):
    settings, pool, make_producer = env
    relay = Relay(pool, await make_producer(), batch_size=10, poll_interval=120, topic_of=settings.topic)
    task = asyncio.create_task(relay.run())
    await asyncio.sleep(1.0)  # the relay has found nothing and sleeps for its 120 s poll
    key = uuid.uuid4()
    await _write(pool, {key: [_update(key, 1)]})
    try:
        for _ in range(300):
            if await _unsent(pool) == 0:
                break
            await asyncio.sleep(0.1)
        assert await _unsent(pool) == 0, "NOTIFY did not wake the relay"
    finally:
        relay.stop()
        await task


async def test_outbox_refuses_writes_outside_a_transaction(env):
    _, pool, _ = env
    key = uuid.uuid4()
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            await outbox.add(conn, [Outgoing.of(str(key), _update(key, 1))])


async def test_a_worker_claims_again_at_once_only_while_more_may_be_due(env):
    """A full claim (or one that held rows back) is followed by another at once; a partial one means caught
    up, and the worker waits for the next commit's NOTIFY instead of claiming nothing."""
    settings, pool, make_producer = env
    keys = [uuid.uuid4() for _ in range(15)]
    await _write(pool, {k: [_update(k, 1)] for k in keys})
    relay = Relay(pool, await make_producer(), batch_size=10, poll_interval=120, topic_of=settings.topic)
    first, second, third = [await relay._publish_next() for _ in range(3)]
    assert (len(first.rows), first.more) == (10, True)
    assert (len(second.rows), second.more) == (5, False)
    assert (third.rows, third.more) == ([], False)
    assert await _unsent(pool) == 0


async def test_outbox_rows_are_copied_in_batches_not_one_by_one(env):
    """PostgreSQL inserts a COPY's rows one at a time (a WAL record each) when a column the COPY does not fill
    has a volatile default; the outbox's columns must have none, and the rows still say when they were written."""
    _, pool, _ = env
    volatile = await pool.fetch(
        r"""select a.attname, pg_get_expr(d.adbin, d.adrelid) as expr
              from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
             where d.adrelid = 'outbox'::regclass and a.attname <> all($1::text[])
               and exists (select 1 from pg_proc p where p.provolatile = 'v'
                                 and pg_get_expr(d.adbin, d.adrelid) ~ ('\m' || p.proname || '\('))""",
        list(outbox._COLUMNS))
    assert [dict(r) for r in volatile] == []
    org = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        started = await conn.fetchval("select clock_timestamp()")
        await outbox.add(conn, [Outgoing.of(str(org), _update(org, v)) for v in (1, 2)])
        written = await conn.fetch("select created_at from outbox where key = $1", str(org))
    assert len(written) == 2 and all(r["created_at"] >= started for r in written)
