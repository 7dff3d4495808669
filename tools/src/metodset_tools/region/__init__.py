"""A realistic region for demos, tests and load (Kaluga-like): municipalities, educational organisations and the
regional institute, their pedagogical staff with careers, methodical bodies, site statuses and flags, and the
staff's professional growth: course records, qualification categories, diagnostic results and mentoring, and
a year of methodical work (events, registrations, attendance, plans, requests, practices: region.methodical).

Pure and seeded: the same arguments give the same region, and each municipality draws from its own streams,
so a bigger region of the same seed keeps the municipalities of a smaller one. Sized by arguments:

    small(seed)   # generate(seed, 3, 20, 0.25): a demo of three municipalities and a few hundred staff
    large(seed)   # generate(seed, 26, 50, 1.0): ≈30,000 staff with their growth, made in a few seconds

`staff_rows(region)` gives the staff as rows of the xlsx import template (CAPTIONS), `spoil(rows, n)` spoils
some the ways people do and says which."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from metodset_contracts.organisations import OrganisationKind as Kind

from . import bodies, campaigns, competitions, growth, marks, mentoring
from . import events as methodical
from .model import (
    ROLES,
    Approval,
    Body,
    Employment,
    Membership,
    Municipality,
    Organisation,
    OrganisationFlag,
    Person,
    Region,
    SiteStatus,
)
from .organisations import Identifiers, institute, municipality, organisations
from .places import PLACES, REGION_NAME, Place
from .rows import CAPTIONS, SPOILS, Spoiled, spoil, staff_rows
from .staff import Hiring
from .staffing import institute as institute_jobs
from .staffing import scaled, slots

__all__ = ["CAPTIONS", "PLACES", "REFERENCE", "ROLES", "SPOILS", "Approval", "Body", "Employment", "Membership",
           "Municipality", "Organisation", "OrganisationFlag", "Person", "Region", "SiteStatus", "Spoiled",
           "generate", "large", "small", "spoil", "staff_rows"]

REFERENCE = date(2026, 10, 1)  # «today» of a generated region: nothing is hired after it
INSTITUTE_SERIALS = 99  # СНИЛС serial block of the institute's staff; municipalities use their index in PLACES


def generate(seed: int = 2026, municipalities: int = 3, per_municipality: int = 20, staff_scale: float = 1.0,
             reference: date = REFERENCE) -> Region:
    """A region of `municipalities` municipalities with exactly `per_municipality` organisations each, plus the
    regional institute; `staff_scale` 1 staffs every organisation as a real one of its kind and size, 0 gives
    no staff and no bodies."""
    if not 0 <= municipalities <= len(PLACES):
        raise ValueError(f"municipalities: from 0 to {len(PLACES)}")
    if per_municipality < 0:
        raise ValueError("per_municipality: not negative")
    if staff_scale < 0:
        raise ValueError("staff_scale: not negative")
    region = Region(REGION_NAME)
    taken: tuple[set[str], set[str]] = (set(), set())
    places = _places(random.Random(seed), municipalities)
    by_place: list[tuple[Place, list[Organisation]]] = []
    for place in places:
        # each municipality draws from its own stream: a bigger region of the same seed keeps the smaller one
        rng = random.Random(f"{seed}:{place.oktmo}")
        region.municipalities.append(municipality(place))
        made = organisations(rng, Identifiers(rng, *taken), place, per_municipality)
        region.organisations.extend(made)
        by_place.append((place, made))
    if places:
        rng = random.Random(f"{seed}:institute")
        region.organisations.append(institute(rng, Identifiers(rng, *taken), PLACES[0]))
    _staff(region, seed, by_place, staff_scale, reference)
    region.bodies.extend(bodies.build(seed, region, by_place, reference))
    sites, flags = marks.build(seed, by_place, reference)
    region.sites.extend(sites)
    region.flags.extend(flags)
    _growth(region, seed, reference)
    region.contingent = campaigns.build(seed, region.organisations)
    return region


def small(seed: int = 2026) -> Region:
    """Three municipalities of twenty organisations and a few hundred staff: what `make demo` loads."""
    return generate(seed, 3, 20, 0.25)


def large(seed: int = 2026) -> Region:
    """Every municipality of the region and ≈30,000 staff: the size `make bench` imports."""
    return generate(seed, len(PLACES), 50, 1.0)


def _places(rng: random.Random, count: int) -> list[Place]:
    """The regional centre first, then the others in an order drawn by the seed."""
    rest = list(PLACES[1:])
    rng.shuffle(rest)
    return [PLACES[0], *rest][:count]


def _staff(region: Region, seed: int, by_place: list[tuple[Place, list[Organisation]]], scale: float,
           reference: date) -> None:
    if scale <= 0:
        return
    for place, orgs in by_place:
        rng = random.Random(f"{seed}:{place.oktmo}:staff")
        peers: dict[Kind, list[Organisation]] = defaultdict(list)
        for org in orgs:
            peers[org.kind].append(org)
        hiring = Hiring(rng, reference, place.oktmo, PLACES.index(place) * 1_000_000, peers)
        hiring.staff([(org, slot) for org in orgs for slot in slots(rng, org, place, scale)])
        region.persons.extend(hiring.persons)
        region.employments.extend(hiring.employments)
    institute_org = next((o for o in region.organisations if o.kind == Kind.REGIONAL_INSTITUTE), None)
    if institute_org is not None:
        rng = random.Random(f"{seed}:institute:staff")
        schools = [o for o in by_place[0][1] if o.kind == Kind.SCHOOL]
        hiring = Hiring(rng, reference, "institute", INSTITUTE_SERIALS * 1_000_000,
                        {Kind.SCHOOL: schools, Kind.REGIONAL_INSTITUTE: [institute_org]})
        hiring.staff([(institute_org, slot) for slot in scaled(rng, institute_jobs(rng), scale)])
        region.persons.extend(hiring.persons)
        region.employments.extend(hiring.employments)


def _growth(region: Region, seed: int, reference: date) -> None:
    """Courses, categories, diagnostics and mentoring of the staff working on the reference day."""
    people = growth.staffers(region, reference)
    courses, categories, diagnostics = growth.build(seed, region, people, reference)
    region.courses.extend(courses)
    region.categories.extend(categories)
    region.diagnostics.extend(diagnostics)
    region.mentoring.extend(mentoring.build(seed, people, diagnostics, reference))
    region.methodical = methodical.build(seed, region, people, reference)
    region.competitions = competitions.build(seed, region, people, reference)
