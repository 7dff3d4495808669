"""Idempotent, batched consumers on faststream: acknowledge only after the database commit.

Each batch of records is parsed and validated against the contract; a record that cannot be parsed or
validated goes to `<topic>.dlq` with the reason and processing goes on. The valid events' ids are
written to the inbox in the same transaction as the projection, so a redelivered event is skipped. If
the transaction fails, the batch is nacked (the consumer seeks back) and comes again.
"""
from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from opentelemetry import trace
from opentelemetry.metrics import Observation
from pydantic import ValidationError

from metodset_contracts import CloudEvent, event_type

from . import logging as log
from .settings import ServiceSettings
from .telemetry import context_from_kafka_headers, meter, tracer

Apply = Callable[[asyncpg.Connection, list[CloudEvent]], Awaitable[None]]


@dataclass
class Projection:
    """A consumer that keeps its own projection of other services' events."""

    name: str  # consumer group and inbox consumer name
    topics: list[str]
    apply: Apply  # applies new events, in order, inside the given transaction
    handled_types: set[str] = field(default_factory=set)  # empty: every type on the topics


@dataclass(frozen=True)
class Rejected:
    record: ConsumerRecord
    reason: str


def parse(record: ConsumerRecord) -> CloudEvent | Rejected:
    """Parse one record into a CloudEvent and validate its data against the published schema."""
    try:
        event = CloudEvent.from_bytes(record.value)
    except (ValidationError, ValueError) as exc:
        return Rejected(record, f"not a CloudEvents 1.0 JSON document: {_first_error(exc)}")
    try:
        et = event_type(event.type)
    except KeyError:
        return Rejected(record, f"unknown event type {event.type!r}")
    try:
        et.model.model_validate(event.data)
    except ValidationError as exc:
        return Rejected(record, f"data does not match {et.type}: {_first_error(exc)}")
    return event


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc']) or 'document'}: {err['msg']}"
    return str(exc)[:300]


async def claim_new(conn: asyncpg.Connection, consumer: str, events: Sequence[CloudEvent]) -> list[CloudEvent]:
    """Record event ids in the inbox; return the events not seen before, in their original order."""
    ids = list(dict.fromkeys(e.id for e in events))
    fresh = {
        r["event_id"]
        for r in await conn.fetch(
            "insert into inbox (consumer, event_id) select $1, unnest($2::uuid[]) "
            "on conflict do nothing returning event_id",
            consumer, ids,
        )
    }
    out = []
    for e in events:
        if e.id in fresh:
            out.append(e)
            fresh.discard(e.id)
    return out


class ConsumerLag:
    def __init__(self, name: str):
        self.by_partition: dict[tuple[str, int], int] = {}
        meter().create_observable_gauge(
            "metodset.consumer.lag",
            callbacks=[self._observe],
            description="Records on the broker not yet processed by the consumer group",
        )
        self.name = name

    def update(self, consumer, records: Sequence[ConsumerRecord]) -> None:
        from aiokafka import TopicPartition

        last = {}
        for r in records:
            last[(r.topic, r.partition)] = r.offset
        for (topic, partition), offset in last.items():
            high = consumer.highwater(TopicPartition(topic, partition)) if consumer else None
            if high is not None:
                self.by_partition[(topic, partition)] = max(0, high - offset - 1)

    def _observe(self, _):
        return [
            Observation(lag, {"consumer": self.name, "topic": t, "partition": p})
            for (t, p), lag in self.by_partition.items()
        ]


def subscribe(broker: KafkaBroker, pool_of: Callable[[], asyncpg.Pool], projection: Projection,
              settings: ServiceSettings) -> ConsumerLag:
    """Register a batched, idempotent subscriber for the projection on the broker."""
    logger = log.get(f"consumer.{projection.name}")
    lag = ConsumerLag(projection.name)

    @broker.subscriber(
        *[settings.topic(t) for t in projection.topics],
        group_id=settings.topic(projection.name),
        batch=True,
        max_records=settings.consumer_batch_size,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        batch_timeout_ms=50,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        parser=_tolerant_parser,
        decoder=_no_decoding,
    )
    async def handle(body: Any, message: KafkaMessage) -> None:  # noqa: ARG001 - raw records are used
        records = message.raw_message if isinstance(message.raw_message, tuple) else (message.raw_message,)
        parsed = [(r, parse(r)) for r in records]
        events = [
            (r, p) for r, p in parsed
            if isinstance(p, CloudEvent) and (not projection.handled_types or p.type in projection.handled_types)
        ]
        try:
            await _apply(pool_of(), projection, events)
            # after the commit: a retried batch must not fill the dead-letter topic with copies
            for r, p in parsed:
                if isinstance(p, Rejected):
                    await dead_letter(broker, p, projection.name)
                    logger.warning("consumer.dead_lettered", topic=r.topic, offset=r.offset, reason=p.reason)
        except Exception as exc:
            logger.error("consumer.batch_failed", error=repr(exc), records=len(records))
            await asyncio.sleep(1.0)  # the nack seeks back: do not spin on a failing database or broker
            raise
        lag.update(getattr(message, "consumer", None), records)

    return lag


def _readable(record: ConsumerRecord) -> ConsumerRecord:
    """faststream decodes every header value as UTF-8; a null or binary one must not stop the batch."""
    headers = tuple((k, (v or b"").decode("utf-8", "replace").encode()) for k, v in (record.headers or ()))
    return dataclasses.replace(record, headers=headers)


async def _tolerant_parser(records, original):
    batch = records if isinstance(records, tuple) else (records,)
    return await original(tuple(_readable(r) for r in batch))


async def _no_decoding(message, original) -> None:  # noqa: ARG001 - records are parsed by `parse`, with reasons
    return None


async def _apply(pool: asyncpg.Pool, projection: Projection, events: list[tuple[ConsumerRecord, CloudEvent]]) -> None:
    """Apply in one transaction, inside one consumer span per trace the batch's records carry.

    A bulk registration's events share their request's trace, so they share one span; a single change
    gets a span of its own. Either way the consumer's work joins the trace that started at the gateway.
    """
    traces: dict[bytes | None, list[CloudEvent]] = {}
    for r, e in events:
        traces.setdefault(dict(r.headers or ()).get("traceparent"), []).append(e)
    spans = [
        tracer().start_span(
            f"consume {evs[0].type}" if len(evs) == 1 else f"consume {len(evs)} events",
            context=context_from_kafka_headers([("traceparent", tp)] if tp else []),
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.consumer.group.name": projection.name, "messaging.batch.message_count": len(evs)},
        )
        for tp, evs in traces.items()
    ]
    try:
        async with pool.acquire() as conn, conn.transaction():
            fresh = await claim_new(conn, projection.name, [e for _, e in events])
            if fresh:
                await projection.apply(conn, fresh)
    finally:
        for span in spans:
            span.end()


async def dead_letter(broker: KafkaBroker, rejected: Rejected, consumer: str) -> None:
    r = rejected.record
    headers = {k: v.decode(errors="replace") for k, v in (r.headers or ())}
    headers.update({
        "dlq-reason": rejected.reason,
        "dlq-consumer": consumer,
        "dlq-original-topic": r.topic,
        "dlq-original-partition": str(r.partition),
        "dlq-original-offset": str(r.offset),
    })
    await broker.publish(r.value or b"", topic=f"{r.topic}.dlq", key=r.key, headers=headers)
