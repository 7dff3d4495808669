"""Site statuses and flags of the region's organisations, in the shapes the registry's REST API accepts
(`SiteStatus.payload()`, `OrganisationFlag.payload()`); the region's orders are the same for every school."""
from __future__ import annotations

import random
from datetime import date, timedelta

from metodset_contracts.organisations import FlagKind, SiteKind, SiteLevel
from metodset_contracts.organisations import OrganisationKind as Kind

from .bodies import academic_year
from .marks_data import FLAG_ORDERS, FLAGS, MINISTRY, PRESCHOOL_TOPICS, SITES, TOPICS
from .model import Organisation, OrganisationFlag, SiteStatus
from .people import years_after
from .places import PLACES, Place
from .staffing import rural

SITE_HOLDERS = frozenset({Kind.SCHOOL, Kind.KINDERGARTEN, Kind.SUPPLEMENTARY_EDUCATION, Kind.COLLEGE})


def build(seed: int, by_place: list[tuple[Place, list[Organisation]]], reference: date
          ) -> tuple[list[SiteStatus], list[OrganisationFlag]]:
    sites: list[SiteStatus] = []
    flags: list[OrganisationFlag] = []
    for place, orgs in by_place:
        rng = random.Random(f"{seed}:{place.oktmo}:marks")
        for org in orgs:
            if org.kind in SITE_HOLDERS:
                sites += org_sites(rng, org, reference)
            if org.kind == Kind.SCHOOL:
                flags += school_flags(rng, seed, org, reference)
        sites += _at_least(rng, orgs, sites, reference)
    flags += _every_flag(random.Random(f"{seed}:flags"), seed, by_place, flags, reference)
    return sites, flags


def _at_least(rng: random.Random, orgs: list[Organisation], sites: list[SiteStatus], reference: date
              ) -> list[SiteStatus]:
    """Every municipality has its support school; the regional centre a base and an innovation site."""
    schools = [o for o in orgs if o.kind == Kind.SCHOOL]
    if not schools:
        return []
    inns = {o.inn for o in orgs}
    wanted = [(SiteKind.SUPPORT, SiteLevel.MUNICIPAL)]
    if orgs[0].municipality_oktmo == PLACES[0].oktmo:
        wanted += [(SiteKind.BASE, SiteLevel.REGIONAL), (SiteKind.INNOVATION, SiteLevel.REGIONAL)]
    made = []
    for kind, level in wanted:
        if not any(s.kind == kind and s.organisation_inn in inns for s in sites):
            start = date(academic_year(reference) - rng.randint(0, 2), 9, 1)
            made += _terms(rng, rng.choice(schools), kind, level, start, reference, False)
    return made


def _every_flag(rng: random.Random, seed: int, by_place: list[tuple[Place, list[Organisation]]],
                flags: list[OrganisationFlag], reference: date) -> list[OrganisationFlag]:
    """A region with schools has at least one school with each flag this year."""
    schools = [o for _, orgs in by_place for o in orgs if o.kind == Kind.SCHOOL]
    year = academic_year(reference)
    made = []
    for kind, *_ in FLAGS:
        if schools and not any(f.kind == kind for f in flags):
            made.append(OrganisationFlag(rng.choice(schools).inn, kind, date(year, 9, 1), date(year + 1, 8, 31),
                                         flag_source(seed, kind, year)))
    return made


def _order(rng: random.Random, level: SiteLevel) -> str:
    if level == SiteLevel.MUNICIPAL:
        return f"№ {rng.randint(20, 400)}-од"
    return f"№ {rng.randint(100, 1900)}" + ("-п" if level == SiteLevel.REGIONAL else "")


def org_sites(rng: random.Random, org: Organisation, reference: date) -> list[SiteStatus]:
    made = []
    year = academic_year(reference)
    for kind, share, levels in SITES:
        if rng.random() >= share * (1 if org.kind == Kind.SCHOOL else 0.5):
            continue
        level = rng.choices([lv for lv, _ in levels], [w for _, w in levels])[0]
        start = date(rng.randint(year - 6, year), rng.choice([1, 9]), 1)
        start = start if start <= reference else date(start.year - 1, start.month, 1)
        made += _terms(rng, org, kind, level, start, reference, rng.random() < 0.3)
    return made


def _terms(rng: random.Random, org: Organisation, kind, level, start: date, reference: date,
           renewed: bool) -> list[SiteStatus]:
    """A term of two to five years; an expired one is sometimes granted again from the next day."""
    end = years_after(start, rng.randint(2, 5)) - timedelta(days=1)
    ended_on = None
    if end > reference and (reference - start).days > 120 and rng.random() < 0.05:
        ended_on = start + timedelta(days=rng.randint(90, (reference - start).days - 1))
    topics = PRESCHOOL_TOPICS if org.kind == Kind.KINDERGARTEN else TOPICS
    site = SiteStatus(org.inn, kind, level, start, end, rng.choice(topics[kind]), _order(rng, level),
                      start - timedelta(days=rng.randint(5, 40)), ended_on)
    if renewed and end < reference:
        return [site, *_terms(rng, org, kind, level, end + timedelta(days=1), reference, False)]
    return [site]


def flag_source(seed: int, kind: FlagKind, year: int) -> str:
    """The region's order for an academic year: one number and date for every school it names."""
    rng = random.Random(f"{seed}:orders:{kind}:{year}")
    signed = date(year, 8, 1) + timedelta(days=rng.randint(0, 30))
    return (f"Приказ {MINISTRY} от {signed:%d.%m.%Y} № {rng.randint(600, 1500)}-п «{FLAG_ORDERS[kind]} "
            f"на {year}/{(year + 1) % 100:02d} учебный год»")


def school_flags(rng: random.Random, seed: int, org: Organisation, reference: date) -> list[OrganisationFlag]:
    made = []
    year = academic_year(reference)
    village = rural(org)
    for kind, in_village, elsewhere, years in FLAGS:
        if rng.random() >= (in_village if village else elsewhere):
            continue
        if not years:
            first = rng.randint(year - 5, year)
            end = None if rng.random() < 0.7 else date(first + rng.randint(1, 3), 8, 31)
            made.append(OrganisationFlag(org.inn, kind, date(first, 9, 1), end, flag_source(seed, kind, first)))
            continue
        first = rng.randint(year - 4, year)
        for y in range(first, min(first + rng.randint(1, years), year + 1)):
            made.append(OrganisationFlag(org.inn, kind, date(y, 9, 1), date(y + 1, 8, 31), flag_source(seed, kind, y)))
        last = made[-1]
        if (reference - last.start).days > 90 and last.end > reference and rng.random() < 0.1:
            cleared = last.start + timedelta(days=rng.randint(60, (reference - last.start).days - 1))
            made[-1] = OrganisationFlag(last.organisation_inn, kind, last.start, last.end, last.source, cleared)
    return made
