"""A year of a region's methodical work (issue 8), drawn from its staff: each municipality's methodical
service holds seminars, master classes, open lessons and readings for its teachers (registered by the
methodist, a few on the waiting list), the institute holds regional events with municipal quotas; past
sessions have attendance; the service's annual plan for the academic year links its events and carries what
was done, moved or cancelled; schools' support requests are answered with consultations and mostly closed;
the bank holds the municipality's practices, the disseminated ones with the events where they were presented.

Pure and seeded like the rest of the generator: each municipality draws from its own stream."""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_contracts.reference import catalogue

from .events_data import MUNICIPAL_EVENTS, PLACES, PLAN_ITEMS, PRACTICES, REGIONAL_EVENTS, REQUEST_TOPICS
from .events_model import (
    Attendance,
    Consultation,
    MethodicalEvent,
    MethodicalYear,
    PlanItem,
    Practice,
    Registration,
    Session,
    SupportRequest,
    WorkPlan,
)
from .growth import Staffer
from .model import Organisation, Region
from .people import draw

ZONE = timezone(timedelta(hours=3))  # Europe/Moscow, the region's time
EVENTS_PER_MUNICIPALITY = (10, 16)
ATTENDS = 0.85  # a confirmed participant's chance to come to a session
WAITLIST_SHARE = 0.2  # of events: more registered than places
METHODISTS = frozenset({"methodist", "senior_methodist"})
TEACHING = frozenset({"teacher", "educator", "supplementary_teacher"})


def academic_year(day: date) -> int:
    """The first calendar year of the academic year the day falls in (September to August)."""
    return day.year if day.month >= 9 else day.year - 1


def _days(rng: random.Random, reference: date, count: int) -> list[date]:
    """School days (not July, August or a weekend) from eleven months back to two months on, sorted."""
    found: set[date] = set()
    while len(found) < count:
        day = reference + timedelta(days=draw(rng, -330, 60))
        if day.month not in (7, 8) and day.weekday() < 5:
            found.add(day)
    return sorted(found)


def _sessions(rng: random.Random, first: date, count: int, hours: int) -> tuple[Session, ...]:
    out = []
    for i in range(count):
        day = first + timedelta(days=i if count > 2 else 7 * i)
        start = datetime.combine(day, time(10 if hours > 3 else 14, 0), ZONE)
        out.append(Session(start, start + timedelta(hours=hours, minutes=hours * 5), hours))
    return tuple(out)


class Municipal:
    """One municipality's year: its service, methodists, teachers by subject."""

    def __init__(self, rng: random.Random, oktmo: str, orgs: Sequence[Organisation], people: Sequence[Staffer],
                 reference: date, bodies: frozenset[str] = frozenset()):
        self.rng, self.oktmo, self.reference, self.bodies = rng, oktmo, reference, bodies
        self.service = next((o for o in orgs if o.kind == Kind.METHODICAL_SERVICE), orgs[0])
        self.schools = [o for o in orgs if o.kind == Kind.SCHOOL] or list(orgs)
        methodists = [s for s in people if s.job.position in METHODISTS]
        # the service's own methodists answer requests and are responsible for the plan's items
        self.methodists = [s for s in methodists if s.job.organisation_inn == self.service.inn] or methodists
        self.teachers = [s for s in people if s.job.position in TEACHING]
        self.by_subject: dict[str, list[Staffer]] = defaultdict(list)
        for s in self.teachers:
            for subject in s.job.subjects:
                self.by_subject[subject].append(s)

    def subject(self) -> str | None:
        common = sorted(self.by_subject, key=lambda s: (-len(self.by_subject[s]), s))[:8]
        return common[draw(self.rng, 0, len(common) - 1)] if common else None

    def audience(self, subject: str | None) -> list[Staffer]:
        return list(self.by_subject.get(subject, [])) if subject else list(self.teachers)

    def methodist(self) -> str | None:
        return self.methodists[draw(self.rng, 0, len(self.methodists) - 1)].person.key if self.methodists else None


def _event(rng: random.Random, key: str, spec: tuple, subject: str | None, first: date, organiser: Organisation,
           level: str, quotas: tuple[tuple[str, int], ...] = ()) -> MethodicalEvent:
    form, template, count, hours, capacity = spec
    titles = catalogue("subjects").titles()
    title = template.format(subject=titles.get(subject, "все предметы") if subject else "все предметы")
    online = form == "webinar"
    sessions = _sessions(rng, first, count, hours)
    opens = datetime.combine(first - timedelta(days=30), time(9), ZONE)
    return MethodicalEvent(
        key=key, title=title, form=form, level=level, organiser_inn=organiser.inn,
        municipality_oktmo=organiser.municipality_oktmo, format="ONLINE" if online else "IN_PERSON",
        place=None if online else f"{organiser.short_name or organiser.name}, {PLACES[draw(rng, 0, len(PLACES) - 1)]}",
        capacity=capacity, sessions=sessions, registration_opens=opens,
        registration_closes=datetime.combine(first - timedelta(days=1), time(18), ZONE),
        subjects=(subject,) if subject and "{subject}" in template else (), quotas=quotas)


