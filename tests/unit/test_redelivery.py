"""What a consumer does after a failed apply: retry, park the culprit, or hand a database/broker failure back."""
import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError

from metodset_kit.redelivery import Verdict, after_failure, backoff, is_infrastructure, parked_reason, rewind_offsets

INFRASTRUCTURE = [
    ConnectionRefusedError("connect call failed"),
    ConnectionResetError("reset by peer"),
    OSError("network unreachable"),
    TimeoutError(),
    TimeoutError("pool acquire timed out"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.InterfaceError("pool is closed"),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
    KafkaConnectionError("broker down"),
]
POISON = [
    ValueError("bad value in event"),
    KeyError("missing"),
    RuntimeError("projection bug"),
    asyncpg.exceptions.UniqueViolationError("duplicate key"),
    asyncpg.exceptions.NotNullViolationError("null value in column"),
    asyncpg.exceptions.NumericValueOutOfRangeError("integer out of range"),
]


@pytest.mark.parametrize("exc", INFRASTRUCTURE, ids=repr)
def test_database_and_broker_failures_are_redelivered_whatever_the_attempt(exc):
    assert is_infrastructure(exc)
    for attempt in (1, 5, 1000):
        assert after_failure(exc, attempt, max_attempts=5) is Verdict.REDELIVER


@pytest.mark.parametrize("exc", POISON, ids=repr)
def test_other_failures_are_retried_up_to_the_bound_then_parked(exc):
    assert not is_infrastructure(exc)
    assert [after_failure(exc, n, max_attempts=3) for n in (1, 2, 3, 4)] == [
        Verdict.RETRY, Verdict.RETRY, Verdict.PARK, Verdict.PARK]


def test_a_single_attempt_parks_at_once():
    assert after_failure(ValueError(), 1, max_attempts=1) is Verdict.PARK


def test_a_wrapped_connection_failure_is_still_infrastructure():
    try:
        try:
            raise ConnectionResetError("lost")
        except ConnectionResetError as exc:
            raise RuntimeError("projection could not write") from exc
    except RuntimeError as wrapped:
        assert is_infrastructure(wrapped)


def test_an_error_raised_while_handling_another_is_judged_on_its_own():
    try:
        try:
            raise ConnectionResetError("lost earlier, handled")
        except ConnectionResetError:
            raise ValueError("a bug") from None
    except ValueError as exc:
        assert not is_infrastructure(exc)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, 0.5, 5.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_rewind_goes_back_to_the_earliest_record_of_every_partition():
    records = [("t", 0, 7), ("t", 0, 8), ("t", 1, 3), ("u", 0, 11), ("t", 1, 2), ("t", 2, 40)]
    assert rewind_offsets(records) == {("t", 0): 7, ("t", 1): 2, ("u", 0): 11, ("t", 2): 40}


def test_parked_reason_names_the_error_and_the_attempts_and_is_bounded():
    reason = parked_reason(ValueError("x" * 5000), 5)
    assert reason.startswith("projection failed 5 times: ValueError(")
    assert len(reason) == 1000
