"""Pure rules of parents (branches, structural units) and reorganisation."""
import uuid
from datetime import date

import pytest

from metodset_contracts.organisations import OrganisationKind
from metodset_kit.scope import Role
from metodset_registry.domain import write_rules
from metodset_registry.domain.organisations import (
    Link,
    Organisation,
    OrganisationClosedError,
    ParentError,
    Status,
    parent_problem,
    reorganise,
    update,
)

KALUGA, OBNINSK = "29701000", "29715000"
A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _chain(*links: Link) -> dict:
    return {link.id: link for link in links}


def test_a_parent_must_exist_be_active_and_of_the_same_municipality():
    assert "не найдена" in parent_problem(A, KALUGA, B, {})
    assert "закрыта" in parent_problem(A, KALUGA, B, _chain(Link(B, None, KALUGA, False)))
    assert "муниципалитета" in parent_problem(A, KALUGA, B, _chain(Link(B, None, OBNINSK, True)))
    assert parent_problem(A, KALUGA, B, _chain(Link(B, None, KALUGA, True))) is None


def test_a_cycle_through_ancestors_is_refused_and_a_self_parent_too():
    # B's parent is C, C's parent is A: A under B would close the loop
    chain = _chain(Link(B, C, KALUGA, True), Link(C, A, KALUGA, True), Link(A, None, KALUGA, True))
    assert "цикл" in parent_problem(A, KALUGA, B, chain)
    assert "самой себя" in parent_problem(A, KALUGA, A, _chain(Link(A, None, KALUGA, True)))
    assert parent_problem(uuid.uuid4(), KALUGA, B, chain) is None


def test_a_cycle_already_in_the_data_does_not_loop_forever():
    chain = _chain(Link(B, C, KALUGA, True), Link(C, B, KALUGA, True))
    assert parent_problem(A, KALUGA, B, chain) is None


def _org(**kw) -> Organisation:
    return Organisation(id=A, name="МБОУ СОШ № 1", short_name=None, kind=OrganisationKind.SCHOOL,
                        municipality_oktmo=KALUGA, inn="7700000001", **kw)


def test_reorganisation_closes_with_the_successor_and_a_status():
    org, fact = reorganise(_org(), B, date(2025, 9, 1), date(2025, 9, 2))
    assert org.status is Status.REORGANISED and org.closed_on == date(2025, 9, 1) and org.version == 2
    assert fact.successor_id == B and fact.closed_on == date(2025, 9, 1)
    with pytest.raises(OrganisationClosedError):
        reorganise(org, C, date(2025, 9, 1), date(2025, 9, 2))
    with pytest.raises(ParentError):
        reorganise(_org(), A, date(2025, 9, 1), date(2025, 9, 2))
    assert _org().status is Status.ACTIVE and _org(closed_on=date(2025, 1, 1)).status is Status.CLOSED


def test_parent_is_an_editable_field_the_organisation_admin_may_not_write():
    new, fact = update(_org(), {"parent_id": B})
    assert new.parent_id == B and fact.changed == ["parentId"] and fact.parent_id == B
    assert write_rules.refused(Role.ORGANISATION_ADMIN, ["parent_id"]) == ["parent_id"]
    assert write_rules.refused(Role.MUNICIPAL_METHODIST, ["parent_id"]) == []


def test_monitoring_counts_a_reorganisation_as_closed():
    from metodset_kit.events import new_event
    from metodset_monitoring.domain.fact_rows import rows_of

    _, fact = reorganise(_org(), B, date(2025, 9, 1), date(2025, 9, 2))
    [row] = rows_of(new_event(fact, source="urn:test", subject="organisation"))
    assert row.kind == "organisation" and row.attrs["status"] == "closed" and row.valid_to == date(2025, 9, 1)
