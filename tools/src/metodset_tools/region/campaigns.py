"""The region's data-collection campaign «Контингент обучающихся», one per academic year (last year's and this
one's, so indicators per 100 students have a history): how many students each school has and how far its form
got (most approved by the region, some still with the municipality, a few not submitted). A school's count
moves a little from year to year. Pure and seeded; the demo loads it into the monitoring service
(demo/campaigns.py)."""
from __future__ import annotations

import random
from dataclasses import dataclass

from metodset_contracts.organisations import OrganisationKind as Kind

from .model import Organisation

FORM = "contingent"
YEARS = (2025, 2026)  # academic years by their first calendar year: 2025/2026 and 2026/2027
STAGES = ("approved", "approved_by_municipality", "submitted", "draft")
WEIGHTS = (82, 8, 5, 5)  # per cent of schools at each stage


def code(year: int) -> str:
    return f"contingent_{year}"


def period(year: int) -> str:
    return f"{year}/{year + 1}"


@dataclass(frozen=True)
class ContingentReport:
    inn: str
    municipality_oktmo: str
    students_total: int
    stage: str  # how far the school's form got: one of STAGES
    year: int = YEARS[0]


def build(seed: int, organisations: list[Organisation]) -> list[ContingentReport]:
    """Every school's report for each of YEARS (the first year's draw as it always was, so a loaded region keeps
    its values)."""
    schools = [o for o in organisations if o.kind == Kind.SCHOOL]
    rng = random.Random(f"{seed}:campaign:{code(YEARS[0])}")
    first = [ContingentReport(o.inn, o.municipality_oktmo, rng.randint(12, 140) * 10, rng.choices(STAGES, WEIGHTS)[0])
             for o in schools]
    reports = list(first)
    for year in YEARS[1:]:
        rng = random.Random(f"{seed}:campaign:{code(year)}")
        reports += [ContingentReport(r.inn, r.municipality_oktmo, max(10, r.students_total + rng.randint(-4, 6) * 10),
                                     rng.choices(STAGES, WEIGHTS)[0], year) for r in first]
    return reports
