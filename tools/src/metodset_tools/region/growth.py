"""Professional growth of the region's staff: course records, qualification categories and diagnostic results
with realistic shares, all consistent with each person's career (nothing before their first job).

Each municipality draws from its own stream, as the staff does."""
from __future__ import annotations

import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_contracts.reference import catalogue
from metodset_registry.domain.experience import DAYS_PER_YEAR, YoungSpecialistRule, merged_days

from .growth_data import (
    CATEGORY_SHARES,
    CATEGORY_YEARS,
    COMMON_PROGRAMMES,
    DIAGNOSED_SHARE,
    INSTRUMENT,
    INSTRUMENTS,
    MANAGER_PROGRAMMES,
    PRESCHOOL_PROGRAMMES,
    PROVIDERS,
    RETRAINING_HOURS,
    RETRAINING_PROVIDERS,
    RETRAINING_SHARE,
    RETRAININGS,
    SUBJECT_PROGRAMMES,
    TOP_SHARE,
    UPGRADE_HOURS,
    UPGRADE_SHARE_RECENT,
)
from .growth_model import CategoryAward, CourseRecord, DiagnosticResult
from .model import Employment, Organisation, Person, Region
from .people import draw, years_after
from .places import PLACES
from .staff_data import MANAGERIAL

PEDAGOGICAL = frozenset(i.code for i in catalogue("positions").items if i.extra.get("group") == "pedagogical")
SUBJECT_TITLES = catalogue("subjects").titles()
CATEGORIES_SINCE = {"methodist": date(2023, 9, 1), "mentor": date(2023, 9, 1)}  # приказ Минпросвещения № 196
COURSE_YEARS = 3
_HOURS = [h for h, _ in UPGRADE_HOURS]
_HOURS_CUM = list(accumulate(w for _, w in UPGRADE_HOURS))
_PROVIDER_CUM = list(accumulate(w for _, w in PROVIDERS))
_CATEGORY_CUM = tuple((below, [c for c, _ in shares], list(accumulate(w for _, w in shares)))
                      for below, shares in CATEGORY_SHARES)


@dataclass(frozen=True)
class Staffer:
    """A person working on the reference day, with what growth depends on."""

    person: Person
    job: Employment  # the main job in effect on the reference day
    municipality: str
    first_day: date  # of their first job
    teaching_days: int  # pedagogical experience on the reference day
    young: bool

    @property
    def teaching_years(self) -> float:
        return self.teaching_days / DAYS_PER_YEAR


def staffers(region: Region, reference: date) -> list[Staffer]:
    """Everyone with a main job on the reference day, in the region's order of persons."""
    where = {o.inn: o.municipality_oktmo for o in region.organisations}
    jobs: dict[str, list[Employment]] = defaultdict(list)
    for e in region.employments:
        jobs[e.person_key].append(e)
    rule = YoungSpecialistRule()
    out = []
    for p in region.persons:
        mine = jobs.get(p.key, [])
        main = next((e for e in mine if e.main and e.current_on(reference)), None)
        if main is None:
            continue
        days = merged_days([(e.start_date, e.end_date) for e in mine if e.position in PEDAGOGICAL], reference)
        out.append(Staffer(p, main, where[main.organisation_inn], min(e.start_date for e in mine), days,
                           rule.applies(p.birth_date, days, reference)))
    return out


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=draw(rng, 0, max(0, (last - first).days)))


