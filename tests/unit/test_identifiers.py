import pytest

from metodset_registry.domain.identifiers import is_valid_legal_inn, is_valid_oktmo
from tests.factories import legal_inn


@pytest.mark.parametrize("inn", ["7707083893", "7736207543", "7702070139"])
def test_real_legal_inns_pass(inn):
    assert is_valid_legal_inn(inn)


@pytest.mark.parametrize("inn", ["7707083894", "770708389", "77070838931", "77070838a3", ""])
def test_wrong_checksum_or_shape_fails(inn):
    assert not is_valid_legal_inn(inn)


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
