"""The recomputation loop's rest between rounds: the debounce when idle, as long as the last round took after
a round with work (bounded), so a flood of consumer batches is not starved by back-to-back recomputations."""
from metodset_monitoring.recomputer import MAX_PAUSE, Recomputer


def test_the_loop_rests_as_long_as_its_last_round_took():
    r = Recomputer(pool=None, interval=0.1)
    assert r.pause() == 0.1  # idle
    r.busy = True
    for took, rest in ((0.01, 0.1), (0.4, 0.4), (30.0, MAX_PAUSE)):
        r.last_round = took
        assert r.pause() == rest
