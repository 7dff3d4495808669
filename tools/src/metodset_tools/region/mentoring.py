"""Mentoring of the region's staff: most young specialists have an experienced mentor from their organisation
(else from their municipality), a few none; some organisations mentor their young teachers as a group; a few
teachers with deficits found by a diagnostic have a mentor too, and some of those pairs have ended. No
mentor has more than MENTOR_MAX_MENTEES mentees at once."""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from .growth import Staffer, deficits
from .growth_data import (
    GROUP_PROGRAMMES,
    GROUP_SHARE,
    MENTOR_MAX_MENTEES,
    MENTOR_MIN_YEARS,
    MENTORED_SHARE,
    YOUNG_PROGRAMMES,
)
from .growth_model import DiagnosticResult, MentoringPair
from .people import draw

STRUGGLING_SHARE = 0.25  # of teachers with two or more deficits: a mentor (teacher–teacher)
TEACHING = frozenset({"teacher", "educator", "supplementary_teacher", "lecturer", "coach", "psychologist",
                      "speech_therapist", "defectologist", "social_pedagogue", "music_director", "pe_instructor"})


class Mentors:
    """Who may mentor whom in one municipality, and how many each mentors already."""

    def __init__(self, rng: random.Random, people: Sequence[Staffer], reference: date):
        self.rng, self.reference = rng, reference
        self.load: dict[str, int] = defaultdict(int)
        self.by_org: dict[str, list[Staffer]] = defaultdict(list)
        self.all: list[Staffer] = []
        for s in people:
            if not s.young and s.teaching_years >= MENTOR_MIN_YEARS and s.job.position in TEACHING:
                self.by_org[s.job.organisation_inn].append(s)
                self.all.append(s)

    def pick(self, mentee: Staffer, start: date, room: int = 1) -> Staffer | None:
        """An experienced mentor working by `start`: of the same organisation and subject if any, else of the
        organisation, else of the municipality; never the mentee and never beyond the maximum load."""
        def fits(m: Staffer) -> bool:
            return m.person.key != mentee.person.key and m.job.start_date <= start \
                and self.load[m.person.key] + room <= MENTOR_MAX_MENTEES
        here = [m for m in self.by_org.get(mentee.job.organisation_inn, []) if fits(m)]
        same = [m for m in here if set(m.job.subjects) & set(mentee.job.subjects)]
        found = same or here or [m for m in self.all if fits(m)]
        if not found:
            return None
        chosen = found[draw(self.rng, 0, len(found) - 1)]
        self.load[chosen.person.key] += room
        return chosen


def _start(rng: random.Random, mentee: Staffer, reference: date) -> date:
    return min(mentee.job.start_date + timedelta(days=draw(rng, 0, 30)), reference)


def build(seed: int, people: Sequence[Staffer], results: Sequence[DiagnosticResult], reference: date
          ) -> list[MentoringPair]:
    by_place: dict[str, list[Staffer]] = defaultdict(list)
    for s in people:
        by_place[s.municipality].append(s)
    struggling = {r.person_key for r in results if len(deficits(r)) >= 2}
    made: list[MentoringPair] = []
    for oktmo, group in sorted(by_place.items()):
        rng = random.Random(f"{seed}:{oktmo}:mentoring")
        mentors = Mentors(rng, group, reference)
        made += _young(rng, mentors, [s for s in group if s.young], reference)
        made += _struggling(rng, mentors, [s for s in group if s.person.key in struggling and not s.young],
                            reference)
    return made


def _young(rng: random.Random, mentors: Mentors, young: list[Staffer], reference: date) -> list[MentoringPair]:
    made = []
    by_org: dict[str, list[Staffer]] = defaultdict(list)
    for s in young:
        by_org[s.job.organisation_inn].append(s)
    for inn, mentees in by_org.items():
        if len(mentees) >= 3 and rng.random() < GROUP_SHARE:
            grouped = mentees[:MENTOR_MAX_MENTEES]
            start = max(_start(rng, m, reference) for m in grouped)
            mentor = mentors.pick(grouped[0], start, len(grouped))
            if mentor is not None:
                made.append(MentoringPair(mentor.person.key, tuple(m.person.key for m in grouped), "group", inn,
                                          start, GROUP_PROGRAMMES[draw(rng, 0, len(GROUP_PROGRAMMES) - 1)]))
                mentees = mentees[len(grouped):]
        for mentee in mentees:
            if rng.random() >= MENTORED_SHARE:
                continue
            start = _start(rng, mentee, reference)
            mentor = mentors.pick(mentee, start)
            if mentor is not None:
                made.append(MentoringPair(mentor.person.key, (mentee.person.key,), "experienced_young", inn, start,
                                          YOUNG_PROGRAMMES[draw(rng, 0, len(YOUNG_PROGRAMMES) - 1)]))
    return made


def _struggling(rng: random.Random, mentors: Mentors, people: list[Staffer], reference: date
                ) -> list[MentoringPair]:
    made = []
    for s in people:
        if rng.random() >= STRUGGLING_SHARE:
            continue
        start = reference - timedelta(days=draw(rng, 30, 400))
        mentor = mentors.pick(s, start)
        if mentor is None:
            continue
        pair = MentoringPair(mentor.person.key, (s.person.key,), "experienced_struggling", s.job.organisation_inn,
                             start, "Преодоление профессиональных затруднений по итогам диагностики")
        if (reference - start).days > 200 and rng.random() < 0.4:  # a year's programme carried out
            end = start + timedelta(days=draw(rng, 150, (reference - start).days - 1))
            pair = MentoringPair(pair.mentor_key, pair.mentee_keys, pair.form, pair.organisation_inn, start,
                                 pair.programme, end, False, "achieved")
            mentors.load[mentor.person.key] -= 1
        made.append(pair)
    return made
