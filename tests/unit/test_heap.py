"""kit.heap.settle: what start-up made is frozen out of the collector's sight; new cycles are still collected."""
import gc

from metodset_kit import heap


class _Cycle:
    def __init__(self):
        self.me = self


def test_settle_freezes_the_start_up_heap_and_raises_the_young_threshold():
    before = gc.get_threshold()
    try:
        heap.settle(50_000)
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold() == (50_000, before[1], before[2])
        cycle = _Cycle()
        del cycle
        assert gc.collect() >= 1  # a cycle made after start-up is still found
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
