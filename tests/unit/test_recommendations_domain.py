"""Recommendation rules (crossing vs staying), the lifecycle, due dates and the overdue / closed-on-time shares;
support cases, their plan and timeline. Pure domain, no database."""
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from metodset_contracts.recommendations import Addressee, CaseOutcome, CaseStatus, RecommendationStatus
from metodset_monitoring.domain import recommendations as rec
from metodset_monitoring.domain import support_cases as sc
from metodset_monitoring.domain.recommendations import Crossing, Direction, RecommendationError, Rule
from metodset_monitoring.domain.values import IndicatorValueChange, Level

TODAY = date(2026, 11, 1)
ORG = str(uuid.uuid4())
RULE = Rule("upgraded_low", "staff_upgraded_3y_share", Level.ORGANISATION, 0.7, Direction.BELOW,
            Addressee.ORGANISATION, "Доля {value} ниже порога {threshold} за {period}", 30)


def change(value, previous, code="staff_upgraded_3y_share", level=Level.ORGANISATION, period="2026/2027"):
    return IndicatorValueChange(code, period, level, ORG, value, previous)


@pytest.mark.parametrize(("value", "previous", "expected"), [
    (0.6, 0.8, Crossing.CROSSED),  # fell below
    (0.6, None, Crossing.CROSSED),  # first value already below
    (0.5, 0.6, Crossing.NONE),  # stays below: no second recommendation
    (0.8, 0.9, Crossing.NONE),  # stays above
    (0.7, 0.8, Crossing.NONE),  # at the threshold is not below
    (0.75, 0.6, Crossing.RETURNED),
    (None, 0.8, Crossing.NONE),  # not computable
])
def test_crossing_below(value, previous, expected):
    assert rec.crossing(RULE, change(value, previous), TODAY) is expected


def test_crossing_above_and_other_indicators_or_levels_or_inactive_rules():
    above = replace(RULE, direction=Direction.ABOVE, threshold=0.2)
    assert rec.crossing(above, change(0.3, 0.1), TODAY) is Crossing.CROSSED
    assert rec.crossing(above, change(0.1, 0.3), TODAY) is Crossing.RETURNED
    assert rec.crossing(RULE, change(0.1, 0.9, code="other"), TODAY) is Crossing.NONE
    assert rec.crossing(RULE, change(0.1, 0.9, level=Level.MUNICIPALITY), TODAY) is Crossing.NONE
    assert rec.crossing(replace(RULE, active=False), change(0.1, 0.9), TODAY) is Crossing.NONE


@pytest.mark.parametrize(("period", "today", "raises"), [
    ("2026/2027", date(2026, 11, 1), True),   # under way
    ("2025/2026", date(2026, 11, 1), True),   # ended on 31 August: last year's results still count
    ("2025/2026", date(2026, 12, 15), False),  # ended over three months ago
    ("2024/2025", date(2026, 11, 1), False),  # history computed for dynamics
    ("2026", date(2027, 3, 1), True),
    ("2026-Q1", date(2026, 11, 1), False),
])
def test_only_current_or_just_ended_periods_raise(period, today, raises):
    expected = Crossing.CROSSED if raises else Crossing.NONE
    assert rec.crossing(RULE, change(0.1, None, period=period), today) is expected
    assert rec.crossing(RULE, change(0.9, 0.1, period=period), today) is Crossing.RETURNED


def test_a_raised_recommendation_shows_the_value_it_was_raised_at_as_current():
    r = rec.raise_for(RULE, change(0.4, 0.9), uuid.uuid4(), "29701000", uuid.UUID(ORG), TODAY)
    assert (r.value, r.current_value) == (0.4, 0.4)


def test_rule_checks():
    rec.check_rule(RULE)
    with pytest.raises(RecommendationError) as e:
        rec.check_rule(replace(RULE, level=Level.MUNICIPALITY))
    assert e.value.field == "addressee"
    with pytest.raises(RecommendationError) as e:
        rec.check_rule(replace(RULE, addressee=Addressee.METHODICAL_SERVICE, level=Level.REGION))
    assert e.value.field == "addressee"
    for template in ("Значение {name}", "{value.real}", "{value:>10}", "{period!r}", "{0}", "незакрытая {скобка"):
        with pytest.raises(RecommendationError) as e:
            rec.check_rule(replace(RULE, template=template))
        assert e.value.field == "template", template
    rec.check_rule(replace(RULE, template="Без подстановок, {{фигурные}} скобки"))
    with pytest.raises(RecommendationError) as e:
        rec.check_rule(replace(RULE, due_days=0))
    assert e.value.field == "dueDays"


