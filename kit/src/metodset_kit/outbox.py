"""Writing events to the outbox inside the caller's transaction."""
from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.envelope import CONTENT_TYPE

from .telemetry import current_traceparent

_INSERT = """
insert into outbox (event_id, event_type, topic, key, value, headers)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::jsonb[])
"""


async def add(conn: asyncpg.Connection, events: Sequence[tuple[str, CloudEvent]]) -> None:
    """Add (key, event) pairs to the outbox. Must run inside the transaction of the state change."""
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.add must run inside the transaction of the state change")
    headers = {"content-type": CONTENT_TYPE}
    traceparent = current_traceparent()
    if traceparent:
        headers["traceparent"] = traceparent
    await conn.execute(
        _INSERT,
        [e.id for _, e in events],
        [e.type for _, e in events],
        [event_type(e.type).topic for _, e in events],
        [k for k, _ in events],
        [e.to_bytes() for _, e in events],
        [headers] * len(events),
    )
