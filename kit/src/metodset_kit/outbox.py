"""Writing events to the outbox inside the caller's transaction."""
from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg

from metodset_contracts.envelope import CONTENT_TYPE

from .db import RawJson
from .events import Outgoing
from .telemetry import current_traceparent

_COLUMNS = ("event_id", "event_type", "topic", "key", "value", "headers")


async def add(conn: asyncpg.Connection, events: Sequence[Outgoing]) -> None:
    """Add events to the outbox with one COPY. Must run inside the transaction of the state change."""
    if not conn.is_in_transaction():
        raise RuntimeError("outbox.add must run inside the transaction of the state change")
    headers = {"content-type": CONTENT_TYPE}
    traceparent = current_traceparent()
    if traceparent:
        headers["traceparent"] = traceparent
    encoded = RawJson(json.dumps(headers).encode())
    await conn.copy_records_to_table(
        "outbox", columns=_COLUMNS, records=[(e.id, e.type, e.topic, e.key, e.value, encoded) for e in events])