def raised(today=TODAY):
    return rec.raise_for(RULE, change(0.6234, 0.8), uuid.uuid4(), "29701000", uuid.UUID(ORG), today)


def test_raised_recommendation_is_addressed_with_text_and_due_date():
    r = raised()
    assert r.text == "Доля 0,6234 ниже порога 0,7 за 2026/2027"
    assert (r.status, r.due_on, r.addressee, r.rule) == (RecommendationStatus.RAISED, TODAY + timedelta(days=30),
                                                          Addressee.ORGANISATION, "upgraded_low")


def test_lifecycle_to_closing_with_evidence_on_time():
    who = uuid.uuid4()
    r = rec.assign(raised(), who)
    assert (r.status, r.assignee_id) == (RecommendationStatus.ASSIGNED, who)
    r = rec.start(r)
    assert r.status is RecommendationStatus.IN_PROGRESS
    assert rec.assign(r, uuid.uuid4()).status is RecommendationStatus.IN_PROGRESS  # re-assigning keeps the work
    r = rec.edit(rec.set_due(r, TODAY + timedelta(days=10)), "Провести курсы для 5 учителей")
    with pytest.raises(RecommendationError) as e:
        rec.close(r, "  ", None, TODAY)
    assert e.value.field == "evidenceText"
    closed = rec.close(r, "Курсы пройдены", "https://example.org/order.pdf", TODAY + timedelta(days=10))
    assert closed.status is RecommendationStatus.CLOSED and rec.closed_on_time(closed)
    assert rec.fact_attrs(closed) == {"status": "closed", "due_on": "2026-11-11", "closed_on_time": True,
                                      "rule": "upgraded_low", "indicator": "staff_upgraded_3y_share"}
    assert closed.version > r.version
    for act in (lambda x: rec.edit(x, "t"), lambda x: rec.assign(x, who), lambda x: rec.cancel(x, "r", TODAY)):
        with pytest.raises(RecommendationError) as e:
            act(closed)
        assert e.value.code == "closed"


def test_refusals_of_the_lifecycle():
    r = raised()
    with pytest.raises(RecommendationError) as e:
        rec.start(r)
    assert e.value.code == "not_assigned"
    with pytest.raises(RecommendationError) as e:
        rec.set_due(r, TODAY - timedelta(days=1))
    assert e.value.field == "dueOn"
    cancelled = rec.cancel(r, "Показатель пересчитан", TODAY)
    assert cancelled.status is RecommendationStatus.CANCELLED and not rec.closed_on_time(cancelled)


def test_overdue_and_late_closing():
    r = raised()
    assert not rec.is_overdue(r, r.due_on) and rec.is_overdue(r, r.due_on + timedelta(days=1))
    late = rec.close(r, "Сделано", None, r.due_on + timedelta(days=1))
    assert not rec.is_overdue(late, r.due_on + timedelta(days=5)) and not rec.closed_on_time(late)


def test_value_returned_marks_once_and_only_open_ones():
    r = raised()
    marked = rec.value_returned(r, TODAY)
    assert marked.value_returned_on == TODAY and marked.status is RecommendationStatus.RAISED
    assert rec.value_returned(marked, TODAY) is None
    assert rec.value_returned(rec.cancel(r, "x", TODAY), TODAY) is None


def test_shares_per_municipality_and_region():
    day = TODAY + timedelta(days=40)  # every due date below has passed
    a = [raised(), raised(), rec.close(raised(), "ok", None, TODAY), rec.close(raised(), "ok", None, day),
         rec.cancel(raised(), "x", TODAY)]
    b = [replace(raised(), municipality_oktmo="29715000")]
    region_level = [replace(raised(), municipality_oktmo=None, organisation_id=None,
                            status=RecommendationStatus.CLOSED, closed_on=TODAY)]
    got = {s.scope: s for s in rec.shares(a + b + region_level, day)}
    assert list(got) == ["29701000", "29715000", "region"]
    kaluga = got["29701000"]
    assert (kaluga.total, kaluga.open, kaluga.overdue, kaluga.closed, kaluga.closed_on_time) == (4, 2, 2, 2, 1)
    assert (kaluga.overdue_share, kaluga.closed_on_time_share) == (0.5, 0.5)
    assert (got["29715000"].overdue_share, got["29715000"].closed_on_time_share) == (1.0, None)
    region = got["region"]
    assert (region.total, region.overdue, region.closed, region.closed_on_time) == (6, 3, 3, 2)
    assert rec.shares([], TODAY)[0].overdue_share is None


