"""Checking a staff import row, and who reaches which person: pure rules."""
import uuid
from datetime import date

import pytest

from metodset_contracts.reference import catalogue
from metodset_kit.scope import Principal, Role
from metodset_registry.domain.staff_access import Place, may_count, may_reach_person
from metodset_registry.domain.staff_rows import Catalogue, check_row, parse_date
from tests.factories import legal_inn, snils

TODAY = date(2026, 11, 29)
POSITIONS = Catalogue.of(catalogue("positions").titles())
SUBJECTS = Catalogue.of(catalogue("subjects").titles())
GOOD = {"lastName": "Иванова", "firstName": "Мария", "middleName": "", "birthDate": "12.04.1990",
        "snils": snils(5), "organisationInn": legal_inn(1), "position": "Учитель", "subjects": "математика; Физика",
        "rate": "0,5", "main": "нет", "startDate": "2020-09-01", "row": 7}


def check(**changes):
    return check_row(0, {**GOOD, **changes}, POSITIONS, SUBJECTS, TODAY)


def test_a_good_row_is_typed():
    line = check()
    assert not line.errors
    assert (line.row, line.middle_name, line.position, line.subjects, str(line.rate), line.main) == \
        (7, None, "teacher", ("mathematics", "physics"), "0.50", False)
    assert line.start_date == date(2020, 9, 1) and line.birth_date == date(1990, 4, 12)
    assert check(position="директор").position == "director"  # the title without its parenthesis


@pytest.mark.parametrize(("changes", "field"), [
    ({"lastName": " "}, "lastName"), ({"birthDate": "31.02.1990"}, "birthDate"), ({"birthDate": "2020-01-01"},
                                                                                   "birthDate"),
    ({"snils": "123"}, "snils"), ({"organisationInn": "1234567890"}, "organisationInn"),
    ({"position": "космонавт"}, "position"), ({"subjects": "математика; алхимия"}, "subjects"),
    ({"rate": "3"}, "rate"), ({"main": "может быть"}, "main"), ({"startDate": None}, "startDate"),
])
def test_each_bad_value_names_its_field(changes, field):
    assert [e["field"] for e in check(**changes).errors] == [field]


def test_a_near_miss_suggests_the_title():
    [error] = check(position="учитль").errors
    assert "возможно, «учитель»" in error["message"]


def test_dates_as_dates_or_text():
    assert parse_date("01.09.2020") == parse_date("2020-09-01") == parse_date(date(2020, 9, 1))
    with pytest.raises(ValueError):
        parse_date("сентябрь")


ORG, OTHER = uuid.uuid4(), uuid.uuid4()
HERE = [Place(ORG, "29701000", date(2020, 1, 1), date(2024, 12, 31))]


@pytest.mark.parametrize(("principal", "day", "sees"), [
    (Principal("c", Role.REGIONAL_COORDINATOR), TODAY, True),
    (Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), date(2024, 6, 1), True),
    (Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), TODAY, False),  # dismissed since
    (Principal("m", Role.MUNICIPAL_METHODIST, municipality="29715000"), date(2024, 6, 1), False),
    (Principal("a", Role.ORGANISATION_ADMIN, organisation=str(ORG)), date(2024, 6, 1), True),
    (Principal("a", Role.ORGANISATION_ADMIN, organisation=str(OTHER)), date(2024, 6, 1), False),
    (Principal("x", Role.ANALYST), date(2024, 6, 1), False),
    (Principal("s", Role.SERVICE), date(2024, 6, 1), False),
])
def test_who_reaches_an_employed_person(principal, day, sees):
    assert may_reach_person(principal, HERE, None, "someone", day) is sees


def test_a_person_without_employment_is_reached_by_who_registered_them():
    methodist = Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000")
    assert may_reach_person(methodist, [], "29701000", "other", TODAY)
    assert not may_reach_person(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29715000"), [], "29701000",
                                "m", TODAY)
    assert may_reach_person(Principal("a", Role.ORGANISATION_ADMIN, organisation=str(ORG)), [], "29701000", "a",
                            TODAY)
    assert not may_reach_person(Principal("b", Role.ORGANISATION_ADMIN, organisation=str(ORG)), [], "29701000",
                                "a", TODAY)


def test_counts():
    assert may_count(Principal("x", Role.ANALYST), None)
    assert not may_count(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), "29715000")
