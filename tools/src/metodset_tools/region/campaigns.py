"""The region's data-collection campaign «Контингент обучающихся» for the academic year: how many students each
school has and how far its form got (most approved by the region, some still with the municipality, a few not
submitted). Pure and seeded; the demo loads it into the monitoring service (demo/campaigns.py)."""
from __future__ import annotations

import random
from dataclasses import dataclass

from metodset_contracts.organisations import OrganisationKind as Kind

from .model import Organisation

CODE = "contingent_2025"
FORM = "contingent"
PERIOD = "2025/2026"
STAGES = ("approved", "approved_by_municipality", "submitted", "draft")
WEIGHTS = (82, 8, 5, 5)  # per cent of schools at each stage


@dataclass(frozen=True)
class ContingentReport:
    inn: str
    municipality_oktmo: str
    students_total: int
    stage: str  # how far the school's form got: one of STAGES


def build(seed: int, organisations: list[Organisation]) -> list[ContingentReport]:
    rng = random.Random(f"{seed}:campaign:{CODE}")
    return [ContingentReport(o.inn, o.municipality_oktmo, rng.randint(12, 140) * 10,
                             rng.choices(STAGES, WEIGHTS)[0])
            for o in organisations if o.kind == Kind.SCHOOL]
