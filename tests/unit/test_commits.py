"""Offsets of applied batches: committed at most once per interval, always as explicit offsets past applied records."""
import asyncio

from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError

from metodset_kit.commits import Offsets, next_offsets


class FakeConsumer:
    def __init__(self, fail: bool = False):
        self.commits: list[dict] = []
        self.fail = fail

    async def commit(self, offsets):
        if self.fail:
            raise CommitFailedError("rebalanced")
        self.commits.append(dict(offsets))


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_offset_to_commit_is_one_past_the_last_record_of_each_partition():
    records = [("t", 0, 5), ("t", 1, 3), ("t", 0, 7), ("t", 0, 6), ("u", 0, 0)]
    assert next_offsets(records) == {("t", 0): 8, ("t", 1): 4, ("u", 0): 1}


async def test_the_first_batch_is_committed_at_once_and_later_ones_wait_for_the_interval():
    clock, consumer = Clock(), FakeConsumer()
    offsets = Offsets(1.0, clock=clock)
    offsets.applied(consumer, [("t", 0, 9)])
    await offsets.commit()
    assert consumer.commits == [{TopicPartition("t", 0): 10}]
    clock.now += 0.2
    offsets.applied(consumer, [("t", 0, 19), ("t", 1, 4)])
    await offsets.commit()
    assert len(consumer.commits) == 1  # within the interval: held
    assert offsets.pending == {("t", 0): 20, ("t", 1): 5}
    clock.now += 1.0
    offsets.applied(consumer, [("t", 0, 29)])
    await offsets.commit()
    assert consumer.commits[-1] == {TopicPartition("t", 0): 30, TopicPartition("t", 1): 5}
    assert offsets.pending == {}


async def test_held_offsets_are_committed_when_the_interval_ends_without_another_batch():
    consumer = FakeConsumer()
    offsets = Offsets(0.05)
    offsets.applied(consumer, [("t", 0, 1)])
    await offsets.commit()
    offsets.applied(consumer, [("t", 0, 2)])
    await offsets.commit()
    assert len(consumer.commits) == 1
    await asyncio.sleep(0.2)
    assert consumer.commits[-1] == {TopicPartition("t", 0): 3}


async def test_a_stop_commits_what_is_held_and_every_later_batch_at_once():
    clock, consumer = Clock(), FakeConsumer()
    offsets = Offsets(60.0, clock=clock)
    offsets.applied(consumer, [("t", 0, 1)])
    await offsets.commit()
    offsets.applied(consumer, [("t", 0, 2)])
    await offsets.commit()
    await offsets.close()
    assert consumer.commits[-1] == {TopicPartition("t", 0): 3}
    offsets.applied(consumer, [("t", 0, 3)])  # the batch in hand when the stop began
    await offsets.commit()
    assert consumer.commits[-1] == {TopicPartition("t", 0): 4}


async def test_a_commit_the_broker_refuses_is_dropped_not_raised():
    consumer = FakeConsumer(fail=True)
    offsets = Offsets(0.0)
    offsets.applied(consumer, [("t", 0, 1)])
    await offsets.commit()  # the records come again and the inbox skips them
    assert offsets.pending == {}


async def test_offsets_never_move_back():
    clock, consumer = Clock(), FakeConsumer()
    offsets = Offsets(60.0, clock=clock)
    offsets.applied(consumer, [("t", 0, 1)])
    await offsets.commit()
    offsets.applied(consumer, [("t", 0, 9)])
    offsets.applied(consumer, [("t", 0, 4)])  # a batch given back and applied again after a rebalance
    assert offsets.pending == {("t", 0): 10}
