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