class Courses:
    """Course records of one stream; certificate numbers count on from `serial`."""

    def __init__(self, rng: random.Random, reference: date, institute: Organisation | None, serial: int):
        self.rng, self.reference, self.institute, self.serial = rng, reference, institute, serial
        self.made: list[CourseRecord] = []

    def of(self, s: Staffer) -> None:
        rng, ref = self.rng, self.reference
        due = years_after(ref, -COURSE_YEARS)
        if s.first_day <= due:
            recent = rng.random() < UPGRADE_SHARE_RECENT
            end = _between(rng, due + timedelta(days=1), ref) if recent else \
                _between(rng, years_after(ref, -6), due - timedelta(days=1))
        else:  # hired within three years: not yet overdue; most have had a course since
            first = s.first_day + timedelta(days=60)
            end = _between(rng, first, ref) if first < ref and rng.random() < 0.6 else None
        while end is not None and self.upgrade(s, end):
            end = end - timedelta(days=draw(rng, 700, 1300))
            if rng.random() < 0.25:
                break
        if rng.random() < RETRAINING_SHARE:
            self.retraining(s)

    def _provider(self, options=None) -> tuple[str, str | None]:
        name = options[draw(self.rng, 0, len(options) - 1)] if options else \
            PROVIDERS[bisect(_PROVIDER_CUM, self.rng.random() * _PROVIDER_CUM[-1])][0]
        if name is None:
            if self.institute is None:
                return PROVIDERS[1][0], None
            return self.institute.short_name or self.institute.name, self.institute.inn
        return name, None

    def _record(self, s: Staffer, programme: str, hours: int, start: date, end: date, kind: str) -> None:
        provider, inn = self._provider(RETRAINING_PROVIDERS if kind == "RETRAINING" else None)
        self.serial += 1
        self.made.append(CourseRecord(s.person.key, programme, provider, inn, hours, start, end, kind,
                                      f"40{end.year % 100:02d}{self.serial:08d}"))

    def upgrade(self, s: Staffer, end: date) -> bool:
        """One upgrade ending on `end`, if it fits after the first job; whether it did."""
        hours = _HOURS[bisect(_HOURS_CUM, self.rng.random() * _HOURS_CUM[-1])]
        start = end - timedelta(days=max(1, hours // 8 + draw(self.rng, 0, hours // 6)))
        if start < s.first_day:
            return False
        self._record(s, self.programme(s), hours, start, end, "UPGRADE")
        return True

    def retraining(self, s: Staffer) -> None:
        first, last = max(s.first_day, years_after(self.reference, -8)), self.reference - timedelta(days=300)
        if first > last:
            return
        start = _between(self.rng, first, last)
        end = start + timedelta(days=draw(self.rng, 120, 280))
        hours = RETRAINING_HOURS[draw(self.rng, 0, len(RETRAINING_HOURS) - 1)]
        self._record(s, RETRAININGS[draw(self.rng, 0, len(RETRAININGS) - 1)], hours, start, end, "RETRAINING")

    def programme(self, s: Staffer) -> str:
        rng = self.rng
        if s.job.position in MANAGERIAL and rng.random() < 0.6:
            return MANAGER_PROGRAMMES[draw(rng, 0, len(MANAGER_PROGRAMMES) - 1)]
        if "preschool" in s.job.subjects or s.job.position in ("educator", "senior_educator", "music_director"):
            return PRESCHOOL_PROGRAMMES[draw(rng, 0, len(PRESCHOOL_PROGRAMMES) - 1)]
        if s.job.subjects and rng.random() < 0.55:
            subject = SUBJECT_TITLES.get(s.job.subjects[draw(rng, 0, len(s.job.subjects) - 1)], "")
            return SUBJECT_PROGRAMMES[draw(rng, 0, len(SUBJECT_PROGRAMMES) - 1)].format(subject=subject)
        return COMMON_PROGRAMMES[draw(rng, 0, len(COMMON_PROGRAMMES) - 1)]


def categories(rng: random.Random, s: Staffer, reference: date) -> list[CategoryAward]:
    """The awards of one person, oldest first: the one in force (or just expired) and the one before."""
    if s.job.position not in PEDAGOGICAL:
        return []
    names, cum = next(band for below, *band in _CATEGORY_CUM if s.teaching_years < below)
    category = names[bisect(cum, rng.random() * cum[-1])]
    if category is None:
        return []
    earliest = years_after(s.first_day, 2)
    if earliest > reference:
        return []
    expired = rng.random() < 0.1  # due: the last award is over five years old
    last = _between(rng, years_after(reference, -6), years_after(reference, -5) - timedelta(days=1)) if expired \
        else _between(rng, years_after(reference, -5), reference - timedelta(days=7))
    last = max(last, earliest)
    made = [_award(rng, s, category, last)]
    before = years_after(last, -CATEGORY_YEARS)
    if category in ("highest", "first") and before >= earliest:
        made.insert(0, _award(rng, s, "first" if category == "highest" else "compliance", before))
    if category == "highest" and s.teaching_years >= 15 and rng.random() < TOP_SHARE:
        top = "methodist" if rng.random() < 0.5 else "mentor"
        on = _between(rng, max(CATEGORIES_SINCE[top], last + timedelta(days=30)), reference)
        if on <= reference and on > last:
            made.append(_award(rng, s, top, on))
    return made


def _award(rng: random.Random, s: Staffer, category: str, on: date) -> CategoryAward:
    number = f"№ {draw(rng, 3, 160)}-к" if category == "compliance" else f"№ {draw(rng, 150, 2600)}-п"
    return CategoryAward(s.person.key, category, on, number, years_after(on, CATEGORY_YEARS) - timedelta(days=1))


def diagnostic(rng: random.Random, s: Staffer, reference: date, instrument: str = INSTRUMENT
               ) -> DiagnosticResult | None:
    """A result for about a third of teachers within the last two years; young ones score lower."""
    if s.job.position != "teacher" or rng.random() >= DIAGNOSED_SHARE:
        return None
    taken = _between(rng, max(s.first_day + timedelta(days=30), years_after(reference, -2)), reference)
    if taken > reference:
        return None
    base = rng.gauss(80, 10) - (8 if s.young else 0)
    scores = tuple((code, max(0, min(100, round(base + rng.gauss(0, 9))))) for code, _, _ in INSTRUMENTS[instrument])
    return DiagnosticResult(s.person.key, instrument, taken, scores)


def deficits(result: DiagnosticResult) -> list[str]:
    """The areas scored below their threshold."""
    thresholds = {code: t for code, _, t in INSTRUMENTS[result.instrument]}
    return [a for a, score in result.scores if score < thresholds[a]]


def build(seed: int, region: Region, people: Sequence[Staffer], reference: date
          ) -> tuple[list[CourseRecord], list[CategoryAward], list[DiagnosticResult]]:
    institute = next((o for o in region.organisations if o.kind == Kind.REGIONAL_INSTITUTE), None)
    serials = {p.oktmo: i for i, p in enumerate(PLACES)}
    by_place: dict[str, list[Staffer]] = defaultdict(list)
    for s in people:
        by_place[s.municipality].append(s)
    courses: list[CourseRecord] = []
    awards: list[CategoryAward] = []
    results: list[DiagnosticResult] = []
    for oktmo, group in sorted(by_place.items()):
        rng = random.Random(f"{seed}:{oktmo}:growth")
        made = Courses(rng, reference, institute, serials.get(oktmo, 99) * 1_000_000)
        for s in group:
            made.of(s)
            awards += categories(rng, s, reference)
            found = diagnostic(rng, s, reference)
            if found is not None:
                results.append(found)
        courses += made.made
    return courses, awards, results
