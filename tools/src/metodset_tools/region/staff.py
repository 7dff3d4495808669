"""People hired into the jobs of a municipality's organisations, with careers that fit their age.

Each person's career starts at about 21–23 (some later); the current job starts then or later; managers and
some others have an earlier job (a transfer or a dismissal) as history; about 8% also hold a secondary job
in another organisation of the municipality; a few former staff have only a job that ended."""
from __future__ import annotations

import random
from bisect import bisect
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from metodset_contracts.organisations import OrganisationKind as Kind

from .model import Employment, Organisation, Person
from .people import draw, person, years_after
from .staff_data import LECTURER_SUBJECTS, MAIN_RATES, MANAGERIAL, SECONDARY_RATES, SINCE, YOUNGEST
from .staffing import Slot, teachers

_RATES = [r for r, _ in MAIN_RATES]
_RATE_CUM = list(accumulate(w for _, w in MAIN_RATES))
SECONDARY_SHARE = 0.1  # of those whose job allows it: about 8% of all staff
FORMER_SHARE = 0.02
SECONDARY_OK = frozenset({"teacher", "supplementary_teacher", "coach", "psychologist", "speech_therapist",
                          "music_director", "accompanist", "educator", "lecturer", "methodist"})
SCHOOL_SUBJECTS = frozenset(s for slot in teachers(random.Random(0), 300) for s in slot.subjects)


