"""Waiting for PostgreSQL and the broker at start: retries while unreachable, gives up with a clear message."""
import pytest
from aiokafka.errors import KafkaConnectionError

from metodset_kit.startup import DependencyUnreachable, patiently


async def _no_sleep(_):
    return None


async def test_an_unreachable_dependency_is_retried_until_it_answers():
    calls = []

    async def attempt():
        calls.append(1)
        if len(calls) < 4:
            raise (ConnectionRefusedError() if len(calls) % 2 else KafkaConnectionError())
        return "pool"

    assert await patiently("PostgreSQL", attempt, limit=60, sleep=_no_sleep) == "pool"
    assert len(calls) == 4


async def test_it_gives_up_after_the_limit_naming_the_dependency():
    async def attempt():
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(DependencyUnreachable, match="Kafka"):
        await patiently("Kafka", attempt, limit=0.0, sleep=_no_sleep)


async def test_other_errors_fail_at_once():
    calls = []

    async def attempt():
        calls.append(1)
        raise ValueError("bad setting")

    with pytest.raises(ValueError):
        await patiently("PostgreSQL", attempt, limit=60, sleep=_no_sleep)
    assert calls == [1]
