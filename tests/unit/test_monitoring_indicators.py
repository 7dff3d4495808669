"""The indicator engine without a database: periods, formulas as data, values, changes, ratings, access,
and how events become facts (order-tolerant merge)."""
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from metodset_contracts.courses import CourseCompleted, CourseKind
from metodset_contracts.requests import RequestAssigned, RequestClosed, RequestDeclared, RequestOutcome
from metodset_kit.events import new_event
from metodset_kit.scope import Principal, Role
from metodset_monitoring.compute import shipped
from metodset_monitoring.domain.access import sees_persons, sees_records, sees_value
from metodset_monitoring.domain.catalogue import Direction, parse_definition
from metodset_monitoring.domain.computation import Total, periods_to_recompute, stale, values
from metodset_monitoring.domain.fact_rows import FactRow, earliest, folded, rows_of
from metodset_monitoring.domain.formula import BadFormula, compile_query, parse_formula, records_sql, totals_sql
from metodset_monitoring.domain.periods import BadPeriod, PeriodKind, containing, parse, recent
from metodset_monitoring.domain.ratings import composite, ranked, with_previous
from metodset_monitoring.domain.values import Level

KALUGA, OBNINSK = "29701000", "29715000"


def test_periods_parse_bound_and_step_back():
    year = parse("2025/2026")
    assert (year.start, year.end, year.previous().code) == (date(2025, 9, 1), date(2026, 8, 31), "2024/2025")
    assert parse("2026-Q1").end == date(2026, 3, 31) and parse("2026-Q4").previous().code == "2025-Q4"
    assert containing(date(2026, 8, 31), PeriodKind.ACADEMIC_YEAR).code == "2025/2026"
    assert [p.code for p in recent(PeriodKind.CALENDAR_YEAR, date(2026, 5, 1), 3)] == ["2024", "2025", "2026"]
    for bad in ("2025/2027", "2026-Q5", "вчера"):
        with pytest.raises(BadPeriod):
            parse(bad)


def test_every_shipped_indicator_parses_and_the_contract_codes_are_there():
    defs = [parse_definition(d) for d in shipped()["indicators"]]
    codes = {d.code for d in defs}
    assert {"staff_upgraded_3y_share", "young_specialists_mentored_share", "plan_fulfilled_share"} <= codes
    assert len(codes) == len(defs) >= 10
    for d in defs:  # every formula compiles for a period
        for q in (d.formula.numerator, d.formula.denominator):
            if q:
                assert "grouping sets" in totals_sql(compile_query(q, parse("2025/2026")))


@pytest.mark.parametrize(("formula", "where"), [
    ({}, "formula"),
    ({"numerator": {"kind": "Employment"}}, "formula.numerator.kind"),
    ({"numerator": {"kind": "course", "measure": "avg"}}, "formula.numerator.measure"),
    ({"numerator": {"kind": "course", "where": [{"field": "name", "op": "eq", "value": "x"}]}},
     "formula.numerator.where[0].field"),
    ({"numerator": {"kind": "course", "where": [{"field": "attrs.x", "op": "gte", "value": "x"}]}},
     "formula.numerator.where[0].value"),
    ({"numerator": {"kind": "course"}, "denominator": {"kind": "x", "exists": {"kind": "y", "match": "body"}}},
     "formula.denominator.exists.match"),
    ({"numerator": {"kind": "course", "sql": "drop table facts"}}, "formula.numerator.sql"),
])
def test_a_bad_formula_is_refused_naming_the_place(formula, where):
    with pytest.raises(BadFormula) as err:
        parse_formula(formula)
    assert err.value.field == where and err.value.message.startswith(where)


def test_values_travel_as_parameters_never_in_the_sql_text():
    f = parse_formula({"numerator": {"kind": "employment", "measure": "persons", "when": "active_at_end",
                                     "where": [{"field": "attrs.position", "op": "eq", "value": "x'; drop--"},
                                               {"field": "attrs.birth_year", "op": "gte",
                                                "value": {"endYearMinus": 35}}],
                                     "exists": {"kind": "course", "withinYears": 3}}})
    c = compile_query(f.numerator, parse("2025/2026"))
    assert "drop" not in totals_sql(c) and ["x'; drop--"] in c.params and 1991 in c.params
    assert date(2023, 8, 31) in c.params  # three years before the period's end
    assert "exists (select 1 from facts x" in totals_sql(c)
    assert "order by f.record_id" in records_sql(c, "{municipality} = $9", None, "$10")


