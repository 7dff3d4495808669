from metodset_kit.ordering import Outcome, backoff_seconds, settle


def test_all_acknowledged_rows_are_sent():
    sent, retry = settle([Outcome(1, "a", None), Outcome(2, "b", None)])
    assert sent == [1, 2] and retry == []


def test_rows_after_a_failure_of_the_same_key_are_retried_too():
    sent, retry = settle([Outcome(1, "a", "timeout"), Outcome(2, "a", None), Outcome(3, "b", None)])
    assert sent == [3]
    assert [r.seq for r in retry] == [1, 2]
    assert "earlier event" in retry[1].error


def test_settle_follows_outbox_order_not_arrival_order():
    sent, retry = settle([Outcome(5, "a", None), Outcome(4, "a", "broker down")])
    assert sent == [] and [r.seq for r in retry] == [4, 5]


def test_backoff_grows_and_is_capped_but_never_stops():
    delays = [backoff_seconds(n) for n in range(1, 20)]
    assert delays == sorted(delays)
    assert delays[0] == 0.5 and delays[-1] == 60.0


def test_in_order_keeps_an_unbroken_run_from_each_keys_earliest_unsent_row():
    from metodset_kit.ordering import in_order

    claimed = [(1, "a"), (2, "a"), (4, "a"), (5, "b"), (7, "c")]
    unsent = [(1, "a"), (2, "a"), (3, "a"), (4, "a"), (5, "b"), (6, "c"), (7, "c")]
    # a: 3 is held by another relay, so 4 waits; c: 6 is held elsewhere, so 7 waits
    assert in_order(claimed, unsent) == {1, 2, 5}


def test_in_order_with_nothing_held_elsewhere_takes_everything():
    from metodset_kit.ordering import in_order

    rows = [(10, "a"), (11, "b"), (12, "a")]
    assert in_order(rows, rows) == {10, 11, 12}
