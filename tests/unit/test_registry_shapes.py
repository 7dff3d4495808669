"""The registry's REST shapes: contact details, ОГРН and identifiers are refused naming the field."""
import pytest
from pydantic import ValidationError

from metodset_registry.organisations.schemas import OrganisationCreate, OrganisationUpdate

BASE = {"name": "МБОУ СОШ № 1", "kind": "school", "municipalityOktmo": "29701000", "inn": "7707083893"}


def _refused_field(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        OrganisationCreate.model_validate({**BASE, **fields})
    return caught.value.errors()[0]["loc"][0]


def test_contacts_and_ogrn_are_taken_and_trimmed():
    org = OrganisationCreate.model_validate({**BASE, "ogrn": "1027700132195", "address": "  Калуга, ул. Ленина, 1 ",
                                             "phone": "+7 (4842) 56-12-34", "email": "school1@калуга.рф",
                                             "website": "https://school1.kaluga.ru/about"})
    assert org.address == "Калуга, ул. Ленина, 1" and org.phone == "+7 (4842) 56-12-34"
    assert org.email == "school1@калуга.рф" and org.website == "https://school1.kaluga.ru/about"


def test_contacts_are_optional():
    org = OrganisationCreate.model_validate(BASE)
    assert (org.ogrn, org.address, org.phone, org.email, org.website) == (None,) * 5


@pytest.mark.parametrize("field,value", [
    ("phone", "8-800-CALL-NOW"), ("phone", "123"), ("phone", "+7 4842 56 12 34 56 78 90"), ("phone", "٤٨٤٢٥٦١٢٣٤"),
    ("email", "school1"), ("email", "a@b"), ("email", "a b@c.ru"), ("email", "a@@c.ru"), ("email", "x" * 250 + "@c.ru"),
    ("website", "ftp://school1.ru"), ("website", "school1.ru"), ("website", "javascript:alert(1)"),
    ("website", "https:///path"), ("website", "https://school 1.ru"),
    ("address", ""), ("address", "   "), ("address", "А" * 501), ("address", "Калуга\x00"),
    ("name", "СОШ\x00"), ("shortName", "\ud800"),
    ("ogrn", "1027700132196"), ("ogrn", "0000000000000"), ("ogrn", "102770013219"),
    ("inn", "0000000000"), ("inn", "7707083894"),
])
def test_bad_values_are_refused_naming_the_field(field, value):
    assert _refused_field(**{field: value}) == field


def test_nul_is_refused_with_the_kits_reason():
    with pytest.raises(ValidationError, match="NUL"):
        OrganisationCreate.model_validate({**BASE, "address": "Калуга\x00"})


def test_an_inn_of_zeros_is_refused_with_its_own_reason():
    with pytest.raises(ValidationError, match="из одних нулей"):
        OrganisationCreate.model_validate({**BASE, "inn": "0000000000"})


def test_an_update_may_clear_a_contact_with_null():
    update = OrganisationUpdate.model_validate({"phone": None, "website": "http://school1.ru"})
    assert update.model_dump(exclude_unset=True) == {"phone": None, "website": "http://school1.ru"}
