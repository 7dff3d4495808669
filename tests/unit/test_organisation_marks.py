"""Pure rules of the marks on organisations: inclusive periods, overlaps, as-of selection, write rules."""
import uuid
from datetime import date

import pytest

from metodset_contracts.organisations import (
    FLAG_TITLES,
    SITE_LEVEL_TITLES,
    SITE_TITLES,
    FlagKind,
    SiteKind,
    SiteLevel,
)
from metodset_kit.scope import Role
from metodset_registry.domain import flags, sites, write_rules
from metodset_registry.domain.flags import Flag
from metodset_registry.domain.periods import Period, PeriodError, PeriodOverlap, check_period, ended
from metodset_registry.domain.sites import Site

ORG = uuid.uuid4()
D = date.fromisoformat


def _flag(start: str, end: str | None = None, kind=FlagKind.LOW_RESULTS) -> Flag:
    return Flag(id=uuid.uuid4(), organisation_id=ORG, kind=kind, period=Period(D(start), end and D(end)),
                source="Приказ № 1")


def test_period_is_inclusive_at_both_ends_and_open_without_end():
    p = Period(D("2025-09-01"), D("2026-08-31"))
    assert p.covers(D("2025-09-01")) and p.covers(D("2026-08-31"))
    assert not p.covers(D("2025-08-31")) and not p.covers(D("2026-09-01"))
    assert Period(D("2025-09-01")).covers(D("2099-01-01"))


@pytest.mark.parametrize(("a", "b", "overlap"), [
    (("2025-01-01", "2025-12-31"), ("2025-12-31", None), True),  # the shared last day counts
    (("2025-01-01", "2025-12-31"), ("2026-01-01", None), False),
    (("2025-01-01", None), ("2030-01-01", "2030-12-31"), True),
    (("2026-01-01", "2026-06-30"), ("2025-01-01", "2025-12-31"), False),
])
def test_overlap_is_symmetric(a, b, overlap):
    pa, pb = Period(D(a[0]), a[1] and D(a[1])), Period(D(b[0]), b[1] and D(b[1]))
    assert pa.overlaps(pb) is overlap and pb.overlaps(pa) is overlap


def test_a_flag_may_not_overlap_another_of_the_same_kind_but_may_of_another():
    existing = [_flag("2025-09-01", "2026-08-31")]
    with pytest.raises(PeriodOverlap) as caught:
        flags.set_flag(_flag("2026-01-01"), existing, "29701000")
    assert caught.value.field == "from" and "2025-09-01 — 2026-08-31" in str(caught.value)
    flags.set_flag(_flag("2026-09-01"), existing, "29701000")
    flags.set_flag(_flag("2026-01-01", kind=FlagKind.DIFFICULT_CONDITIONS), existing, "29701000")


def test_a_period_ending_before_it_starts_names_the_end():
    with pytest.raises(PeriodError) as caught:
        check_period(Period(D("2025-09-01"), D("2025-08-31")))
    assert caught.value.field == "to"


def test_set_event_carries_identifiers_kind_and_dates_only():
    flag = _flag("2025-09-01", "2026-08-31")
    fact = flags.set_flag(flag, [], "29701000")
    assert set(fact.model_dump()) == {"organisation_id", "municipality_oktmo", "flag_id", "kind", "valid_from",
                                      "valid_to"}
    assert fact.flag_id == flag.id and fact.valid_to == D("2026-08-31")


def test_clearing_cuts_the_period_and_keeps_the_end_it_was_set_with():
    flag = _flag("2025-09-01", "2026-08-31")
    flag = Flag(**{**flag.__dict__, "set_to": D("2026-08-31")})
    new, fact = flags.clear_flag(flag, D("2025-12-31"), "29701000")
    assert new.period == Period(D("2025-09-01"), D("2025-12-31")) and new.cleared
    assert new.set_to == D("2026-08-31") and fact.valid_to == D("2025-12-31")


