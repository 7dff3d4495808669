"""Deficit diagnostics and individual routes without a database: deficits at the thresholds' boundaries, the
reference instrument, route rules (areas, items, completion by hand and by fact, closing with deltas),
suggestions (site topics, mentors' strength and experience)."""
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from metodset_contracts.reference import diagnostic_instruments
from metodset_registry.domain import route_suggestions as suggestions
from metodset_registry.domain import routes
from metodset_registry.domain.diagnostics import (
    Deficit,
    DiagnosticsError,
    deficit_of,
    diagnose,
    instrument_from,
    instrument_json,
    latest,
)
from metodset_registry.domain.experience import DAYS_PER_YEAR
from metodset_registry.domain.routes import Item, ItemKind, ItemStatus, Outcome, RouteError

TODAY = date(2026, 11, 20)
INSTRUMENT = instrument_from(diagnostic_instruments()[0])
AREAS = [a.code for a in INSTRUMENT.areas]
PERSON = uuid.uuid4()


def scores(**low) -> dict:
    return {a: low.get(a, 90) for a in AREAS}


def result(day: date, **low):
    return diagnose(uuid.uuid4(), PERSON, INSTRUMENT, day, scores(**low), TODAY)


def test_the_reference_instrument_has_the_six_areas_in_russian_and_round_trips():
    assert INSTRUMENT.name == "Диагностика профессиональных дефицитов педагогов"
    assert AREAS == ["subject_knowledge", "methodical", "psychological_pedagogical", "digital",
                     "functional_literacy", "upbringing"]
    assert INSTRUMENT.area("digital").title == "Цифровые компетенции"
    assert instrument_from(instrument_json(INSTRUMENT)) == INSTRUMENT


@pytest.mark.parametrize(("score", "level"), [
    (0, "critical"), (Decimal("39.99"), "critical"), (40, "significant"), (54, "significant"),
    (55, "moderate"), (Decimal("69.5"), "moderate"), (70, None), (100, None)])
def test_a_score_strictly_below_a_threshold_is_a_deficit_of_the_lowest_such_threshold(score, level):
    found = deficit_of(INSTRUMENT.area("subject_knowledge"), Decimal(score))
    assert (found.level if found else None) == level


def test_a_result_lists_deficits_in_the_instrument_s_order_and_checks_its_scores():
    r = result(TODAY, digital=10, subject_knowledge=69)
    assert r.deficits == (Deficit("subject_knowledge", "moderate"), Deficit("digital", "critical"))
    with pytest.raises(DiagnosticsError, match="Нет балла"):
        diagnose(uuid.uuid4(), PERSON, INSTRUMENT, TODAY, {"digital": 50}, TODAY)
    with pytest.raises(DiagnosticsError, match="нет областей"):
        diagnose(uuid.uuid4(), PERSON, INSTRUMENT, TODAY, scores() | {"chess": 1}, TODAY)
    with pytest.raises(DiagnosticsError, match="от 0 до"):
        diagnose(uuid.uuid4(), PERSON, INSTRUMENT, TODAY, scores(digital=101), TODAY)
    with pytest.raises(DiagnosticsError) as future:
        diagnose(uuid.uuid4(), PERSON, INSTRUMENT, TODAY + timedelta(days=1), scores(), TODAY)
    assert future.value.field == "date"


def test_an_instrument_with_unordered_thresholds_or_an_unknown_level_is_refused():
    raw = instrument_json(INSTRUMENT)
    raw["areas"][0]["thresholds"] = [{"below": 60, "level": "critical"}, {"below": 40, "level": "moderate"}]
    with pytest.raises(DiagnosticsError, match="по возрастанию"):
        instrument_from(raw)
    raw["areas"][0]["thresholds"] = [{"below": 60, "level": "unknown"}]
    with pytest.raises(DiagnosticsError, match="неизвестный уровень"):
        instrument_from(raw)


