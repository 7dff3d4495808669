"""Methodical bodies of the region drawn from its staff: councils with yearly approved compositions,
associations by subject, councils of young teachers and temporary groups with a goal and a term."""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from metodset_contracts.organisations import OrganisationKind as Kind

from .bodies_data import (
    LARGE_SCHOOL,
    MUNICIPAL_GROUPS,
    MUNICIPAL_SUBJECTS,
    REGIONAL_GROUPS,
    REGIONAL_SUBJECTS,
    SCHOOL_GROUPS,
)
from .model import Approval, Body, Employment, Membership, Organisation, Region
from .organisations import of_place
from .people import years_after
from .places import REGION_NAME, Place


@dataclass(frozen=True)
class Pick:
    person_key: str
    role: str
    since: date  # the day the job that qualifies them started
    until: date | None = None  # and ended


class Staff:
    """The generated staff, indexed for choosing members."""

    def __init__(self, region: Region, reference: date):
        self.reference = reference
        self.births = {p.key: p.birth_date for p in region.persons}
        self.by_org: dict[str, list[Employment]] = defaultdict(list)
        self.first_start: dict[str, date] = {}
        for job in region.employments:
            self.by_org[job.organisation_inn].append(job)
            if job.start_date < self.first_start.get(job.person_key, date.max):
                self.first_start[job.person_key] = job.start_date

    def jobs(self, orgs: Iterable[Organisation], positions: Iterable[str] = (), subjects: Iterable[str] = (),
             current: bool = True) -> list[Employment]:
        """Main jobs in these organisations (current ones, or all), of these positions or with these subjects."""
        positions, subjects = frozenset(positions), frozenset(subjects)
        return [j for o in orgs for j in self.by_org[o.inn]
                if j.main and (not current or j.end_date is None) and (not positions or j.position in positions)
                and (not subjects or subjects.intersection(j.subjects))]

    def young(self, job: Employment) -> bool:
        """A young specialist by the region's default rule: up to 35 years old, up to 3 years in the profession."""
        return (years_after(self.births[job.person_key], 35) >= self.reference
                and (self.reference - self.first_start[job.person_key]).days <= 3 * 365)

    def seniority(self, job: Employment) -> date:
        return self.first_start[job.person_key]


