import pytest

from metodset_kit.scope import Principal, Role, ScopeError


def test_coordinator_manages_every_municipality():
    p = Principal("c", Role.REGIONAL_COORDINATOR)
    assert p.may_manage_municipality("29701000") and p.may_manage_region()


def test_methodist_manages_only_own_municipality():
    p = Principal.from_claims({"sub": "m", "role": "municipal_methodist", "municipality": "29701000"})
    assert p.may_manage_municipality("29701000")
    assert not p.may_manage_municipality("29601000")
    assert not p.may_manage_region()


def test_organisation_admin_edits_only_own_organisation():
    p = Principal.from_claims({"sub": "a", "role": "organisation_admin", "organisation": "org-1"})
    assert p.may_edit_organisation("org-1", "29701000")
    assert not p.may_edit_organisation("org-2", "29701000")
    assert not p.may_manage_municipality("29701000")


def test_analyst_reads_everything_and_writes_nothing():
    p = Principal("a", Role.ANALYST)
    assert p.sees_municipality("29701000")
    assert not p.may_manage_municipality("29701000") and not p.may_edit_organisation("x", "29701000")


@pytest.mark.parametrize("claims", [
    {"sub": "m", "role": "municipal_methodist"},
    {"sub": "a", "role": "organisation_admin"},
    {"sub": "x", "role": "superuser"},
    {"sub": "t", "role": "pedagogue"},
])
def test_claims_without_usable_scope_are_refused(claims):
    with pytest.raises(ScopeError):
        Principal.from_claims(claims)


def test_scope_claims_must_be_strings():
    with pytest.raises(ScopeError):
        Principal.from_claims({"sub": "m", "role": "municipal_methodist", "municipality": ["29701000", "29715000"]})


def test_a_scope_claim_counts_only_for_its_role():
    admin = Principal.from_claims({"sub": "a", "role": "organisation_admin", "organisation": "o",
                                   "municipality": "29701000"})
    assert admin.municipality is None and not admin.sees_municipality("29701000")


def test_a_pedagogue_acts_for_themselves_only():
    p = Principal.from_claims({"sub": "t", "role": "pedagogue", "person": "p-1", "organisation": "org-1"})
    assert p.is_person("p-1") and not p.is_person("p-2")
    assert p.organisation is None  # a scope claim counts only for its role
    assert not p.sees_municipality("29701000") and not p.may_edit_organisation("org-1", "29701000")
    methodist = Principal.from_claims({"sub": "m", "role": "municipal_methodist", "municipality": "29701000",
                                       "person": "p-1"})
    assert not methodist.is_person("p-1")
