"""A generated region's year of the All-Russian school olympiad (issue 9): the school stage's protocols of every
municipality's schools in a few subjects, with realistic scores, as rows of the results template (CAPTIONS).

Pure and seeded. Scores follow a beta distribution of the share of the maximum, per subject and grade: olympiad
tasks are hard, so most pupils take a fifth to a third of the maximum and few more than half; the older the
grade, the harder the subject's tasks for it (a lower mean). Pupils carry the region's participant code,
stable across stages, so the municipal stage's protocol scores the same pupils again (municipal_rows)."""
from __future__ import annotations

import random
from dataclasses import dataclass

from metodset_contracts.organisations import OrganisationKind

from .model import Organisation, Region
from .people import names

CAPTIONS = ("Код участника", "Фамилия", "Имя", "Отчество", "ИНН организации", "Класс обучения", "Класс участия",
            "Баллы", "Группа ранжирования", "Задание 1", "Задание 2", "Задание 3", "Задание 4", "Задание 5")
# subject → (mean share of the maximum in the 5th grade, its fall per grade, the maximum score)
SUBJECTS = {"mathematics": (0.34, 0.012, 35), "russian": (0.40, 0.010, 50), "physics": (0.30, 0.015, 40),
            "physical_education": (0.55, 0.005, 100)}
GROUPS = {"physical_education": ("юноши", "девушки")}
TASKS = 5
CONCENTRATION = 6.0  # a + b of the beta distribution: how closely scores gather round the mean


@dataclass(frozen=True)
class Stage:
    """One school stage: a municipality's subject, its grades with the maximum score, the protocol's rows."""

    municipality_oktmo: str
    subject: str
    grades: tuple[int, ...]
    max_score: int
    rows: tuple[tuple, ...]  # in CAPTIONS order
    year: int = 2026  # the academic year by its first calendar year


def grades(subject: str) -> tuple[int, ...]:
    return tuple(range(4 if subject in ("mathematics", "russian") else 5, 12))


def score(rng: random.Random, subject: str, grade: int) -> tuple[int, list[int]]:
    """A pupil's tasks and total: the share of the maximum drawn from the subject's and grade's beta."""
    mean, fall, maximum = SUBJECTS[subject]
    share_mean = max(0.1, mean - fall * (grade - 5))
    share = rng.betavariate(share_mean * CONCENTRATION, (1 - share_mean) * CONCENTRATION)
    per_task = maximum / TASKS
    tasks = [min(round(per_task), max(0, round(rng.gauss(share * per_task, per_task / 4)))) for _ in range(TASKS)]
    return sum(tasks), tasks


def _pupils(rng: random.Random, school: Organisation, subject: str, number: list[int], year: int) -> list[tuple]:
    rows = []
    for grade in grades(subject):
        for _ in range(rng.randint(3, 12)):
            number[0] += 1
            sex = rng.choice("mf")
            last, first, middle = names(rng, sex, year - 6 - grade)
            writes = grade + 1 if grade < 11 and rng.random() < 0.04 else grade  # a few write for a higher grade
            total, tasks = score(rng, subject, writes)
            group = GROUPS[subject][sex == "f"] if subject in GROUPS else None
            rows.append((f"{school.municipality_oktmo[:5]}-{number[0]:06d}", last, first, middle, school.inn, grade,
                         writes, total, group, *tasks))
    return rows


def school_stages(region: Region, seed: int = 2026, subjects=tuple(SUBJECTS), year: int = 2026) -> list[Stage]:
    """The school stage of every municipality in each subject. A pupil writes several subjects under one code;
    an earlier year's pupils (the demo's history) have codes of their own, so they never meet this year's."""
    stages = []
    for m in region.municipalities:
        schools = [o for o in region.organisations
                   if o.municipality_oktmo == m.oktmo and o.kind == OrganisationKind.SCHOOL]
        for subject in subjects:
            rng = random.Random(f"{seed}-{m.oktmo}-{subject}")
            number = [list(SUBJECTS).index(subject) * 100_000 + (2026 - year) * 500_000]
            rows = [r for s in schools for r in _pupils(rng, s, subject, number, year)]
            stages.append(Stage(m.oktmo, subject, grades(subject), SUBJECTS[subject][2], tuple(rows), year))
    return stages


def municipal_rows(stage: Stage, admitted: list[dict], seed: int = 2026) -> list[tuple]:
    """The municipal stage's protocol for the pupils admitted from the school stage (REST admission items)."""
    rng = random.Random(f"{seed}-{stage.municipality_oktmo}-{stage.subject}-municipal")
    by_code = {r[0]: r for r in stage.rows}
    rows = []
    for a in admitted:
        school_row = by_code.get(a["participantCode"])
        if school_row is None:
            continue
        total, tasks = score(rng, stage.subject, a["grade"] + 1)  # a harder stage: the tasks of an older grade
        rows.append((*school_row[:6], a["grade"], total, school_row[8], *tasks))
    return rows
