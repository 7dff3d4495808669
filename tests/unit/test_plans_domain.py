"""Plan-versus-fact of an annual work plan: overdue from the first day after the last month, moved items
counted by their new month, cancelled items out of the denominator, items done by their linked events, and the
next year's plan started from this one."""
import uuid
from datetime import date

import pytest

from metodset_contracts.plans import ItemStatus
from metodset_events.domain import plans as rules
from metodset_events.domain.plans import Item, PlanError

DIRECTIONS = ["analytical", "informational", "organisational_methodical", "consultative"]
YEAR = 2026


def item(direction="analytical", months=((2026, 10),), status=ItemStatus.PLANNED, **kw) -> Item:
    return Item(id=uuid.uuid4(), direction=direction, months=tuple(months), title="Пункт", status=status, **kw)


def test_overdue_starts_the_day_after_the_last_month_ends():
    i = item(months=((2026, 9), (2026, 10)))
    assert rules.effective_status(i, date(2026, 10, 31)) is ItemStatus.PLANNED
    assert rules.effective_status(i, date(2026, 11, 1)) is ItemStatus.OVERDUE
    december = item(months=((2026, 12),))
    assert rules.effective_status(december, date(2026, 12, 31)) is ItemStatus.PLANNED
    assert rules.effective_status(december, date(2027, 1, 1)) is ItemStatus.OVERDUE
    february = item(months=((2028, 2),))  # a leap year's February ends on the 29th
    assert rules.effective_status(february, date(2028, 2, 29)) is ItemStatus.PLANNED
    assert rules.effective_status(february, date(2028, 3, 1)) is ItemStatus.OVERDUE


def test_done_and_cancelled_are_never_overdue():
    assert rules.effective_status(item(status=ItemStatus.DONE), date(2027, 8, 1)) is ItemStatus.DONE
    assert rules.effective_status(item(status=ItemStatus.CANCELLED), date(2027, 8, 1)) is ItemStatus.CANCELLED


def test_a_moved_item_is_due_by_its_new_month():
    moved = item(months=((2026, 10),), status=ItemStatus.MOVED, moved_to=(2027, 2))
    assert rules.effective_status(moved, date(2026, 12, 1)) is ItemStatus.MOVED
    assert rules.effective_status(moved, date(2027, 2, 28)) is ItemStatus.MOVED
    assert rules.effective_status(moved, date(2027, 3, 1)) is ItemStatus.OVERDUE


def test_an_item_is_done_when_every_linked_event_completed():
    a, b = uuid.uuid4(), uuid.uuid4()
    linked = item(event_ids=(a, b))
    only_a = rules.LinkedEvents(completed=frozenset({a}))
    assert rules.effective_status(linked, date(2026, 10, 5), only_a) is ItemStatus.PLANNED
    assert rules.effective_status(linked, date(2026, 11, 5), only_a) is ItemStatus.OVERDUE
    both = rules.LinkedEvents(completed=frozenset({a, b}))
    assert rules.effective_status(linked, date(2026, 11, 5), both) is ItemStatus.DONE


def test_linked_events_cancelled_or_moved_say_so():
    a, b = uuid.uuid4(), uuid.uuid4()
    linked = item(event_ids=(a, b))  # due in October 2026
    all_cancelled = rules.LinkedEvents(cancelled=frozenset({a, b}))
    assert rules.effective_status(linked, date(2026, 10, 5), all_cancelled) is ItemStatus.CANCELLED
    a_done_b_cancelled = rules.LinkedEvents(completed=frozenset({a}), cancelled=frozenset({b}))
    assert rules.effective_status(linked, date(2026, 10, 5), a_done_b_cancelled) is ItemStatus.DONE
    b_later = rules.LinkedEvents(completed=frozenset({a}), last_month={a: (2026, 10), b: (2026, 12)})
    assert rules.effective_status(linked, date(2026, 11, 5), b_later) is ItemStatus.MOVED
    assert rules.due_month(linked, b_later) == (2026, 12)
    assert rules.effective_status(linked, date(2027, 1, 1), b_later) is ItemStatus.OVERDUE
    cancelled_later = rules.LinkedEvents(cancelled=frozenset({b}), last_month={a: (2026, 10), b: (2026, 12)})
    assert rules.effective_status(linked, date(2026, 11, 5), cancelled_later) is ItemStatus.OVERDUE
    marked_done = item(event_ids=(a,), status=ItemStatus.DONE)
    assert rules.effective_status(marked_done, date(2027, 1, 1), all_cancelled) is ItemStatus.DONE


