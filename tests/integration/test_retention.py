import uuid

import pytest

from metodset_kit.retention import prune
from tests.conftest import migrated_pool, settings_for

pytestmark = pytest.mark.integration


async def test_prune_removes_only_rows_past_their_window(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "registry"))
    try:
        old, new = uuid.uuid4(), uuid.uuid4()
        await pool.execute("insert into inbox (consumer, event_id, received_at) values "
                           "('c', $1, now() - interval '40 days'), ('c', $2, now())", old, new)
        await pool.execute("""insert into outbox (event_id, event_type, topic, key, value, sent_at) values
                              (gen_random_uuid(), 't', 't', 'k', 'x', now() - interval '100 days'),
                              (gen_random_uuid(), 't', 't', 'k', 'x', null)""")
        assert await prune(pool, inbox_days=30, outbox_days=0) == (1, 0)
        assert await pool.fetchval("select array_agg(event_id) from inbox") == [new]
        assert await prune(pool, inbox_days=30, outbox_days=90) == (0, 1)
        assert await pool.fetchval("select count(*) from outbox where sent_at is null") == 1  # unsent stays
    finally:
        await pool.close()