def test_values_per_level_ratio_and_a_zero_denominator_is_not_zero():
    d = parse_definition({"code": "share_x", "title": "Доля", "levels": ["region", "municipality"],
                          "formula": {"numerator": {"kind": "a"}, "denominator": {"kind": "b"}}})
    org = str(uuid.uuid4())
    nums = [Total(None, None, 1, 1, 3), Total(KALUGA, None, 0, 1, 3), Total(KALUGA, org, 0, 0, 3)]
    dens = [Total(None, None, 1, 1, 6), Total(KALUGA, None, 0, 1, 4), Total(OBNINSK, None, 0, 1, 2)]
    got = {(v.level, v.subject): v.value for v in values(d, nums, dens)}
    assert got == {(Level.REGION, "region"): 0.5, (Level.MUNICIPALITY, KALUGA): 0.75,
                   (Level.MUNICIPALITY, OBNINSK): 0.0}  # no organisation level: not among the levels
    assert d.formula.value(1, 0) is None
    assert parse_formula({"numerator": {"kind": "a"}, "scale": 100}).value(2, None) == 200


def test_thresholds_are_crossed_by_direction():
    d = parse_definition({"code": "share_x", "title": "Доля", "threshold": 0.8, "direction": "higher",
                          "formula": {"numerator": {"kind": "a"}}})
    assert d.crossed(0.9, 0.7) and d.crossed(0.7, 0.85) and not d.crossed(0.7, 0.75) and not d.crossed(None, 0.1)
    lower = parse_definition({"code": "hours_x", "title": "Часы", "threshold": 72, "direction": "lower",
                              "formula": {"numerator": {"kind": "a"}}})
    assert lower.on_wrong_side(80) and not lower.on_wrong_side(10)


def test_ratings_share_places_and_tell_the_change_since_last_year():
    now = ranked({"a": 0.9, "b": 0.5, "c": 0.9, "d": None}, Direction.HIGHER)
    assert [(p.subject, p.rank) for p in now] == [("a", 1), ("c", 1), ("b", 3)]
    before = ranked({"a": 0.1, "b": 0.9, "c": 0.5}, Direction.HIGHER)
    assert {p.subject: p.rank_change for p in with_previous(now, before)} == {"a": 2, "c": 1, "b": -2}
    assert [p.subject for p in ranked({"x": 10, "y": 5}, Direction.LOWER)] == ["y", "x"]


def test_composite_weighs_normalised_values_and_inverts_lower_is_better():
    scores = composite({"up": {"a": 1.0, "b": 0.0}, "hours": {"a": 100, "b": 10}},
                       {"up": Direction.HIGHER, "hours": Direction.LOWER}, {"up": 3, "hours": 1})
    assert scores == {"a": 0.75, "b": 0.25}


def test_access_analyst_never_a_person_methodist_other_municipalities_only_published():
    analyst = Principal("a", Role.ANALYST)
    methodist = Principal("m", Role.MUNICIPAL_METHODIST, municipality=KALUGA)
    admin = Principal("o", Role.ORGANISATION_ADMIN, organisation="org-1")
    assert sees_value(analyst, Level.ORGANISATION, "x", OBNINSK, False) and not sees_persons(analyst)
    assert sees_value(methodist, Level.MUNICIPALITY, OBNINSK, OBNINSK, True)
    assert not sees_value(methodist, Level.MUNICIPALITY, OBNINSK, OBNINSK, False)
    assert not sees_value(methodist, Level.ORGANISATION, "x", OBNINSK, True)
    assert sees_records(methodist, Level.ORGANISATION, "x", KALUGA) and not sees_records(methodist, Level.REGION,
                                                                                           "region", None)
    assert sees_value(admin, Level.ORGANISATION, "org-1", KALUGA, False)
    assert not sees_value(admin, Level.MUNICIPALITY, KALUGA, KALUGA, True)


