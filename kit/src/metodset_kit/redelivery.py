"""Pure rules of the consumers: what to do after a failed apply, how long to wait, where to rewind.

A failing database or broker is nobody's fault in the records: the batch is redelivered for ever (with
backoff), and no valid event is dead-lettered for it. Any other failure is taken as the records' fault:
retried a bounded number of times, then the culprit is found and parked in `<topic>.dlq`.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable

import asyncpg

from .ordering import backoff_seconds

# Connection refused or lost, pool closed, too many connections, "cannot connect now", server shutting down,
# timeouts; serialization failures and deadlocks are the database's to retry, not the event's.
_INFRASTRUCTURE: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionError, ConnectionRefusedError, socket errors
    TimeoutError,  # asyncio.TimeoutError too (an alias since 3.11)
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # pool closed, connection closed, "another operation is in progress"
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections, out of memory, disk full
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TransactionRollbackError,  # serialization failure, deadlock
)


def _kafka_errors() -> tuple[type[BaseException], ...]:
    from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, RequestTimedOutError

    return KafkaConnectionError, KafkaTimeoutError, RequestTimedOutError


class Verdict(enum.Enum):
    RETRY = "retry"  # try the same records again after a backoff
    PARK = "park"  # the bound is reached: isolate the culprit and dead-letter it
    REDELIVER = "redeliver"  # infrastructure: give this delivery up, seek back, retry for ever


def is_infrastructure(exc: BaseException) -> bool:
    """A failure of the database or the broker, also when a projection wrapped it (`raise ... from exc`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _INFRASTRUCTURE + _kafka_errors()):
            return True
        seen.add(id(current))
        current = current.__cause__  # explicit chaining only: an unrelated handled error is no excuse
    return False


def after_failure(exc: BaseException, attempt: int, max_attempts: int) -> Verdict:
    """What to do after the `attempt`-th failed try (1-based) of applying the same records."""
    if is_infrastructure(exc):
        return Verdict.REDELIVER
    return Verdict.RETRY if attempt < max_attempts else Verdict.PARK


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after the `attempt`-th consecutive failure: doubling from `base`, at most `cap`."""
    return backoff_seconds(attempt, base=base, cap=cap)


def rewind_offsets(records: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], int]:
    """For (topic, partition, offset) records of a batch: the offset to seek back to on each partition,
    its earliest record, so no partition is committed past a record that was not applied."""
    earliest: dict[tuple[str, int], int] = {}
    for topic, partition, offset in records:
        key = (topic, partition)
        if key not in earliest or offset < earliest[key]:
            earliest[key] = offset
    return earliest


def next_offsets(records: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], int]:
    """For (topic, partition, offset) records of an applied batch: the offset to commit on each partition,
    one past its latest record."""
    latest: dict[tuple[str, int], int] = {}
    for topic, partition, offset in records:
        key = (topic, partition)
        if offset + 1 > latest.get(key, -1):
            latest[key] = offset + 1
    return latest


def parked_reason(exc: BaseException, attempts: int) -> str:
    return f"projection failed {attempts} times: {exc!r}"[:1000]
