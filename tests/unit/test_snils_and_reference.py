import pytest

from metodset_contracts.reference import NAMES, catalogue
from metodset_registry.domain.identifiers import (
    SNILS_CHECKSUM,
    SNILS_SHAPE,
    SNILS_ZEROS,
    format_snils,
    normalise_snils,
    snils_check_number,
    snils_problem,
)


@pytest.mark.parametrize("snils", ["112-233-445 95", "11223344595", "112-233-445-95", "001-001-997 00"])
def test_valid_snils(snils):
    assert snils_problem(snils) is None


@pytest.mark.parametrize(("snils", "problem"), [
    ("112-233-445 96", SNILS_CHECKSUM), ("1122334459", SNILS_SHAPE), ("112 233 445 95", SNILS_SHAPE),
    ("000-000-000 00", SNILS_ZEROS), ("１１２２３３４４５９５", SNILS_SHAPE)])
def test_invalid_snils(snils, problem):
    assert snils_problem(snils) == problem


def _weighted(nine: str) -> int:
    return sum(int(d) * w for d, w in zip(nine, range(9, 0, -1), strict=False))


@pytest.mark.parametrize(("nine", "total", "check"), [
    ("112233445", 95, 95),  # under 100: the sum itself
    ("920000011", 100, 0), ("920000020", 101, 0),  # 100 and 101 give 00
    ("999999999", 405, 1),  # above 101: mod 101
    ("999999000", 351, 48),
])
def test_check_number_rules(nine, total, check):
    assert _weighted(nine) == total
    assert snils_check_number(nine) == check


def test_remainder_of_100_is_written_00():
    nine = next(f"{n:09d}" for n in range(100000000, 999999999, 7) if _weighted(f"{n:09d}") == 201)
    assert snils_check_number(nine) == 0


def test_format_round_trip():
    assert format_snils("11223344595") == "112-233-445 95"
    assert normalise_snils(" 112-233-445 95 ") == "11223344595"


@pytest.mark.parametrize("name", NAMES)
def test_reference_codes_and_titles_unique(name):
    c = catalogue(name)
    assert len(set(c.codes())) == len(c.items) == len(c.by_title())
    assert all(i.code.isascii() and i.title for i in c.items)
