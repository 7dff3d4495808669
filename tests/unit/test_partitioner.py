"""kit.kafka.partition puts every key in the partition aiokafka's (and the Java client's) partitioner does."""
import os
import random

from aiokafka.partitioner import DefaultPartitioner

from metodset_kit.kafka import partition


def test_every_key_lands_where_the_default_partitioner_puts_it():
    rng = random.Random(7)
    keys = [os.urandom(rng.randint(0, 40)) for _ in range(3000)] + [str(i).encode() for i in range(1000)]
    for n in (1, 3, 7, 12):
        parts = list(range(n))
        assert [partition(k, parts, parts) for k in keys] == [DefaultPartitioner()(k, parts, parts) for k in keys]


def test_no_key_takes_an_available_partition():
    assert {partition(None, [0, 1, 2], [2]) for _ in range(20)} == {2}
    assert partition(None, [0, 1, 2], []) in {0, 1, 2}
