import uuid
from datetime import date

import pytest

from metodset_contracts.organisations import OrganisationKind
from metodset_registry.domain import organisations as domain
from metodset_registry.domain.organisations import Organisation, OrganisationClosedError


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


def test_closed_organisation_refuses_changes():
    closed, event = domain.close(_org(), date(2026, 9, 1))
    assert not closed.active and event.closed_on == date(2026, 9, 1) and event.version == 2
    with pytest.raises(OrganisationClosedError):
        domain.update(closed, {"name": "x"})
    with pytest.raises(OrganisationClosedError):
        domain.close(closed, date(2026, 9, 2))
