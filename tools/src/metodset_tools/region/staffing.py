"""The staff of an organisation, by kind and size: which positions, how many, teaching what.

`slots(rng, org, place, scale)` lists the jobs of one organisation; `staff.py` fills them with people."""
from __future__ import annotations

import random
from dataclasses import dataclass

from metodset_contracts.organisations import OrganisationKind as Kind

from .model import Organisation
from .places import Place
from .staff_data import (
    CORE_SUBJECTS,
    DEFAULT_MALE,
    LECTURER_SUBJECTS,
    MALE_BY_POSITION,
    MALE_BY_SUBJECT,
    SUBJECT_MIX,
    SUPERVISED,
)

_MIX = [s for s, _ in SUBJECT_MIX]
_MIX_WEIGHTS = [w for _, w in SUBJECT_MIX]


@dataclass(frozen=True)
class Slot:
    position: str
    subjects: tuple[str, ...] = ()

    @property
    def male_share(self) -> float:
        if self.position in MALE_BY_POSITION:
            return MALE_BY_POSITION[self.position]
        return max((MALE_BY_SUBJECT.get(s, DEFAULT_MALE) for s in self.subjects), default=DEFAULT_MALE)


def rural(org: Organisation) -> bool:
    return any(f"» {v}" in (org.short_name or "") for v in ("с.", "д.", "п."))


def _sized(rng: random.Random, org: Organisation, place: Place, city: tuple[int, int], town: tuple[int, int],
           village: tuple[int, int]) -> int:
    low, high = city if place.district is None else village if rural(org) else town
    return rng.randint(low, high)


def _some(rng: random.Random, chance: float, slot: Slot, count: int = 1) -> list[Slot]:
    return [slot] * count if rng.random() < chance else []


def teachers(rng: random.Random, count: int) -> list[Slot]:
    core = [Slot("teacher", s) for s in CORE_SUBJECTS[:count]]
    rest = rng.choices(_MIX, _MIX_WEIGHTS, k=count - len(core))
    return core + [Slot("teacher", s) for s in rest]