def test_the_latest_result_on_a_day_gives_the_deficits_as_of_that_day():
    old, new = result(TODAY - timedelta(days=100), digital=10), result(TODAY - timedelta(days=10))
    assert latest([old, new], TODAY - timedelta(days=50)) is old
    assert latest([old, new], TODAY) is new
    assert latest([old, new], TODAY - timedelta(days=101)) is None


def opened(base=None, day=TODAY - timedelta(days=30)):
    base = base or result(TODAY - timedelta(days=40), digital=10, methodical=50)
    return routes.open_route(uuid.uuid4(), PERSON, base, day, TODAY, False), base


def item(kind=ItemKind.COURSE, area="digital", ref=None, due=None) -> Item:
    return Item(uuid.uuid4(), kind, area, "Курсы «Цифровая образовательная среда»", due, ref=ref)


def test_a_route_opens_only_on_deficits_and_one_at_a_time():
    route, base = opened()
    assert route.area_codes() == ["methodical", "digital"] and route.base_result_id == base.id
    with pytest.raises(RouteError, match="нет диагностики с дефицитами"):
        routes.open_route(uuid.uuid4(), PERSON, result(TODAY), TODAY, TODAY, False)
    with pytest.raises(RouteError, match="нет диагностики"):
        routes.open_route(uuid.uuid4(), PERSON, None, TODAY, TODAY, False)
    with pytest.raises(RouteError) as twice:
        routes.open_route(uuid.uuid4(), PERSON, base, TODAY, TODAY, True)
    assert twice.value.code == "conflict"


def test_an_item_addresses_a_deficit_of_the_route_even_by_hand():
    route, _ = opened()
    route = routes.add_item(route, item(area="digital"))
    with pytest.raises(RouteError) as no_deficit:
        routes.add_item(route, item(area="upbringing"))
    assert (no_deficit.value.field, no_deficit.value.code) == ("area", "no_deficit")
    with pytest.raises(RouteError, match="раньше открытия"):
        routes.add_item(route, item(due=route.opened_on - timedelta(days=1)))


def test_completing_by_hand_twice_is_refused_by_fact_it_is_skipped():
    route, _ = opened()
    it = item()
    route = routes.add_item(route, it)
    done, changed = routes.complete(route, it.id, TODAY, TODAY)
    assert changed and done.item(it.id).status is ItemStatus.DONE and done.item(it.id).completed_on == TODAY
    with pytest.raises(RouteError, match="уже выполнен"):
        routes.complete(done, it.id, TODAY, TODAY)
    again, changed = routes.complete(done, it.id, TODAY, TODAY, by_fact=True)
    assert (again, changed) == (done, False)
    with pytest.raises(RouteError, match="раньше открытия"):
        routes.complete(route, it.id, route.opened_on - timedelta(days=1), TODAY)
    assert routes.complete(route, it.id, route.opened_on - timedelta(days=1), TODAY, by_fact=True)[1] is False


def test_a_fact_completes_the_item_naming_it_else_the_open_items_of_its_kind_and_area():
    route, _ = opened()
    named, general, mentoring = item(ref="course-1"), item(), item(kind=ItemKind.MENTORING)
    for i in (named, general, mentoring):
        route = routes.add_item(route, i)
    assert routes.matching_items(route, ItemKind.COURSE, "digital", "course-1") == [named]
    assert routes.matching_items(route, ItemKind.COURSE, "digital", "course-2") == [general]
    assert routes.matching_items(route, ItemKind.COURSE, "methodical", None) == []
    cancelled = routes.set_status(route, general.id, ItemStatus.CANCELLED)
    assert routes.matching_items(cancelled, ItemKind.COURSE, "digital", None) == []


def test_closing_without_a_rediagnosis_records_that_and_no_deltas():
    route, base = opened()
    closed = routes.close(route, TODAY, TODAY, base, [base])
    assert (closed.outcome, closed.deltas, closed.open) == (Outcome.NOT_REDIAGNOSED, {}, False)
    with pytest.raises(RouteError, match="закрыт"):
        routes.add_item(closed, item())
    with pytest.raises(RouteError, match="закрыт"):
        routes.close(closed, TODAY, TODAY, base, [base])


