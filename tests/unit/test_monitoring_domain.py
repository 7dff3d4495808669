import uuid
from datetime import UTC, datetime

from metodset_contracts.organisations import OrganisationClosed, OrganisationKind, OrganisationRegistered
from metodset_kit.events import new_event
from metodset_monitoring.domain.fact_rows import merge, rows_of
from metodset_monitoring.domain.indicators import organisations_active


def _closed(oid, version=3):
    return new_event(OrganisationClosed(organisation_id=oid, version=version, municipality_oktmo="29701000",
                                        kind=OrganisationKind.SCHOOL, closed_on=datetime.now(UTC).date()),
                     source="t", subject="s")


def _registered(oid, version=1):
    return new_event(OrganisationRegistered(organisation_id=oid, version=version, municipality_oktmo="29701000",
                                            kind=OrganisationKind.COLLEGE, name="ГАПОУ", inn="7707083893"),
                     source="t", subject="s")


def test_an_organisation_fact_of_a_closing_is_closed_and_names_nobody():
    oid = uuid.uuid4()
    [row] = rows_of(_closed(oid))
    assert row.record_id == str(oid) and row.version == 3 and row.attrs == {"kind": "school", "status": "closed"}


def test_an_organisation_fact_of_a_registration_is_active_with_its_name():
    [row] = rows_of(_registered(uuid.uuid4()))
    assert row.attrs == {"kind": "college", "status": "active", "name": "ГАПОУ"}


def test_a_closing_keeps_the_name_known_whatever_the_order():
    oid = uuid.uuid4()
    [closed], [registered] = rows_of(_closed(oid)), rows_of(_registered(oid))
    for merged in (merge(closed, registered), merge(registered, closed)):
        assert merged.version == 3 and merged.attrs == {"kind": "school", "status": "closed", "name": "ГАПОУ"}


def test_indicators_total_first_then_every_kind():
    out = organisations_active({"school": 3, "kindergarten": 2})
    assert out[0].code == "organisations_active" and out[0].value == 5
    by_code = {i.code: i.value for i in out}
    assert by_code["organisations_active.school"] == 3 and by_code["organisations_active.college"] == 0
    assert len(out) == 1 + len(OrganisationKind)
