import pytest
from hypothesis import given
from hypothesis import strategies as st

from metodset_registry.domain import identifiers as ids
from metodset_registry.domain.identifiers import is_valid_legal_inn, is_valid_ogrn, is_valid_oktmo
from tests.factories import legal_inn, ogrn


@pytest.mark.parametrize("inn", ["7707083893", "7736207543", "7702070139"])
def test_real_legal_inns_pass(inn):
    assert is_valid_legal_inn(inn)


@pytest.mark.parametrize("inn", ["7707083894", "770708389", "77070838931", "77070838a3", "", "7707083893\n"])
def test_wrong_checksum_or_shape_fails(inn):
    assert not is_valid_legal_inn(inn)


@pytest.mark.parametrize("inn", ["0000000000", "0000000001"])
def test_an_inn_of_zeros_is_refused_though_its_checksum_is_zero(inn):
    assert ids.legal_inn_check_digit(inn[:9]) == 0
    assert ids.legal_inn_problem(inn) == ids.INN_ZEROS


@pytest.mark.parametrize("value,problem", [("7707083894", ids.INN_CHECKSUM), ("770708389", ids.INN_SHAPE),
                                           ("7707083893", None)])
def test_inn_problems_are_told_apart(value, problem):
    assert ids.legal_inn_problem(value) == problem


@pytest.mark.parametrize("value", ["1027700132195", "1037739010891", "1024001434049"])
def test_well_formed_ogrns_pass(value):
    assert is_valid_ogrn(value)


@pytest.mark.parametrize("value,problem", [
    ("1027700132196", ids.OGRN_CHECKSUM), ("102770013219", ids.OGRN_SHAPE), ("10277001321950", ids.OGRN_SHAPE),
    ("10277001321a5", ids.OGRN_SHAPE), ("１０２７７００１３２１９５", ids.OGRN_SHAPE),
    ("1027700132195\n", ids.OGRN_SHAPE),
    ("0000000000000", ids.OGRN_ZEROS), ("0000000000001", ids.OGRN_ZEROS),
])
def test_ogrn_problems_name_the_reason(value, problem):
    assert ids.ogrn_problem(value) == problem and not is_valid_ogrn(value)


def test_generated_ogrns_are_valid_and_distinct():
    values = {ogrn(i) for i in range(1000)}
    assert len(values) == 1000 and all(is_valid_ogrn(v) for v in values)


def test_generated_inns_are_valid_and_distinct():
    inns = {legal_inn(i) for i in range(1000)}
    assert len(inns) == 1000 and all(is_valid_legal_inn(i) for i in inns)


@pytest.mark.parametrize("code,ok", [("29701000", True), ("29701000001", True), ("2970100", False),
                                     ("297010001", False), ("2970100a", False)])
def test_oktmo_is_8_or_11_digits(code, ok):
    assert is_valid_oktmo(code) is ok


def test_digits_of_other_scripts_are_not_digits_here():
    assert not is_valid_legal_inn("７７０７０８３８９３")  # fullwidth
    assert not is_valid_oktmo("２９７０１０００")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_inn_check_digit_is_the_weighted_sum_mod_11_mod_10(first_nine):
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    assert ids.legal_inn_check_digit(first_nine) == sum(int(c) * w for c, w in zip(first_nine, weights,
                                                                                   strict=True)) % 11 % 10