def academic_year(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def picks(jobs: list[Employment], roles: Iterable[str]) -> list[Pick]:
    """One pick per person, in order, the first ones given `roles` (chair, deputy, …), the rest members; a
    person's jobs join into one span (a member until the last of them ends)."""
    spans: dict[str, list] = {}
    for job in jobs:
        span = spans.setdefault(job.person_key, [job.start_date, job.end_date])
        span[0] = min(span[0], job.start_date)
        span[1] = None if span[1] is None or job.end_date is None else max(span[1], job.end_date)
    roles = list(roles)
    return [Pick(key, roles[i] if i < len(roles) else "member", since, until)
            for i, (key, (since, until)) in enumerate(spans.items())]


def memberships(rng: random.Random, start: date, end: date | None, reference: date, chosen: list[Pick],
                approvals: list[date], turnover: float = 0.1) -> list[Membership]:
    """Members from the body's start or from their job's start (at the next approval of a council's
    composition); some ordinary members left; nobody stays past the term of a temporary group."""
    out = []
    for pick in chosen:
        first = max(start, pick.since)
        if approvals and first > start:
            first = next((d for d in approvals if d >= first), first)
        last = pick.until
        if end is not None and end < reference:
            last = min(last or end, end)
        if last is None and pick.role == "member" and rng.random() < turnover and (reference - first).days > 400:
            last = _between(rng, first + timedelta(days=180), reference - timedelta(days=1))
            later = [d - timedelta(days=1) for d in approvals if d > last]
            last = later[0] if later else last
        if first > reference or (last is not None and last < first) or (end is not None and first > end):
            continue
        out.append(Membership(pick.person_key, pick.role, first, last))
    return out


def approval_dates(rng: random.Random, first_year: int, reference: date) -> list[date]:
    """A council's composition is approved every year at the end of August."""
    days = [date(year, 8, rng.randint(25, 31)) for year in range(first_year, reference.year + 1)]
    return [d for d in days if d <= reference]


def council(rng: random.Random, key: str, kind: str, name: str, level: str, oktmo: str | None, inn: str | None,
            first_year: int, reference: date, chosen: list[Pick]) -> Body:
    dates = approval_dates(rng, first_year, reference)
    start = dates[0] if dates else reference
    members = memberships(rng, start, None, reference, chosen, dates)
    approvals = tuple(Approval(f"{d.year}/{(d.year + 1) % 100:02d}", f"№ {rng.randint(40, 320)}-од", d,
                               tuple(m.person_key for m in members if m.start_date <= d
                                     and (m.end_date is None or d <= m.end_date)))
                      for d in dates)
    return Body(key, kind, name, level, oktmo, inn, None, start, None, None, tuple(members), approvals)


def body(rng: random.Random, key: str, kind: str, name: str, level: str, oktmo: str | None, inn: str | None,
         subject: str | None, start: date, reference: date, chosen: list[Pick], end: date | None = None,
         goal: str | None = None) -> Body:
    members = memberships(rng, start, end, reference, chosen, [])
    return Body(key, kind, name, level, oktmo, inn, subject, start, end, goal, tuple(members))


def _experienced(staff: Staff, jobs: list[Employment]) -> list[Employment]:
    """Those working now first, the longest in the profession first."""
    return sorted(jobs, key=lambda j: (j.end_date is not None, staff.seniority(j)))


def build(seed: int, region: Region, by_place: list[tuple[Place, list[Organisation]]], reference: date) -> list[Body]:
    if not region.persons:
        return []
    staff = Staff(region, reference)
    made = []
    for place, orgs in by_place:
        rng = random.Random(f"{seed}:{place.oktmo}:bodies")
        made += municipal(rng, staff, place, orgs, reference)
        for org in orgs:
            if org.kind == Kind.SCHOOL:
                made += school(rng, staff, org, reference)
    made += regional(random.Random(f"{seed}:region:bodies"), staff, region, reference)
    return [b for b in made if b.members]  # a tiny region may leave a body nobody to sit in


def regional(rng: random.Random, staff: Staff, region: Region, reference: date) -> list[Body]:
    institute = [o for o in region.organisations if o.kind == Kind.REGIONAL_INSTITUTE]
    if not institute or not staff.jobs(institute):
        return []
    inn = institute[0].inn
    everyone = [o for o in region.organisations if o.kind != Kind.REGIONAL_INSTITUTE]
    heads = staff.jobs(institute, ["director"]) + staff.jobs(institute, ["deputy_director"])
    services = [o for o in everyone if o.kind == Kind.METHODICAL_SERVICE]
    methodists = staff.jobs(institute, ["senior_methodist", "methodist"])
    leaders = (heads + methodists)[:3]  # the director, a deputy, a methodist as the secretary
    chosen = picks(leaders + staff.jobs(services, ["director"]) + methodists[3:5], ["chair", "deputy", "secretary"])
    made = [council(rng, "region/regional_coordination_council", "regional_coordination_council",
                    f"Координационный совет региональной методической службы ({REGION_NAME})", "regional", None,
                    inn, rng.randint(2019, 2021), reference, chosen)]
    teachers = staff.jobs(everyone, ["teacher"])
    for n, subject in enumerate(REGIONAL_SUBJECTS):
        whom = next(w for code, w, _ in MUNICIPAL_SUBJECTS if code == subject)
        leads = staff.jobs(institute, ["senior_methodist", "methodist"], [subject]) or methodists[n:n + 1]
        of_subject = [j for j in teachers if subject in j.subjects]
        rng.shuffle(of_subject)
        chosen = picks(leads[:1] + _experienced(staff, of_subject[:40])[:rng.randint(10, 25)],
                       ["chair", "deputy", "secretary"])
        made.append(body(rng, f"region/regional_association/{subject}", "regional_association",
                         f"Региональное учебно-методическое объединение {whom}", "regional", None, inn, subject,
                         date(rng.randint(2018, 2022), rng.randint(1, 12), rng.randint(1, 28)), reference, chosen))
    young = [j for j in teachers if staff.young(j)]
    rng.shuffle(young)
    made.append(body(rng, "region/young_teachers_council", "young_teachers_council",
                     f"Совет молодых педагогов ({REGION_NAME})", "regional", None, inn, None,
                     date(rng.randint(2019, 2022), 10, rng.randint(1, 28)), reference,
                     picks(young[:rng.randint(12, 25)], ["chair", "deputy", "secretary"])))
    made += [regional_group(rng, staff, inn, methodists, teachers, group, reference) for group in REGIONAL_GROUPS]
    return made


def regional_group(rng: random.Random, staff: Staff, inn: str, methodists: list[Employment],
                   teachers: list[Employment], group: tuple, reference: date) -> Body:
    kind, name, goal, ((y0, m0, d0), (y1, m1, d1)) = group
    year = academic_year(reference)
    start, end = date(year + y0, m0, d0), date(year + y1, m1, d1)
    sample = [j for j in rng.sample(teachers, min(len(teachers), 60)) if j.start_date <= start]
    chosen = picks(methodists[3:5] + _experienced(staff, sample)[:rng.randint(6, 12)], ["chair", "secretary"])
    return body(rng, f"region/{kind}", kind, name, "regional", None, inn, None, start, reference, chosen, end, goal)


def municipal(rng: random.Random, staff: Staff, place: Place, orgs: list[Organisation], reference: date) -> list[Body]:
    service = [o for o in orgs if o.kind == Kind.METHODICAL_SERVICE]
    if not service or not staff.jobs(service):
        return []
    oktmo, inn, of = place.oktmo, service[0].inn, of_place(place)
    schools = [o for o in orgs if o.kind == Kind.SCHOOL]
    methodists = staff.jobs(service, ["senior_methodist", "methodist"])
    deputies = {j.organisation_inn: j for j in staff.jobs(schools, ["deputy_director"])}  # one per school
    others = staff.jobs([o for o in orgs if o.kind == Kind.KINDERGARTEN], ["senior_educator"])[:2]
    chosen = picks(staff.jobs(service, ["director"]) + methodists[:2] + list(deputies.values())[:12] + others,
                   ["chair", "deputy", "secretary"])
    made = [council(rng, f"{oktmo}/municipal_methodical_council", "municipal_methodical_council",
                    f"Муниципальный методический совет {of}", "municipal", oktmo, inn, rng.randint(2016, 2021),
                    reference, chosen)]
    adjective = "Городское" if place.district is None else "Районное"
    for subject, whom, subjects in MUNICIPAL_SUBJECTS:
        positions = ["educator", "senior_educator"] if subject == "preschool" else ["teacher"]
        members = staff.jobs(orgs, positions, subjects, current=False)
        if len({j.person_key for j in members if j.end_date is None}) < 3:
            continue
        leads = [j for j in methodists if subject in j.subjects] if rng.random() < 0.6 else []
        chosen = picks(leads[:1] + _experienced(staff, members), ["chair", "secretary"])
        made.append(body(rng, f"{oktmo}/municipal_association/{subject}", "municipal_association",
                         f"{adjective} методическое объединение {whom} {of}", "municipal", oktmo, inn, subject,
                         date(rng.randint(2012, 2020), 9, rng.randint(1, 15)), reference, chosen))
    young = [j for j in staff.jobs(orgs) if staff.young(j)]
    if len(young) >= 4:
        made.append(body(rng, f"{oktmo}/young_teachers_council", "young_teachers_council",
                         f"Совет молодых педагогов {of}", "municipal", oktmo, inn, None,
                         date(rng.randint(2021, 2024), 10, rng.randint(1, 28)), reference,
                         picks(young[:30], ["chair", "deputy", "secretary"])))
    if rng.random() < 0.5:
        made.append(municipal_group(rng, staff, oktmo, inn, methodists, schools, reference))
    return made


def municipal_group(rng: random.Random, staff: Staff, oktmo: str, inn: str, methodists: list[Employment],
                    schools: list[Organisation], reference: date) -> Body:
    kind, name, goal = rng.choice(MUNICIPAL_GROUPS)
    year = academic_year(reference) - rng.randint(0, 1)
    start, end = min(date(year, 9, 10), reference), date(year + 1, 5, 31)
    teachers = [j for j in staff.jobs(schools, ["teacher"]) if j.start_date <= start]
    chosen = picks(methodists[:1] + rng.sample(teachers, min(len(teachers), rng.randint(5, 10))), ["chair"])
    return body(rng, f"{oktmo}/{kind}", kind, name, "municipal", oktmo, inn, None, start, reference, chosen, end,
                goal)


def school(rng: random.Random, staff: Staff, org: Organisation, reference: date) -> list[Body]:
    teachers = staff.jobs([org], ["teacher"], current=False)
    if len({j.person_key for j in teachers if j.end_date is None}) < LARGE_SCHOOL:
        return []
    made, chairs = [], []
    for subject, whom, subjects in SCHOOL_GROUPS:
        members = _experienced(staff, [j for j in teachers if set(subjects).intersection(j.subjects)])
        if len(members) < 3:
            continue
        association = body(rng, f"{org.inn}/school_association/{subject}", "school_association",
                           f"Школьное методическое объединение {whom}", "organisation", org.municipality_oktmo,
                           org.inn, subject, date(rng.randint(2014, 2022), 8, 30), reference,
                           picks(members, ["chair"]))
        made.append(association)
        chairs += [j for j in members if association.members and j.person_key == association.members[0].person_key]
    deputies = staff.jobs([org], ["deputy_director"])
    chosen = picks(deputies[:1] + chairs + staff.jobs([org], ["psychologist"])[:1], ["chair", "secretary"])
    made.append(council(rng, f"{org.inn}/school_methodical_council", "school_methodical_council",
                        "Методический совет", "organisation", org.municipality_oktmo, org.inn,
                        rng.randint(2015, 2022), reference, chosen))
    return made