def test_fulfilment_per_direction_leaves_cancelled_out_of_the_denominator():
    today = date(2027, 1, 15)
    items = [
        item("analytical", status=ItemStatus.DONE),
        item("analytical", months=((2026, 11),)),  # overdue
        item("analytical", status=ItemStatus.CANCELLED),
        item("analytical", months=((2027, 3),)),  # pending
        item("consultative", status=ItemStatus.DONE),
        item("consultative", status=ItemStatus.MOVED, moved_to=(2027, 2)),  # moved, not yet due
    ]
    f = rules.fulfilment(items, today, DIRECTIONS)
    by = {t.direction: t for t in f.directions}
    assert [t.direction for t in f.directions] == DIRECTIONS  # every direction, in the catalogue's order
    a = by["analytical"]
    assert (a.total, a.counted, a.done, a.overdue, a.cancelled, a.pending, a.moved) == (4, 3, 1, 1, 1, 1, 0)
    assert a.share == pytest.approx(1 / 3, abs=1e-4)
    c = by["consultative"]
    assert (c.total, c.counted, c.done, c.moved, c.share) == (2, 2, 1, 1, 0.5)
    assert by["informational"].share is None  # nothing to do: no share, not 0 or 1
    o = f.overall
    assert (o.total, o.counted, o.done, o.share) == (6, 5, 2, 0.4)


def test_a_plan_of_only_cancelled_items_has_no_share():
    f = rules.fulfilment([item(status=ItemStatus.CANCELLED)], date(2026, 9, 1), DIRECTIONS)
    assert f.overall.share is None and f.overall.cancelled == 1


def test_status_changes():
    i = item(months=((2026, 10),))
    with pytest.raises(PlanError) as e:
        rules.change_status(i, ItemStatus.MOVED, None, YEAR)
    assert e.value.field == "movedTo"
    with pytest.raises(PlanError):
        rules.change_status(i, ItemStatus.OVERDUE, None, YEAR)
    with pytest.raises(PlanError):
        rules.change_status(i, ItemStatus.MOVED, (2026, 8), YEAR)  # before the academic year
    with pytest.raises(PlanError):
        rules.change_status(i, ItemStatus.DONE, (2027, 1), YEAR)
    moved = rules.change_status(i, ItemStatus.MOVED, (2027, 9), YEAR)  # into the next year: allowed
    assert moved.moved_to == (2027, 9)
    back = rules.change_status(moved, ItemStatus.PLANNED, None, YEAR)
    assert back.moved_to is None and back.status is ItemStatus.PLANNED


def test_items_must_be_in_the_academic_year_and_the_catalogue():
    rules.check_item(item(months=((2026, 9), (2027, 8))), YEAR, DIRECTIONS)
    for bad, field in ((item(months=((2026, 8),)), "months"), (item(months=((2027, 9),)), "months"),
                       (item(direction="sport"), "direction"), (item(months=()), "months")):
        with pytest.raises(PlanError) as e:
            rules.check_item(bad, YEAR, DIRECTIONS)
        assert e.value.field == field


def test_next_year_shifts_months_resets_statuses_and_drops_links():
    old = [item(months=((2026, 12), (2027, 1)), status=ItemStatus.DONE, event_ids=(uuid.uuid4(),),
                responsible_id=uuid.uuid4(), expected_result="Справка", position=1),
           item(status=ItemStatus.MOVED, moved_to=(2027, 3), position=2)]
    new = rules.next_year_items(old, [uuid.uuid4(), uuid.uuid4()])
    assert [n.months for n in new] == [((2027, 12), (2028, 1)), ((2027, 10),)]
    assert all(n.status is ItemStatus.PLANNED and n.event_ids == () and n.moved_to is None for n in new)
    assert (new[0].responsible_id, new[0].expected_result, new[0].position) == (
        old[0].responsible_id, "Справка", 1)
    assert {n.id for n in new}.isdisjoint({o.id for o in old})
    rules.check_item(new[0], YEAR + 1, DIRECTIONS)


def test_academic_year_months():
    months = rules.year_months(2026)
    assert months[0] == (2026, 9) and months[-1] == (2027, 8) and len(months) == 12
    assert rules.academic_year_title(2026) == "2026/2027"