def _attendance(rng: random.Random, event: MethodicalEvent, confirmed: Sequence[str],
                reference: date) -> list[Attendance]:
    return [Attendance(event.key, i, tuple(p for p in confirmed if rng.random() < ATTENDS))
            for i, s in enumerate(event.sessions) if s.ends_at.date() < reference]


def _register(rng: random.Random, event: MethodicalEvent, candidates: list[Staffer], oktmo: str, places: int,
              reference: date) -> tuple[Registration | None, list[Attendance]]:
    """The methodist registers teachers of the audience: up to the places, sometimes a few more (waiting list);
    those within the places come to the past sessions."""
    if not candidates:
        return None, []
    rng.shuffle(candidates)
    full = rng.random() < WAITLIST_SHARE
    wanted = min(len(candidates), places + draw(rng, 1, 5) if full else max(1, places - draw(rng, 0, places // 3)))
    keys = tuple(s.person.key for s in candidates[:wanted])
    return Registration(event.key, keys, oktmo), _attendance(rng, event, keys[:places], reference)


def _municipal_events(m: Municipal, year: MethodicalYear) -> list[MethodicalEvent]:
    made = []
    for n, first in enumerate(_days(m.rng, m.reference, draw(m.rng, *EVENTS_PER_MUNICIPALITY)), 1):
        spec = MUNICIPAL_EVENTS[draw(m.rng, 0, len(MUNICIPAL_EVENTS) - 1)]
        subject = m.subject() if "{subject}" in spec[1] else None
        event = _event(m.rng, f"{m.oktmo}-E{n:03d}", spec, subject, first, m.service, "MUNICIPAL")
        association = f"{m.oktmo}/municipal_association/{subject}"
        if n % 2 == 0 and association in m.bodies:  # the subject's association runs every other such event
            event = replace(event, organiser_body_key=association)
        registration, attended = _register(m.rng, event, m.audience(subject), m.oktmo, event.capacity, m.reference)
        if registration:
            year.registrations.append(registration)
            year.attendance.extend(attended)
        made.append(event)
    year.events.extend(made)
    return made


def _plan(m: Municipal, events: Sequence[MethodicalEvent]) -> WorkPlan:
    """The service's plan of the academic year most of its events fall in, with what became of each item."""
    y = academic_year(m.reference - timedelta(days=150))
    months = [f"{y + (mo < 9)}-{mo:02d}" for mo in (9, 10, 11, 12, 1, 2, 3, 4, 5)]
    items = []
    for direction, title, result in PLAN_ITEMS:
        when = tuple(sorted({months[draw(m.rng, 0, len(months) - 1)] for _ in range(draw(m.rng, 1, 3))}))
        linked = tuple(e.key for e in events if direction == "organisational_methodical"
                       and e.sessions[0].starts_at.strftime("%Y-%m") in when)
        items.append(_item_status(m, PlanItem(direction, when, title, result, m.methodist(), linked)))
    return WorkPlan(m.service.inn, y, date(y, 8, 30), tuple(items))


def _item_status(m: Municipal, item: PlanItem) -> PlanItem:
    last = date.fromisoformat(item.months[-1] + "-01")
    if last >= m.reference.replace(day=1):
        return item
    roll = m.rng.random()
    if roll < 0.72:
        return PlanItem(**{**item.__dict__, "status": "DONE"})
    if roll < 0.84:
        moved = (last + timedelta(days=40)).strftime("%Y-%m")
        return PlanItem(**{**item.__dict__, "status": "MOVED", "moved_to": moved})
    if roll < 0.9:
        return PlanItem(**{**item.__dict__, "status": "CANCELLED"})
    return item  # not done: the service shows it overdue


def _requests(m: Municipal) -> list[SupportRequest]:
    made = []
    for _ in range(draw(m.rng, 2, 6)):
        topic, asked, subject = REQUEST_TOPICS[draw(m.rng, 0, len(REQUEST_TOPICS) - 1)]
        school = m.schools[draw(m.rng, 0, len(m.schools) - 1)]
        declared = m.reference - timedelta(days=draw(m.rng, 3, 300))
        methodist = m.methodist() if (m.reference - declared).days > 5 else None
        consultations = tuple(
            Consultation(("INDIVIDUAL", "GROUP", "PARENTS")[draw(m.rng, 0, 2)],
                         declared + timedelta(days=draw(m.rng, 3, 20) + 25 * i), draw(m.rng, 2, 6) * 15,
                         draw(m.rng, 1, 12)) for i in range(draw(m.rng, 1, 3) if methodist else 0))
        consultations = tuple(c for c in consultations if c.held_on <= m.reference)
        closed = methodist is not None and consultations and (m.reference - declared).days > 45
        made.append(SupportRequest(school.inn, declared, topic, asked, subject, methodist, consultations,
                                   ("RESOLVED", "RESOLVED", "PARTLY_RESOLVED")[draw(m.rng, 0, 2)] if closed else None,
                                   draw(m.rng, 3, 5) if closed else None))
    return made


def _practices(m: Municipal, events: Sequence[MethodicalEvent]) -> list[Practice]:
    held = [e for e in events if e.sessions[-1].ends_at.date() < m.reference]
    made = []
    for _ in range(draw(m.rng, 2, 4) if m.teachers else 0):
        title, description = PRACTICES[draw(m.rng, 0, len(PRACTICES) - 1)]
        author = m.teachers[draw(m.rng, 0, len(m.teachers) - 1)]
        colleagues = [s for s in m.teachers if s.job.organisation_inn == author.job.organisation_inn
                      and s.person.key != author.person.key]
        authors = (author.person.key, *([colleagues[0].person.key] if colleagues and m.rng.random() < 0.4 else []))
        status = ("IDENTIFIED", "STUDIED", "SUMMARISED", "DISSEMINATED", "DISSEMINATED")[draw(m.rng, 0, 4)]
        spread = tuple(sorted({held[draw(m.rng, 0, len(held) - 1)].key for _ in range(draw(m.rng, 1, 2))})) \
            if status == "DISSEMINATED" and held else ()
        made.append(Practice(title, description, author.job.organisation_inn, authors,
                             author.job.subjects[0] if author.job.subjects else None,
                             ("SCHOOL", "MUNICIPAL")[draw(m.rng, 0, 1)], status if spread or status != "DISSEMINATED"
                             else "SUMMARISED", spread))
    return made


def _regional(seed: int, region: Region, towns: dict[str, Municipal], year: MethodicalYear,
              reference: date) -> None:
    institute = next((o for o in region.organisations if o.kind == Kind.REGIONAL_INSTITUTE), None)
    if institute is None or not towns:
        return
    rng = random.Random(f"{seed}:regional:events")
    for n, first in enumerate(_days(rng, reference, len(REGIONAL_EVENTS)), 1):
        spec = REGIONAL_EVENTS[n - 1]
        share = max(1, spec[4] // len(towns))
        quotas = tuple((oktmo, share) for oktmo in sorted(towns))
        subject = next(iter(towns.values())).subject() if "{subject}" in spec[1] else None
        event = _event(rng, f"R-E{n:03d}", spec, subject, first, institute, "REGIONAL", quotas)
        for oktmo, m in sorted(towns.items()):
            registration, attended = _register(rng, event, m.audience(subject), oktmo, share, reference)
            if registration:
                year.registrations.append(registration)
                year.attendance.extend(attended)
        year.events.append(event)


def build(seed: int, region: Region, people: Sequence[Staffer], reference: date) -> MethodicalYear:
    year = MethodicalYear()
    orgs: dict[str, list[Organisation]] = defaultdict(list)
    for o in region.organisations:
        if o.kind != Kind.REGIONAL_INSTITUTE:
            orgs[o.municipality_oktmo].append(o)
    staff: dict[str, list[Staffer]] = defaultdict(list)
    for s in people:
        staff[s.municipality].append(s)
    towns: dict[str, Municipal] = {}
    bodies = frozenset(b.key for b in region.bodies)
    for place in region.municipalities:
        if not orgs.get(place.oktmo):
            continue
        m = Municipal(random.Random(f"{seed}:{place.oktmo}:events"), place.oktmo, orgs[place.oktmo],
                      staff.get(place.oktmo, []), reference, bodies)
        towns[place.oktmo] = m
        events = _municipal_events(m, year)
        year.plans.append(_plan(m, events))
        year.requests.extend(_requests(m))
        year.practices.extend(_practices(m, events))
    _regional(seed, region, towns, year, reference)
    return year
