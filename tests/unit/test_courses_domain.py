"""The course and attestation rules at their boundaries: 16/250 hours, end dates, the N-year course rule
(exactly N years, the day before and after), expiry and the due-within-N-months horizon."""
from datetime import date

import pytest

from metodset_contracts.courses import CourseKind
from metodset_contracts.reference import catalogue
from metodset_registry.domain import attestation
from metodset_registry.domain.courses import (
    CourseFacts,
    CourseRuleError,
    add_months,
    add_years,
    check_course,
    course_due,
    course_overdue,
    last_upgrade,
    overdue_since,
)
from metodset_registry.domain.person_match import match_person

TODAY = date(2026, 11, 29)


def course(kind=CourseKind.UPGRADE, hours=16, start=date(2026, 3, 1), end=date(2026, 3, 10)) -> CourseFacts:
    return CourseFacts(kind=kind, programme="ФГОС", hours=hours, start_date=start, end_date=end)


@pytest.mark.parametrize(("kind", "hours", "ok"), [
    (CourseKind.UPGRADE, 15, False), (CourseKind.UPGRADE, 16, True), (CourseKind.UPGRADE, 250, True),
    (CourseKind.RETRAINING, 249, False), (CourseKind.RETRAINING, 250, True), (CourseKind.RETRAINING, 16, False),
])
def test_hours_upgrade_at_least_16_retraining_at_least_250(kind, hours, ok):
    if ok:
        check_course(course(kind, hours), TODAY)
    else:
        with pytest.raises(CourseRuleError) as err:
            check_course(course(kind, hours), TODAY)
        assert err.value.field == "hours"


def test_end_not_before_start_and_not_in_the_future():
    check_course(course(start=TODAY, end=TODAY), TODAY)  # one day, ending today
    with pytest.raises(CourseRuleError, match="раньше") as err:
        check_course(course(start=date(2026, 3, 2), end=date(2026, 3, 1)), TODAY)
    assert err.value.field == "endDate"
    with pytest.raises(CourseRuleError, match="будущем"):
        check_course(course(start=TODAY, end=date(2026, 11, 30)), TODAY)


def test_the_course_is_due_three_years_after_the_last_upgrade_and_overdue_the_day_after():
    last = date(2023, 5, 15)
    assert course_due(last) == date(2026, 5, 15)
    assert not course_overdue(last, date(2026, 5, 14))
    assert not course_overdue(last, date(2026, 5, 15))  # exactly three years: still in time
    assert course_overdue(last, date(2026, 5, 16))
    assert course_overdue(None, TODAY) and course_due(None) is None
    assert course_due(last, 5) == date(2028, 5, 15) and not course_overdue(last, date(2028, 5, 15), 5)


def test_retraining_and_courses_after_the_day_do_not_count():
    ends = [(CourseKind.RETRAINING, date(2026, 1, 1)), (CourseKind.UPGRADE, date(2022, 1, 1)),
            (CourseKind.UPGRADE, date(2025, 6, 1))]
    assert last_upgrade(ends, TODAY) == date(2025, 6, 1)
    assert last_upgrade(ends, date(2025, 5, 31)) == date(2022, 1, 1)
    assert last_upgrade(ends[:1], TODAY) is None


@pytest.mark.parametrize("day", [date(2026, 5, 15), date(2026, 2, 28), date(2028, 2, 29), date(2027, 3, 1),
                                 date(2026, 1, 1), date(2026, 12, 31)])
def test_the_sql_bound_agrees_with_the_rule(day):
    since = overdue_since(day)
    assert not course_overdue(since, day)
    assert course_overdue(date.fromordinal(since.toordinal() - 1), day)


def test_leap_days():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 5, 15), 0) == date(2026, 5, 15)


CATS = {i.code: i.extra for i in catalogue("categories").items}


def test_the_catalogue_names_the_six_categories_with_five_years_validity():
    assert set(CATS) == {"none", "compliance", "first", "highest", "methodist", "mentor"}
    assert all(CATS[c]["valid_years"] == 5 for c in CATS if c != "none")
    assert catalogue("categories").titles()["compliance"] == "соответствие занимаемой должности"


def test_an_award_expires_five_years_later_and_supersedes_only_forward():
    first = attestation.award("first", date(2021, 12, 1), "№ 12-к", CATS, None, TODAY)
    assert first.expires_on == date(2026, 11, 30)
    none = attestation.award("none", date(2022, 1, 1), None, CATS, None, TODAY)
    assert none.expires_on is None
    with pytest.raises(attestation.AttestationRuleError) as err:
        attestation.award("highest", date(2021, 11, 30), "№ 1", CATS, first, TODAY)
    assert err.value.field == "awardedOn"
    assert attestation.award("highest", date(2021, 12, 1), "№ 2", CATS, first, TODAY).category == "highest"
    for bad, field in ((("unknown", date(2022, 1, 1), "№"), "category"), (("first", date(2026, 11, 30), "№"),
                                                                            "awardedOn"),
                       (("first", date(2022, 1, 1), " "), "orderNumber")):
        with pytest.raises(attestation.AttestationRuleError) as err:
            attestation.award(*bad, CATS, None, TODAY)
        assert err.value.field == field


def test_due_within_n_months_includes_the_horizon_day_and_expired_ones():
    day = date(2026, 11, 29)
    assert attestation.due_horizon(day, 6) == date(2027, 5, 29)
    assert attestation.is_due(date(2027, 5, 29), day, 6)
    assert not attestation.is_due(date(2027, 5, 30), day, 6)
    assert attestation.is_due(date(2020, 1, 1), day, 0)  # expired: the most urgent
    assert attestation.is_due(day, day, 0) and not attestation.is_due(date(2026, 11, 30), day, 0)
    assert not attestation.is_due(None, day, 120)


def _p(snils, key="иванов иван", birth=date(1980, 1, 1)):
    return {"id": snils or key, "snils": snils, "name_key": key, "birth_date": birth, "last_name": "Иванов",
            "first_name": "Иван", "middle_name": None}


def test_a_person_is_matched_by_snils_else_by_name_and_birth_date():
    a, b = _p("11111111111"), _p(None, "петров петр")
    by_snils, by_name = {"11111111111": a}, {("иванов иван", a["birth_date"]): [a],
                                             ("петров петр", b["birth_date"]): [b]}
    assert match_person("11111111111", "другое имя", None, by_snils, by_name).how == "snils"
    assert match_person(None, "петров петр", date(1980, 1, 1), by_snils, by_name).person is b
    twin = match_person("22222222222", "иванов иван", date(1980, 1, 1), by_snils, by_name)
    assert twin.person is None and "дубликат" in twin.problem
    assert match_person(None, "сидоров", date(1980, 1, 1), by_snils, by_name) == match_person(
        None, "x", None, {}, {})
