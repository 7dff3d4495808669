"""The registry's field-level write rules as a table: who may change which fields of an organisation."""
import pytest

from metodset_kit.scope import Role
from metodset_registry.domain import write_rules
from metodset_registry.domain.organisations import EDITABLE

CONTACTS = ["address", "phone", "email", "website"]
PROTECTED = ["name", "kind", "municipality_oktmo", "inn", "ogrn", write_rules.STATUS]


@pytest.mark.parametrize("role", [Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_METHODIST])
def test_coordinator_and_methodist_may_write_every_field_and_close(role):
    assert write_rules.refused(role, [*EDITABLE, write_rules.STATUS]) == []


def test_organisation_admin_may_write_only_contacts_and_short_name():
    assert write_rules.refused(Role.ORGANISATION_ADMIN, [*CONTACTS, "short_name"]) == []
    assert write_rules.refused(Role.ORGANISATION_ADMIN, [*CONTACTS, *PROTECTED]) == PROTECTED


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SERVICE])
@pytest.mark.parametrize("field", [*EDITABLE, write_rules.STATUS])
def test_analyst_and_service_may_write_nothing(role, field):
    assert write_rules.refused(role, [field]) == [field]


def test_every_role_and_every_field_has_a_title():
    assert set(write_rules.WRITABLE) == set(Role) == set(write_rules.ROLE_TITLES)
    assert set(write_rules.FIELD_TITLES) == write_rules.ALL_FIELDS


def test_refusal_names_the_role_and_the_fields_in_russian():
    assert (write_rules.refusal_message(Role.ORGANISATION_ADMIN, ["kind", "inn"])
            == "Администратор организации не может изменять поля: вид организации, ИНН")
    assert write_rules.refusal_message(Role.ANALYST, ["name"]) == "Аналитик не может изменять поле: полное наименование"


def test_refusal_detail_names_each_field_camel_case_like_fastapi():
    detail = write_rules.refusal_detail(Role.ORGANISATION_ADMIN, ["municipality_oktmo", "closed_on"])
    assert [d["loc"] for d in detail] == [["body", "municipalityOktmo"], ["body", "closedOn"]]
    assert {d["type"] for d in detail} == {"forbidden"}
    assert all(d["msg"].startswith("Администратор организации не может изменять поля: муниципалитет") for d in detail)


def test_only_coordinator_and_methodist_register_organisations():
    assert {r for r in Role if write_rules.may_register(r)} == {Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_METHODIST}
    assert (write_rules.registration_refusal(Role.ORGANISATION_ADMIN)
            == "Администратор организации не может регистрировать организации")
