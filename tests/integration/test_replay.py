"""`metodset run` publishes the outbox history again into a fresh in-memory broker."""
from metodset_tools import replay
from tests.conftest import migrated_pool, settings_for


async def test_sent_rows_become_unsent_and_unsent_rows_stay(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "registry"))
    try:
        await pool.execute("""insert into outbox (event_id, event_type, topic, key, value, sent_at, attempts) values
            (gen_random_uuid(), 't', 'x', 'a', '\\x00', now(), 1),
            (gen_random_uuid(), 't', 'x', 'a', '\\x00', now(), 1),
            (gen_random_uuid(), 't', 'x', 'b', '\\x00', null, 0)""")
        counts = await replay.republish(infra.database_url, namespace)
        assert counts == {"registry": 2}
        assert await pool.fetchval("select count(*) from outbox where sent_at is null and attempts = 0") == 3
        assert await replay.republish(infra.database_url, namespace) == {"registry": 0}
    finally:
        await pool.close()
