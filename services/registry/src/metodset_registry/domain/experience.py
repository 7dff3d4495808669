"""Experience (стаж) and the young specialist rule, derived from employments as of a date: pure functions.

Total experience counts every day worked in any employment, overlapping periods once (two part-time jobs on
the same day are one day). Pedagogical experience counts the days in positions of the group «pedagogical».
Experience declared for the time before the platform (days up to a date) is added; the platform's own
periods then count only after that date, so nothing is counted twice. The SQL function
`staff_experience_days` (registry migration 008) computes the same numbers for list filters."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .staff import Employment, age_on

DAYS_PER_YEAR = 365.25  # a year of experience, leap days averaged


@dataclass(frozen=True)
class Declared:
    """Experience before the platform: days of work (total, pedagogical) up to and including `on`."""

    total_days: int = 0
    pedagogical_days: int = 0
    on: date | None = None  # None: the platform's periods all count besides the declared days


def declared_from_years(years: int, months: int = 0, days: int = 0) -> int:
    """Days of a declared «N лет M мес. D дн.», with the average year and month."""
    return round(years * DAYS_PER_YEAR + months * DAYS_PER_YEAR / 12) + days


@dataclass(frozen=True)
class Experience:
    total_days: int
    pedagogical_days: int

    @property
    def total_years(self) -> float:
        return years(self.total_days)

    @property
    def pedagogical_years(self) -> float:
        return years(self.pedagogical_days)


def years(days: int) -> float:
    return round(days / DAYS_PER_YEAR, 2)


def merged_days(periods: Iterable[tuple[date, date | None]], until: date, after: date | None = None) -> int:
    """Days in the union of the periods (inclusive), counting only days after `after` and up to `until`."""
    first_day = after + timedelta(days=1) if after else date.min
    cut = sorted((max(s, first_day), min(e or until, until)) for s, e in periods)
    total, last = 0, None  # `last`: the last day already counted
    for start, end in cut:
        if last is not None and start <= last:
            start = last + timedelta(days=1)
        if end >= start:
            total += (end - start).days + 1
            last = end
    return total


def experience(employments: Sequence[Employment], pedagogical: set[str], as_of: date,
               declared: Declared = Declared()) -> Experience:
    total = [p for e in employments for p in e.periods()]
    teaching = [p for e in employments for p in e.periods(pedagogical)]
    return Experience(declared.total_days + merged_days(total, as_of, declared.on),
                      declared.pedagogical_days + merged_days(teaching, as_of, declared.on))


@dataclass(frozen=True)
class YoungSpecialistRule:
    """Молодой специалист: fewer than `max_years` of pedagogical experience and younger than `max_age`."""

    max_years: int = 3
    max_age: int = 35

    def applies(self, birth: date, pedagogical_days: int, as_of: date) -> bool:
        return age_on(birth, as_of) < self.max_age and pedagogical_days / DAYS_PER_YEAR < self.max_years
