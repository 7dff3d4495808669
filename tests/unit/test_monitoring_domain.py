import uuid
from datetime import UTC, datetime

from metodset_contracts.organisations import OrganisationClosed, OrganisationKind, OrganisationRegistered
from metodset_kit.events import new_event
from metodset_monitoring.domain.facts import OrganisationFact, fact_of, latest
from metodset_monitoring.domain.indicators import organisations_active


def test_fact_of_closed_event_is_inactive():
    oid = uuid.uuid4()
    e = new_event(OrganisationClosed(organisation_id=oid, version=3, municipality_oktmo="29701000",
                                     kind=OrganisationKind.SCHOOL, closed_on=datetime.now(UTC).date()),
                  source="t", subject="s")
    f = fact_of(e)
    assert f.organisation_id == oid and not f.active and f.version == 3


def test_fact_of_registered_event_is_active():
    e = new_event(OrganisationRegistered(organisation_id=uuid.uuid4(), version=1, municipality_oktmo="29701000",
                                         kind=OrganisationKind.COLLEGE, name="ГАПОУ", inn="7707083893"),
                  source="t", subject="s")
    assert fact_of(e).active and fact_of(e).kind == "college"


def test_latest_keeps_highest_version_whatever_the_order():
    oid = uuid.uuid4()
    facts = [OrganisationFact(oid, "1", "school", False, 3), OrganisationFact(oid, "1", "school", True, 1)]
    assert latest(facts) == [facts[0]]


def test_indicators_total_first_then_every_kind():
    out = organisations_active({"school": 3, "kindergarten": 2})
    assert out[0].code == "organisations_active" and out[0].value == 5
    by_code = {i.code: i.value for i in out}
    assert by_code["organisations_active.school"] == 3 and by_code["organisations_active.college"] == 0
    assert len(out) == 1 + len(OrganisationKind)
