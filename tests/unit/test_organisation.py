import uuid
from datetime import date

import pytest

from metodset_contracts.organisations import OrganisationKind
from metodset_registry.domain import organisations as domain
from metodset_registry.domain.organisations import ClosingDateError, Organisation, OrganisationClosedError


def _org(**kw) -> Organisation:
    base = dict(id=uuid.uuid4(), name="МБОУ СОШ № 1", short_name="СОШ 1", kind=OrganisationKind.SCHOOL,
                municipality_oktmo="29701000", inn="7707083893")
    return Organisation(**{**base, **kw})


def test_registration_event_carries_version_one_and_the_facts():
    org = _org()
    event = domain.register(org)
    assert event.version == 1 and event.organisation_id == org.id and event.kind is OrganisationKind.SCHOOL


def test_update_names_only_the_fields_that_changed_and_bumps_version():
    org = _org()
    new, event = domain.update(org, {"name": "МБОУ Лицей № 1", "kind": OrganisationKind.SCHOOL})
    assert new.version == 2 and new.name == "МБОУ Лицей № 1"
    assert event.changed == ["name"]


def test_update_without_change_raises_no_event():
    org = _org()
    new, event = domain.update(org, {"name": org.name})
    assert event is None and new is org


TODAY = date(2026, 11, 25)


def test_closed_organisation_refuses_changes():
    closed, event = domain.close(_org(), date(2026, 9, 1), TODAY)
    assert not closed.active and event.closed_on == date(2026, 9, 1) and event.version == 2
    with pytest.raises(OrganisationClosedError):
        domain.update(closed, {"name": "x"})
    with pytest.raises(OrganisationClosedError):
        domain.close(closed, date(2026, 9, 2), TODAY)


@pytest.mark.parametrize("on", [date(9999, 12, 31), date(2026, 11, 26), date(1989, 12, 31), date(1, 1, 1)])
def test_a_closing_date_after_today_or_before_1990_is_refused(on):
    with pytest.raises(ClosingDateError, match=on.isoformat()):
        domain.close(_org(), on, TODAY)


@pytest.mark.parametrize("on", [TODAY, date(1990, 1, 1)])
def test_today_and_the_earliest_closing_date_are_taken(on):
    closed, event = domain.close(_org(), on, TODAY)
    assert closed.closed_on == on == event.closed_on


def test_contacts_and_ogrn_travel_in_the_events():
    org = _org(ogrn="1027700132195", email="school1@example.ru")
    assert domain.register(org).ogrn == "1027700132195"
    new, event = domain.update(org, {"phone": "+7 (4842) 56-12-34", "email": "school1@example.ru"})
    assert event.changed == ["phone"] and event.phone == "+7 (4842) 56-12-34"
    assert event.email == "school1@example.ru" and event.ogrn == "1027700132195" and new.version == 2
    dumped = event.model_dump(by_alias=True)
    assert dumped["website"] is None and "ogrn" in dumped


def test_changed_fields_ignore_values_sent_back_unchanged():
    org = _org(address="Калуга, ул. Ленина, 1")
    changes = {"kind": org.kind, "inn": org.inn, "address": "Калуга, ул. Ленина, 2", "phone": None}
    assert domain.changed_fields(org, changes) == ["address"]
