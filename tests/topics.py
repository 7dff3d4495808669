"""Reading a topic back from the start with a fresh consumer group, as a subscriber would."""
import uuid

from aiokafka import AIOKafkaConsumer


async def read_all(bootstrap: str | list[str], topic: str, *, idle_polls: int = 3) -> list:
    """Every record on the topic, read until `idle_polls` polls in a row bring nothing new."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"reader-{uuid.uuid4().hex}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list = []
    try:
        idle = 0
        while idle < idle_polls:
            batch = await consumer.getmany(timeout_ms=300, max_records=5000)
            found = [r for rs in batch.values() for r in rs]
            idle = 0 if found else idle + 1
            records += found
    finally:
        await consumer.stop()
    return records
