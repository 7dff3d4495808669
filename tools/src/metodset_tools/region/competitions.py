"""A competition of the generated region (issue 9): the municipal stage of «Учитель года» in the regional centre,
run by its methodical service — two nominations with their rubric, a jury of methodists and experienced teachers,
the municipality's teachers entered by their schools (young specialists in «Педагогический дебют»), and every
juror's scores except where the juror works at the entrant's school (a conflict of interest the service refuses).

Pure and seeded like the rest of the generator. Persons by key, organisations by ИНН."""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .events import METHODISTS, academic_year
from .growth import Staffer
from .model import Region

TITLE = "Учитель года — {year}"
NOMINATIONS = (
    ("Учитель года", (("site", "Интернет-ресурс", 10), ("essay", "Эссе «Я — учитель»", 10),
                      ("lesson", "Учебное занятие", 30), ("class_hour", "Классный час", 20))),
    ("Педагогический дебют", (("essay", "Эссе «Я — учитель»", 10), ("lesson", "Учебное занятие", 30))),
)
JURY = 5
ENTRANTS = (6, 9)  # «Учитель года»; the debut takes up to half as many young specialists


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max_points: int


@dataclass(frozen=True)
class Nomination:
    title: str
    criteria: tuple[Criterion, ...]

    def add_nomination_input(self) -> dict:
        """The input of `addNomination`."""
        return {"title": self.title, "criteria": [{"code": c.code, "title": c.title, "maxPoints": c.max_points}
                                                  for c in self.criteria]}


@dataclass(frozen=True)
class Sheet:
    juror_key: str
    points: tuple[tuple[str, int], ...]  # criterion code → points


@dataclass(frozen=True)
class Entry:
    nomination: str  # the nomination's title
    person_key: str
    organisation_inn: str
    sheets: tuple[Sheet, ...]


@dataclass(frozen=True)
class Competition:
    title: str
    year: int
    municipality_oktmo: str
    nominations: tuple[Nomination, ...]
    juror_keys: tuple[str, ...]
    entries: tuple[Entry, ...]

    def create_competition_input(self) -> dict:
        """The input of `createCompetition`: the region's competition; its municipal stage is the methodist's."""
        return {"title": self.title, "kind": "STAFF", "format": "PROFESSIONAL_SKILL", "year": self.year,
                "aggregation": "MEAN"}


def _sheet(rng: random.Random, juror: str, skill: float, criteria: Sequence[Criterion]) -> Sheet:
    def points(c: Criterion) -> int:
        share = min(1.0, max(0.0, skill + rng.gauss(0, 0.08)))
        return round(c.max_points * share)
    return Sheet(juror, tuple((c.code, points(c)) for c in criteria))


def _entries(rng: random.Random, nomination: Nomination, entrants: Sequence[Staffer],
             jury: Sequence[Staffer]) -> list[Entry]:
    out = []
    for s in entrants:
        skill = rng.uniform(0.55, 0.92)
        sheets = tuple(_sheet(rng, j.person.key, skill, nomination.criteria) for j in jury
                       if j.job.organisation_inn != s.job.organisation_inn)  # no juror from the entrant's school
        out.append(Entry(nomination.title, s.person.key, s.job.organisation_inn, sheets))
    return out


def build(seed: int, region: Region, people: Sequence[Staffer], reference: date) -> list[Competition]:
    """The municipal stage of the regional centre (the first municipality); nothing without its staff."""
    if not region.municipalities:
        return []
    oktmo = region.municipalities[0].oktmo
    rng = random.Random(f"{seed}:{oktmo}:competitions")
    here = sorted((s for s in people if s.municipality == oktmo), key=lambda s: s.person.key)
    methodists = [s for s in here if s.job.position in METHODISTS]
    teachers = [s for s in here if s.job.position == "teacher"]
    experienced = [s for s in teachers if s.teaching_years >= 15]
    jury = (methodists + rng.sample(experienced, min(len(experienced), JURY)))[:JURY]
    taken = {j.person.key for j in jury}
    young = [s for s in teachers if s.young and s.person.key not in taken]
    seasoned = [s for s in teachers if not s.young and s.person.key not in taken and s.teaching_years >= 3]
    if len(jury) < 2 or len(seasoned) < 2:
        return []
    nominations = tuple(Nomination(t, tuple(Criterion(*c) for c in criteria)) for t, criteria in NOMINATIONS)
    count = min(len(seasoned), rng.randint(*ENTRANTS))
    entries = _entries(rng, nominations[0], rng.sample(seasoned, count), jury)
    entries += _entries(rng, nominations[1], rng.sample(young, min(len(young), max(2, count // 2))), jury)
    entries = [e for e in entries if e.sheets]
    year = academic_year(reference) + 1  # «Учитель года — 2027» runs in the academic year 2026/27
    return [Competition(TITLE.format(year=year), year, oktmo, nominations, tuple(j.person.key for j in jury),
                        tuple(entries))]

