"""Rules of persons and employments, experience and the young specialist: pure, no database."""
import uuid
from datetime import date
from decimal import Decimal

import pytest

from metodset_registry.domain import staff
from metodset_registry.domain.experience import (
    Declared,
    YoungSpecialistRule,
    declared_from_years,
    experience,
    merged_days,
)
from metodset_registry.domain.staff import StaffRuleError

TODAY = date(2026, 11, 29)
PERSON, ORG = uuid.uuid4(), uuid.uuid4()


def hire(start=date(2020, 9, 1), position="teacher", main=True, rate="1", others=(), subjects=("mathematics",)):
    return staff.hire(uuid.uuid4(), PERSON, ORG, start, position, list(subjects), rate, main, TODAY, others)


def test_name_key_ignores_case_yo_and_spaces():
    assert staff.name_key(" Семёнова ", "АННА", "Петровна") == staff.name_key("семенова", "анна", "петровна")
    assert staff.name_key("Иванов", "Иван  Иванович", None) == "иванов иван иванович"
    assert staff.name_key("Иванов", "Иван", None) != staff.name_key("Иванова", "Иван", None)


@pytest.mark.parametrize("value,ok", [("0.05", True), ("2", True), ("1,25", True), ("0.04", False),
                                      ("2.01", False), ("0.255", False), ("abc", False), ("NaN", False)])
def test_rate_bounds(value, ok):
    if ok:
        assert Decimal("0.05") <= staff.parse_rate(value) <= Decimal("2")
    else:
        with pytest.raises(StaffRuleError) as err:
            staff.parse_rate(value)
        assert err.value.field == "rate"


def test_age_and_birth_date():
    assert staff.age_on(date(1990, 12, 1), TODAY) == 35
    assert staff.age_on(date(1990, 11, 29), TODAY) == 36
    with pytest.raises(StaffRuleError):
        staff.check_birth_date(date(2020, 1, 1), TODAY)


def test_one_main_employment_at_a_time():
    first = hire()
    with pytest.raises(StaffRuleError) as err:
        hire(start=date(2022, 1, 1), others=[first])
    assert err.value.field == "main"
    assert hire(start=date(2022, 1, 1), main=False, others=[first]).current.main is False
    ended = staff.dismiss(first, date(2021, 12, 31), TODAY)
    assert hire(start=date(2022, 1, 1), others=[ended]).current.main


def test_transfer_keeps_the_previous_state():
    e = hire()
    moved, changed = staff.transfer(e, date(2023, 9, 1), position="methodist", rate="0.5")
    assert changed == ["position", "rate"]
    assert moved.term_on(date(2023, 8, 31)).position == "teacher"
    assert moved.term_on(date(2023, 9, 1)).position == "methodist"
    assert moved.term_on(date(2023, 9, 1)).subjects == ("mathematics",)
    assert moved.version == 2
    with pytest.raises(StaffRuleError):
        staff.transfer(moved, date(2023, 9, 1), position="teacher")  # not after the term in effect
    with pytest.raises(StaffRuleError):
        staff.transfer(moved, date(2024, 1, 1), position="methodist")  # changes nothing


def test_transfer_to_main_checks_other_employments():
    main = hire()
    second = hire(start=date(2021, 1, 1), main=False, others=[main])
    with pytest.raises(StaffRuleError):
        staff.transfer(second, date(2022, 1, 1), main=True, others=[main])


def test_dismissal_dates():
    e = hire()
    with pytest.raises(StaffRuleError) as err:
        staff.dismiss(e, date(2020, 8, 31), TODAY)
    assert err.value.field == "endDate"
    moved, _ = staff.transfer(e, date(2024, 1, 1), rate="0.5")
    with pytest.raises(StaffRuleError):
        staff.dismiss(moved, date(2023, 12, 31), TODAY)
    ended = staff.dismiss(moved, date(2024, 1, 1), TODAY)
    assert ended.active_on(date(2024, 1, 1)) and not ended.active_on(date(2024, 1, 2))
    with pytest.raises(StaffRuleError):
        staff.dismiss(ended, date(2025, 1, 1), TODAY)
    with pytest.raises(StaffRuleError):
        staff.transfer(ended, date(2024, 6, 1), rate="1")


def test_merged_days_counts_overlaps_once():
    periods = [(date(2020, 1, 1), date(2020, 1, 10)), (date(2020, 1, 5), date(2020, 1, 20)),
               (date(2020, 1, 6), date(2020, 1, 7)), (date(2020, 2, 1), None)]
    assert merged_days(periods, date(2020, 2, 3)) == 20 + 3
    assert merged_days(periods, date(2020, 1, 3)) == 3
    assert merged_days(periods, date(2020, 2, 3), after=date(2020, 1, 18)) == 2 + 3


def test_experience_total_and_pedagogical():
    teacher = hire(start=date(2020, 1, 1))
    director = staff.hire(uuid.uuid4(), PERSON, uuid.uuid4(), date(2020, 6, 1), "director", [], "0.5", False,
                          TODAY, [teacher])
    teacher = staff.dismiss(teacher, date(2020, 12, 31), TODAY)
    exp = experience([teacher, director], {"teacher"}, date(2021, 12, 31))
    assert exp.pedagogical_days == 366  # 2020 is a leap year
    assert exp.total_days == 366 + 365
    assert exp.total_years == 2.0


def test_declared_experience_is_not_counted_twice():
    e = hire(start=date(2020, 1, 1))
    declared = Declared(total_days=1000, pedagogical_days=500, on=date(2020, 12, 31))
    exp = experience([e], {"teacher"}, date(2021, 1, 10), declared)
    assert exp.total_days == 1000 + 10 and exp.pedagogical_days == 500 + 10
    assert declared_from_years(2) == 730


def test_young_specialist_rule():
    rule = YoungSpecialistRule(max_years=3, max_age=35)
    assert rule.applies(date(2000, 1, 1), 365 * 2, TODAY)
    assert not rule.applies(date(2000, 1, 1), 1096, TODAY)  # three years
    assert not rule.applies(date(1990, 11, 29), 10, TODAY)  # 36
    assert rule.applies(date(1991, 11, 30), 10, TODAY)  # 34