@pytest.mark.parametrize(("digital", "methodical", "outcome"), [
    (80, 75, Outcome.DEFICITS_CLOSED), (80, 50, Outcome.PARTIALLY_CLOSED), (20, 54, Outcome.NOT_CLOSED)])
def test_closing_after_a_rediagnosis_records_the_delta_per_area_and_the_outcome(digital, methodical, outcome):
    route, base = opened()
    before_opening = result(route.opened_on - timedelta(days=1), digital=99, methodical=99)
    after = result(TODAY - timedelta(days=5), digital=digital, methodical=methodical)
    closed = routes.close(route, TODAY, TODAY, base, [base, before_opening, after])
    assert closed.outcome is outcome and closed.rediagnosed_result_id == after.id
    assert closed.deltas == {"methodical": Decimal(methodical - 50), "digital": Decimal(digital - 10)}


def test_a_rediagnosis_after_the_closing_day_does_not_count():
    route, base = opened()
    later = result(TODAY - timedelta(days=1))
    closed = routes.close(route, TODAY - timedelta(days=2), TODAY, base, [base, later])
    assert closed.outcome is Outcome.NOT_REDIAGNOSED


def mentor(years: float, **low):
    r = diagnose(uuid.uuid4(), uuid.uuid4(), INSTRUMENT, TODAY, scores(**low), TODAY)
    return suggestions.MentorOffer(r.person_id, "Иванова И. И.", r, round(years * DAYS_PER_YEAR))


def test_suggestions_match_site_topics_and_mentors_strong_in_the_area_with_five_years():
    deficits = [Deficit("digital", "critical")]
    site = suggestions.SiteOffer(uuid.uuid4(), "МБОУ СОШ № 5", "стажировочная площадка",
                                 "Цифровая образовательная среда школы")
    other = suggestions.SiteOffer(uuid.uuid4(), "МБОУ СОШ № 6", "стажировочная площадка", "Воспитание патриотизма")
    strong, junior, weak = mentor(5), mentor(4.9), mentor(20, digital=59)
    found = suggestions.suggest(deficits, INSTRUMENT, [site, other], [strong, junior, weak])
    assert [(s.kind, s.ref) for s in found] == [(ItemKind.INTERNSHIP, str(site.organisation_id)),
                                                (ItemKind.MENTORING, str(strong.person_id)),
                                                (ItemKind.SELF_STUDY, None)]
    assert found[-1].title == "Самообразование: Цифровые компетенции"


def test_a_course_fact_without_a_ref_matches_an_item_whose_title_contains_the_programme():
    route, _ = opened()
    titled = Item(uuid.uuid4(), ItemKind.COURSE, "digital", "КПК «Цифровая  образовательная СРЕДА»", None)
    route = routes.add_item(route, titled)
    assert [i.id for i in routes.matching_items(route, ItemKind.COURSE, None, "key",
                                                "цифровая образовательная среда")] == [titled.id]
    assert routes.matching_items(route, ItemKind.COURSE, None, "key", "Другая программа") == []
    assert not routes.all_done(route)
    done, _ = routes.complete(route, titled.id, TODAY, TODAY, by_fact=True)
    assert routes.all_done(done)
    assert not routes.all_done(routes.set_status(route, titled.id, ItemStatus.CANCELLED))


@pytest.mark.parametrize("n, text", [(1, "1 год"), (3, "3 года"), (5, "5 лет"), (11, "11 лет"), (12, "12 лет"),
                                     (21, "21 год"), (22, "22 года"), (46, "46 лет"), (111, "111 лет")])
def test_a_mentor_s_years_read_as_russian(n, text):
    assert suggestions.years_text(n) == text