def school(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    short = org.short_name or ""
    if "ООШ" in short:
        count = rng.randint(8, 16)
    elif any(w in short for w in ("Лицей", "Гимназия", "УИОП")):
        count = rng.randint(45, 85)
    else:
        count = _sized(rng, org, place, (35, 80), (25, 55), (12, 28))
    deputies = 2 if count < 25 else 3 if count < 50 else 4
    return [Slot("director"), *[Slot("deputy_director")] * deputies, *teachers(rng, count),
            *_some(rng, 0.95 if count >= 15 else 0.5, Slot("psychologist"), 2 if count >= 60 else 1),
            *_some(rng, 0.9 if count >= 15 else 0.6, Slot("social_pedagogue")),
            *_some(rng, 0.85 if count >= 20 else 0.4, Slot("speech_therapist")),
            *_some(rng, 0.6, Slot("senior_counsellor")), *_some(rng, 0.7, Slot("librarian")),
            *_some(rng, 0.85, Slot("upbringing_adviser")), *_some(rng, 0.3 if count >= 30 else 0.05, Slot("tutor")),
            *_some(rng, 0.25, Slot("organiser")), *_some(rng, 0.3, Slot("security_teacher", ("security",)))]


def kindergarten(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    count = _sized(rng, org, place, (12, 30), (8, 20), (3, 8))
    return [Slot("director"), *_some(rng, 1 if count >= 6 else 0.4, Slot("senior_educator")),
            *_some(rng, 1 if count >= 22 else 0, Slot("deputy_director")),
            *[Slot("educator", ("preschool",))] * count,
            *[Slot("music_director", ("music",))] * (2 if count >= 20 else 1),
            *_some(rng, 0.9 if count >= 8 else 0.3, Slot("pe_instructor", ("physical_education",))),
            *_some(rng, 0.8 if count >= 8 else 0.3, Slot("speech_therapist", ("special_education",))),
            *_some(rng, 0.6 if count >= 8 else 0.2, Slot("psychologist"))]


def supplementary(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    count = _sized(rng, org, place, (20, 50), (10, 25), (8, 15))
    sport = "спортивная" in org.name
    bulk = Slot("coach", ("physical_education",)) if sport else Slot("supplementary_teacher", ("supplementary",))
    head = Slot("senior_coach", ("physical_education",)) if sport else Slot("senior_supplementary_teacher",
                                                                           ("supplementary",))
    arts = any(w in org.name for w in ("искусств", "творчества"))
    return [Slot("director"), *[Slot("deputy_director")] * (2 if count >= 30 else 1),
            *[Slot("methodist")] * rng.randint(1, 3), *[bulk] * count, *_some(rng, 0.6, head, rng.randint(1, 2)),
            *_some(rng, 0.9 if arts else 0.3, Slot("accompanist", ("music",)), rng.randint(1, 3)),
            *_some(rng, 0.5, Slot("organiser"))]


def methodists(rng: random.Random, count: int, senior: int) -> list[Slot]:
    """Methodists share the groups of subjects out, the commonest first; a small service's methodist looks
    after several groups (up to four subjects)."""
    jobs = ["senior_methodist"] * senior + ["methodist"] * count
    subjects: list[list[str]] = [[] for _ in jobs]
    for i, group in enumerate(SUPERVISED):
        subjects[i % len(jobs)] += group
    return [Slot(job, tuple(s[:4])) for job, s in zip(jobs, subjects, strict=True)]


def methodical_service(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    city = place.district is None
    count = rng.randint(6, 12) if city else rng.randint(2, 6)
    return [Slot("director"), *methodists(rng, count, 1 if city or rng.random() < 0.3 else 0)]


def college(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    lecturers = rng.choices(LECTURER_SUBJECTS, k=rng.randint(25, 60))
    return [Slot("director"), *[Slot("deputy_director")] * 3, *[Slot("lecturer", s) for s in lecturers],
            *[Slot("vocational_master")] * rng.randint(5, 15), Slot("psychologist"), Slot("social_pedagogue"),
            Slot("pe_head", ("physical_education",)), Slot("upbringing_adviser"), Slot("methodist")]


def support_centre(rng: random.Random, org: Organisation, place: Place) -> list[Slot]:
    return [Slot("director"), *[Slot("psychologist")] * rng.randint(3, 8),
            *[Slot("speech_therapist", ("special_education",))] * rng.randint(2, 5),
            *[Slot("defectologist", ("special_education",))] * rng.randint(1, 3),
            *[Slot("social_pedagogue")] * rng.randint(1, 2), Slot("methodist")]


def institute(rng: random.Random) -> list[Slot]:
    return [Slot("director"), *[Slot("deputy_director")] * 3, *methodists(rng, 30, 12)]


STAFFERS = {Kind.SCHOOL: school, Kind.KINDERGARTEN: kindergarten, Kind.SUPPLEMENTARY_EDUCATION: supplementary,
            Kind.METHODICAL_SERVICE: methodical_service, Kind.COLLEGE: college, Kind.SUPPORT_CENTRE: support_centre}


def slots(rng: random.Random, org: Organisation, place: Place, scale: float) -> list[Slot]:
    """The jobs of `org` at a staff scale (1: a realistic organisation of its kind and size)."""
    staffer = STAFFERS.get(org.kind)
    if staffer is None or scale <= 0:
        return []
    return scaled(rng, staffer(rng, org, place), scale)


BULK = frozenset({"teacher", "educator", "supplementary_teacher", "coach", "lecturer"})


def scaled(rng: random.Random, jobs: list[Slot], scale: float) -> list[Slot]:
    """The head always; below 1 a share of the rest; above 1 more of the bulk (teachers, educators)."""
    head, rest = jobs[:1], jobs[1:]
    if scale < 1:
        return head + [s for s in rest if rng.random() < scale]
    whole, part = divmod(scale, 1)
    bulk = [s for s in rest if s.position in BULK]
    return head + rest + bulk * (int(whole) - 1) + [s for s in bulk if rng.random() < part]
