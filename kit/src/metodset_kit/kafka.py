"""aiokafka clients configured the same way everywhere, and topic creation."""
from __future__ import annotations

import random

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from murmurhash2 import murmurhash2

from .settings import ServiceSettings

_SEED = 0x9747B28C  # the Java client's, so every Kafka client puts a key in the same partition


def partition(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """aiokafka's DefaultPartitioner (Kafka's murmur2 of the key), with the hash computed in C."""
    if key is None:
        return random.choice(available or all_partitions)  # noqa: S311 - spreading load, not a secret
    return all_partitions[(murmurhash2(key, _SEED) & 0x7FFFFFFF) % len(all_partitions)]


def producer(settings: ServiceSettings, **overrides) -> AIOKafkaProducer:
    options = dict(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=f"metodset-{settings.service_name}",
        acks="all",
        enable_idempotence=settings.kafka_idempotence,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=30_000,
        partitioner=partition,
    )
    options.update(overrides)
    return AIOKafkaProducer(**options)


async def started_producer(settings: ServiceSettings, **overrides) -> AIOKafkaProducer:
    """A started producer; a producer whose start failed is closed, so a retry begins afresh."""
    p = producer(settings, **overrides)
    try:
        await p.start()
    except BaseException:
        await p.stop()
        raise
    return p


async def ensure_topics(settings: ServiceSettings, topics: list[str]) -> None:
    """Create the topics this service publishes or consumes, if missing (idempotent)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if missing:
            new = [NewTopic(t, settings.kafka_topic_partitions, settings.kafka_replication_factor) for t in missing]
            try:
                await admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()