@pytest.mark.parametrize("last_day", ["2025-08-31", "2026-08-31", "2027-01-01"])
def test_clearing_only_shortens(last_day):
    with pytest.raises(PeriodError) as caught:
        ended(Period(D("2025-09-01"), D("2026-08-31")), D(last_day))
    assert caught.value.field == "to"


def test_as_of_selects_the_flags_in_force_that_day():
    old, current, other = _flag("2024-09-01", "2025-08-31"), _flag("2025-09-01"), _flag(
        "2025-01-01", "2025-06-30", FlagKind.UNOBJECTIVE_RESULTS)
    assert flags.active_on([old, current, other], D("2025-08-31")) == [old]
    assert flags.active_on([old, current, other], D("2025-03-01")) == [old, other]
    assert flags.active_on([old, current, other], D("2030-01-01")) == [current]


def test_every_flag_kind_has_a_russian_title():
    assert set(FLAG_TITLES) == set(FlagKind) and all(t[0].isupper() for t in FLAG_TITLES.values())


@pytest.mark.parametrize(("role", "may"), [(Role.REGIONAL_COORDINATOR, True), (Role.MUNICIPAL_METHODIST, True),
                                           (Role.ORGANISATION_ADMIN, False), (Role.ANALYST, False),
                                           (Role.SERVICE, False)])
def test_flags_are_a_row_of_the_write_rules(role, may):
    assert (write_rules.refused(role, [write_rules.FLAGS]) == []) is may
    if not may:
        assert write_rules.refusal_message(role, [write_rules.FLAGS]).startswith(write_rules.ROLE_TITLES[role])


def _site(start: str, end: str | None = None, kind=SiteKind.INNOVATION, level=SiteLevel.REGIONAL) -> Site:
    return Site(id=uuid.uuid4(), organisation_id=ORG, kind=kind, level=level, period=Period(D(start), end and D(end)),
                order_number="123-п", order_date=D(start), topic="Цифровая дидактика")


def test_an_innovation_site_needs_a_level():
    with pytest.raises(PeriodError) as caught:
        sites.grant(_site("2025-01-01", level=None), [], "29701000")
    assert caught.value.field == "level" and "уровень" in str(caught.value)
    sites.grant(_site("2025-01-01", kind=SiteKind.BASE, level=None), [], "29701000")


def test_site_terms_overlap_only_for_the_same_kind_and_level():
    existing = [_site("2024-01-01", "2026-12-31")]
    with pytest.raises(PeriodOverlap) as caught:
        sites.grant(_site("2026-12-31"), existing, "29701000")
    assert "региональный уровень" in str(caught.value)
    sites.grant(_site("2025-01-01", level=SiteLevel.FEDERAL), existing, "29701000")
    sites.grant(_site("2025-01-01", kind=SiteKind.SUPPORT, level=None), existing, "29701000")
    sites.grant(_site("2027-01-01"), existing, "29701000")


def test_ending_a_site_keeps_the_term_granted_and_selection_as_of_follows_it():
    site = _site("2024-01-01", "2026-12-31")
    site = Site(**{**site.__dict__, "granted_to": D("2026-12-31")})
    new, fact = sites.end(site, D("2025-06-30"), "29701000")
    assert new.ended and new.granted_to == D("2026-12-31") and fact.valid_to == D("2025-06-30")
    assert sites.active_on([new], D("2025-06-30")) == [new] and sites.active_on([new], D("2025-07-01")) == []


def test_every_site_kind_and_level_has_a_russian_title():
    assert set(SITE_TITLES) == set(SiteKind) and set(SITE_LEVEL_TITLES) == set(SiteLevel)
    assert SITE_TITLES[SiteKind.INTERNSHIP] == "Стажировочная площадка"


def test_sites_are_a_row_of_the_write_rules():
    assert write_rules.refused(Role.MUNICIPAL_METHODIST, [write_rules.SITES]) == []
    assert write_rules.refused(Role.ORGANISATION_ADMIN, [write_rules.SITES]) == [write_rules.SITES]