def _ev(data, at):
    e = new_event(data, source="urn:test", subject="x")
    return e.model_copy(update={"time": at})


def test_facts_of_a_record_merge_whatever_the_order():
    req, org = uuid.uuid4(), uuid.uuid4()
    base = dict(request_id=req, organisation_id=org, municipality_oktmo=KALUGA)
    declared = _ev(RequestDeclared(**base, declared_at=datetime(2026, 1, 10, 9, tzinfo=UTC)),
                   datetime(2026, 1, 10, 9, tzinfo=UTC))
    assigned = _ev(RequestAssigned(**base, methodist_id=uuid.uuid4(), assigned_at=datetime(2026, 1, 11, 9, tzinfo=UTC)),
                   datetime(2026, 1, 11, 9, tzinfo=UTC))
    closed = _ev(RequestClosed(**base, outcome=RequestOutcome.RESOLVED, closed_at=datetime(2026, 2, 1, tzinfo=UTC)),
                 datetime(2026, 2, 1, tzinfo=UTC))
    orders = [[declared, assigned, closed], [closed, declared, assigned], [assigned, closed, declared]]
    merged = [folded([r for e in order for r in rows_of(e)]) for order in orders]
    assert merged[0] == merged[1] == merged[2]
    [row] = merged[0]
    assert (row.attrs["status"], row.valid_from, row.valid_to) == ("closed", date(2026, 1, 10), date(2026, 2, 1))
    assert "assigned_at" in row.attrs and "declared_at" in row.attrs


def test_a_course_is_a_person_fact_dated_by_its_end():
    course = CourseCompleted(course_id=uuid.uuid4(), person_id=uuid.uuid4(), kind=CourseKind.UPGRADE,
                             programme="Программа", hours=36, start_date=date(2025, 1, 10), end_date=date(2025, 2, 1))
    [row] = rows_of(new_event(course, source="urn:test", subject="x"))
    assert (row.kind, row.valid_from, row.value, row.organisation_id) == ("course", date(2025, 2, 1), 36, None)


def test_only_the_periods_and_parts_a_change_can_move_are_recomputed():
    d = next(parse_definition(x) for x in shipped()["indicators"] if x["code"] == "staff_upgraded_3y_share")
    years = [parse("2023/2024"), parse("2024/2025"), parse("2025/2026")]
    assert periods_to_recompute(d, years, None) == years
    assert periods_to_recompute(d, years, {"course": date(2025, 10, 1)}) == years[2:]
    assert periods_to_recompute(d, years, {"course": date(2024, 1, 1)}) == years
    assert periods_to_recompute(d, years, {"course": None}) == years  # a fact without a start: since ever
    assert periods_to_recompute(d, years, {"event": date(2020, 1, 1)}) == []
    assert stale(d.formula.numerator, {"course": None}) and not stale(d.formula.denominator, {"course": None})
    plan = next(parse_definition(x) for x in shipped()["indicators"] if x["code"] == "plan_fulfilled_share")
    assert periods_to_recompute(plan, years, {"plan_item": date(2026, 9, 1)}) == years  # dated by attrs.period


def test_the_earliest_day_a_batch_speaks_of_per_kind():
    rows = [FactRow("course", "a", 1, valid_from=date(2025, 5, 1)),
            FactRow("course", "b", 1, valid_from=date(2024, 5, 1), valid_to=date(2024, 6, 1)),
            FactRow("employment", "c", 1, valid_from=date(2020, 9, 1), valid_to=date(2019, 1, 1)),
            FactRow("organisation", "d", 1, valid_to=date(2025, 1, 1))]
    assert earliest(rows) == {"course": date(2024, 5, 1), "employment": date(2019, 1, 1), "organisation": None}