class Hiring:
    """The staff of one municipality (or of the regional institute)."""

    def __init__(self, rng: random.Random, reference: date, prefix: str, serial_base: int,
                 peers: dict[Kind, list[Organisation]]):
        self.rng = rng
        self.reference = reference
        self.prefix = prefix  # person keys: «<prefix>-00042»
        self.serial_base = serial_base  # СНИЛС serials of this stream: serial_base + n
        self.peers = peers  # organisations by kind where earlier and secondary jobs may be
        self.persons: list[Person] = []
        self.employments: list[Employment] = []
        self._jobs: dict[str, int] = defaultdict(int)

    def staff(self, jobs: list[tuple[Organisation, Slot]]) -> None:
        for org, slot in jobs:
            self.hire(org, slot)
        mains = [e for e in self.employments if e.main and e.end_date is None]
        for job in mains:
            if job.position in SECONDARY_OK and self.rng.random() < SECONDARY_SHARE:
                self.secondary(job)
        for _ in range(round(len(jobs) * FORMER_SHARE)):
            self.former(*self.rng.choice(jobs))

    def _person(self, slot: Slot) -> Person:
        serial = len(self.persons) + 1
        made = person(self.rng, f"{self.prefix}-{serial:05d}", self.serial_base + serial, self.reference,
                      slot.male_share, YOUNGEST.get(slot.position, 21))
        self.persons.append(made)
        return made

    def add(self, who: Person, org: Organisation, position: str, subjects: tuple[str, ...], rate: Decimal,
            main: bool, start: date, end: date | None = None) -> Employment:
        self._jobs[who.key] += 1
        job = Employment(f"{who.key}/{self._jobs[who.key]}", who.key, org.inn, position, subjects, rate, main,
                         start, end)
        self.employments.append(job)
        return job

    def hire(self, org: Organisation, slot: Slot) -> None:
        who = self._person(slot)
        career = self.career_start(who.birth_date)
        start = self.joined(career, slot)
        if (start - career).days > 365 and self.rng.random() < (0.6 if slot.position in MANAGERIAL else 0.3):
            self.earlier(who, org, slot, career, start)
        rate = Decimal("1.0") if slot.position in MANAGERIAL else self.rate()
        self.add(who, org, slot.position, slot.subjects, rate, True, start)

    def rate(self) -> Decimal:
        return _RATES[bisect(_RATE_CUM, self.rng.random() * _RATE_CUM[-1])]

    def _between(self, first: date, last: date) -> date:
        return first + timedelta(days=draw(self.rng, 0, max(0, (last - first).days)))

    def _september(self, day: date, earliest: date) -> date:
        """Most people are hired on the first of September."""
        first = date(day.year, 9, 1)
        return first if self.rng.random() < 0.55 and earliest <= first <= self.reference else day

    def career_start(self, born: date) -> date:
        r = self.rng.random()
        at = draw(self.rng, 21, 23) if r < 0.7 else draw(self.rng, 24, 28) if r < 0.9 else draw(self.rng, 29, 45)
        adult = years_after(born, 21)
        start = years_after(born, at) + timedelta(days=draw(self.rng, 0, 364))
        if start > self.reference:
            start = self._between(adult, self.reference)
        return self._september(start, adult)

    def joined(self, career: date, slot: Slot) -> date:
        if slot.position in MANAGERIAL and (self.reference - career).days > 6 * 365:
            start = self._between(career + timedelta(days=5 * 365), self.reference)
        elif self.rng.random() < 0.5:
            start = career
        else:
            start = self._between(career, self.reference)
        since = SINCE.get(slot.position)
        if since and start < since <= self.reference:
            start = self._between(since, self.reference)
        return self._september(start, max(career, since or career))

    def earlier(self, who: Person, org: Organisation, slot: Slot, career: date, start: date) -> None:
        """A job before the current one: a teacher promoted in the same organisation, or a move."""
        position, subjects, kind = self.base_job(org.kind, slot)
        same = slot.position in MANAGERIAL and kind == org.kind and self.rng.random() < 0.5
        others = [o for o in self.peers.get(kind, []) if o.inn != org.inn]
        if not same and not others:
            return
        where = org if same else self.rng.choice(others)
        end = start - timedelta(days=1 if same else self.rng.randint(1, 90))
        if end >= career:
            self.add(who, where, position, subjects, self.rate(), True, career, end)

    def base_job(self, kind: Kind, slot: Slot) -> tuple[str, tuple[str, ...], Kind]:
        if slot.position in SINCE:  # before advisers existed, the same person was a pedagogue-organiser
            return "organiser", (), kind
        if slot.position not in MANAGERIAL:
            return slot.position, slot.subjects, kind
        if kind == Kind.KINDERGARTEN:
            return "educator", ("preschool",), kind
        if kind == Kind.SUPPLEMENTARY_EDUCATION:
            return "supplementary_teacher", ("supplementary",), kind
        if kind == Kind.COLLEGE:
            return "lecturer", self.rng.choice(LECTURER_SUBJECTS), kind
        return "teacher", teachers(self.rng, 12)[-1].subjects, Kind.SCHOOL

    def secondary(self, main: Employment) -> None:
        """A part-time job in another organisation of the municipality."""
        who = self.persons[int(main.person_key.rsplit("-", 1)[1]) - 1]
        where, position, subjects = self.second_place(main)
        if where is None:
            return
        start = self._between(max(main.start_date, self.reference - timedelta(days=6 * 365)), self.reference)
        yesterday = self.reference - timedelta(days=1)
        end = self._between(start, yesterday) if self.rng.random() < 0.15 and start < yesterday else None
        self.add(who, where, position, subjects, self.rng.choice(SECONDARY_RATES), False, start, end)

    def second_place(self, main: Employment) -> tuple[Organisation | None, str, tuple[str, ...]]:
        position, subjects = main.position, main.subjects
        if position in ("teacher", "methodist"):
            subjects = tuple(s for s in subjects if s in SCHOOL_SUBJECTS)
            if self.peers.get(Kind.SUPPLEMENTARY_EDUCATION) and self.rng.random() < 0.5:
                return self._other(Kind.SUPPLEMENTARY_EDUCATION, main), "supplementary_teacher", ("supplementary",)
            return (self._other(Kind.SCHOOL, main), "teacher", subjects) if subjects else (None, position, ())
        if position in ("psychologist", "speech_therapist"):
            kind = self.rng.choice([Kind.SCHOOL, Kind.KINDERGARTEN, Kind.SUPPORT_CENTRE])
            return self._other(kind, main), position, subjects
        kind = next((k for k, orgs in self.peers.items() if any(o.inn == main.organisation_inn for o in orgs)), None)
        return (self._other(kind, main) if kind else None), position, subjects

    def _other(self, kind: Kind, main: Employment) -> Organisation | None:
        others = [o for o in self.peers.get(kind, []) if o.inn != main.organisation_inn]
        return self.rng.choice(others) if others else None

    def former(self, org: Organisation, slot: Slot) -> None:
        """Someone who worked here and left (retired or moved away): only an ended job."""
        who = self._person(slot)
        career = self.career_start(who.birth_date)
        last = self.reference - timedelta(days=30)
        if career >= last:
            self.persons.pop()
            return
        start = self._between(max(career, SINCE.get(slot.position, career)), last - timedelta(days=1))
        end = self._between(max(start, self.reference - timedelta(days=4 * 365)), last)
        self.add(who, org, slot.position, slot.subjects, self.rate(), True, start, max(end, start))