# ---- support cases ------------------------------------------------------------------------------------------

def case():
    return sc.opened(uuid.uuid4(), uuid.UUID(ORG), "29701000", date(2026, 9, 1))


def test_ids_are_the_same_whenever_the_source_is_applied_again():
    flag = uuid.uuid4()
    assert sc.opened(flag, uuid.UUID(ORG), "1", TODAY).id == sc.case_id_of(flag) != sc.case_id_of(uuid.uuid4())
    assert rec.recommendation_id("r", ORG, "2026") == rec.recommendation_id("r", ORG, "2026") != \
        rec.recommendation_id("r", ORG, "2027")


def test_case_lifecycle():
    c = case()
    assert c.status is CaseStatus.OPENED
    curator = uuid.uuid4()
    c = sc.set_curator(c, curator)
    assert (c.status, c.curator_id) == (CaseStatus.ACTIVE, curator)
    with pytest.raises(sc.CaseError) as e:
        sc.close(c, CaseOutcome.FLAG_CLEARED, None, TODAY)
    assert e.value.field == "outcome"
    closed = sc.close(c, CaseOutcome.IMPROVED, "ВПР выше среднего", TODAY)
    assert (closed.status, closed.closed_on, closed.outcome) == (CaseStatus.CLOSED, TODAY, CaseOutcome.IMPROVED)
    with pytest.raises(sc.CaseError) as e:
        sc.set_curator(closed, curator)
    assert e.value.code == "closed"
    assert sc.fact_attrs(closed) == {"status": "closed", "flag": "low_results"}


def test_flag_cleared_closes_an_open_case_and_keeps_a_closed_ones_outcome():
    c = sc.flag_cleared(case(), date(2027, 5, 31))
    assert (c.status, c.outcome, c.closed_on) == (CaseStatus.CLOSED, CaseOutcome.FLAG_CLEARED, date(2027, 5, 31))
    earlier = sc.close(case(), CaseOutcome.NOT_IMPROVED, None, TODAY)
    after = sc.flag_cleared(earlier, date(2027, 5, 31))
    assert (after.outcome, after.closed_on, after.flag_cleared_on) == (CaseOutcome.NOT_IMPROVED, TODAY,
                                                                        date(2027, 5, 31))


def test_plan_items_and_timeline():
    with pytest.raises(sc.CaseError):
        sc.check_dates(date(2026, 10, 2), date(2026, 10, 1))
    item = sc.PlanItem(uuid.uuid4(), uuid.uuid4(), "Диагностика учителей", None, date(2026, 10, 1))
    assert sc.item_overdue(item, date(2026, 10, 2)) and not sc.item_overdue(item, date(2026, 10, 1))
    done = sc.item_progress(item, sc.ItemStatus.DONE, "Проведена", date(2026, 10, 2))
    assert (done.done_on, done.notes) == (date(2026, 10, 2), "Проведена") and not sc.item_overdue(done, TODAY)
    assert sc.item_progress(done, sc.ItemStatus.IN_PROGRESS, None, TODAY).done_on is None
    c = replace(case(), closed_on=date(2026, 12, 31))
    entries = [sc.TimelineEntry(sc.VisitKind.CONSULTATION, date(2026, 8, 31), uuid.uuid4()),
               sc.TimelineEntry(sc.VisitKind.CONSULTATION, date(2026, 10, 5), uuid.uuid4()),
               sc.TimelineEntry(sc.VisitKind.VISIT, date(2026, 9, 15), uuid.uuid4()),
               sc.TimelineEntry(sc.VisitKind.VISIT, date(2027, 1, 1), uuid.uuid4())]
    assert [e.on for e in sc.timeline(c, entries)] == [date(2026, 9, 15), date(2026, 10, 5)]