def _sample(annotation, name: str, field=None):
    """A valid value of a contract field, by its type (patterns by what they name)."""
    import enum
    import types
    import typing
    from datetime import datetime as dt

    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in typing.get_args(annotation) if a is not type(None)), name, field)
    if origin is list:
        return [_sample(typing.get_args(annotation)[0], name)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {k: _sample(f.annotation, k, f) for k, f in annotation.model_fields.items()}
    pattern = next((m.pattern for m in getattr(field, "metadata", []) if getattr(m, "pattern", None)), None)
    low = next((m.ge for m in getattr(field, "metadata", []) if getattr(m, "ge", None) is not None), None)
    return {uuid.UUID: uuid.uuid4(), date: date(2026, 1, 15), dt: datetime(2026, 1, 15, 10, tzinfo=UTC), Decimal: 1,
            bool: True, float: max(low or 1.0, 1.0), int: max(low or 1, 2000 if "year" in name else 1),
            }.get(annotation) if annotation is not str else _text_for(pattern)


def _text_for(pattern: str | None) -> str:
    if not pattern:
        return "x"
    if "Q[1-4]" in pattern or "\\d{4}/\\d{4}" in pattern:
        return "2025/2026"
    if "\\d{8}" in pattern:
        return "29701000"
    if "\\d{10}" in pattern:
        return "4027000000"
    if "\\d{13}" in pattern:
        return "1024000000000"
    if "(0[1-9]|1[0-2])" in pattern:
        return "2026-01"
    return "abc"


def test_every_event_type_the_facts_projection_handles_becomes_facts():
    from metodset_contracts.catalogue import EVENT_TYPES
    from metodset_monitoring.facts_projection import FACTS

    handled = [t for t in EVENT_TYPES if t.type in FACTS.handled_types]
    assert len(handled) >= 42
    assert {"OlympiadProtocolPublished", "CompetitionResultPublished"} <= {t.model.__name__ for t in handled}
    for t in handled:
        data = t.model.model_validate({k: _sample(f.annotation, k, f) for k, f in t.model.model_fields.items()})
        rows = rows_of(new_event(data, source="urn:test", subject="x"))
        assert rows and all(r.kind and r.record_id and r.version for r in rows), t.type


def test_an_olympiad_protocol_becomes_participations_by_organisation_and_result():
    from metodset_contracts import olympiads as ol

    org, stage = uuid.uuid4(), uuid.uuid4()
    protocol = ol.OlympiadProtocolPublished(
        stage_id=stage, year=2025, subject="math", stage="municipal", municipality_oktmo="29701000",
        protocol_version=2, participants=10, winners=1, prize_winners=3,
        organisations=[ol.OlympiadOrganisationTally(organisation_id=org, municipality_oktmo="29701000",
                                                    participants=10, winners=1, prize_winners=3)])
    rows = rows_of(new_event(protocol, source="urn:test", subject="x"))
    assert {(r.attrs["result"], r.value) for r in rows} == {("winner", 1), ("prize_winner", 3), ("participant", 6)}
    assert all(r.organisation_id == org and r.version == 2 and r.attrs["period"] == "2025/2026"
               and r.attrs["stage"] == "municipal" for r in rows)
    legacy = protocol.model_copy(update={"organisations": []})
    rows = rows_of(new_event(legacy, source="urn:test", subject="x"))
    assert {r.organisation_id for r in rows} == {None} and sum(r.value for r in rows) == 10


def test_a_staff_competition_result_is_a_person_fact_with_its_result():
    from metodset_contracts import competitions as cp

    people = [uuid.uuid4(), uuid.uuid4()]
    common = dict(entry_id=uuid.uuid4(), competition_id=uuid.uuid4(), stage_id=uuid.uuid4(),
                  nomination_id=uuid.uuid4(), level="municipal", organisation_id=uuid.uuid4(),
                  municipality_oktmo="29701000")
    result = cp.CompetitionResultPublished(**common, kind="staff", person_ids=people, member_count=2, place=2,
                                           status="prize_winner", score=Decimal("87.5"))
    rows = rows_of(new_event(result, source="urn:test", subject="x"))
    assert {r.person_id for r in rows} == set(people)
    assert all(r.attrs["result"] == "prize_winner" and r.valid_from for r in rows)
    pupils = cp.CompetitionEntryAccepted(**common, kind="student", person_ids=[], member_count=3)
    [row] = rows_of(new_event(pupils, source="urn:test", subject="x"))
    assert row.person_id is None and row.value == 3 and "result" not in row.attrs
