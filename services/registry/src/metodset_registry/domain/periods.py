"""Periods of marks on an organisation (flags, site statuses): inclusive at both ends, open when `to` is None.

A mark is never overwritten: clearing records the last day it applied beside the end it was set with."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

EARLIEST = date(1990, 1, 1)


class PeriodError(ValueError):
    """A mark that cannot be: its period ends before it starts or starts before the registers existed, or
    it lacks what its kind needs. `field` is the request's name of the value at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class PeriodOverlap(PeriodError):
    """The period meets another of the same mark: marks of one kind follow each other, never overlap."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None  # the last day, inclusive; None — until further notice

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        return (other.end is None or self.start <= other.end) and (self.end is None or other.start <= self.end)


def check_period(period: Period) -> None:
    if period.start < EARLIEST:
        raise PeriodError("from", f"Дата начала {period.start.isoformat()} раньше {EARLIEST.isoformat()}")
    if period.end is not None and period.end < period.start:
        raise PeriodError("to", f"Дата окончания {period.end.isoformat()} раньше даты начала "
                                f"{period.start.isoformat()}")


def first_overlap(period: Period, others: Iterable[Period]) -> Period | None:
    return next((o for o in others if period.overlaps(o)), None)


def describe(period: Period) -> str:
    end = period.end.isoformat() if period.end else "без срока"
    return f"{period.start.isoformat()} — {end}"


def ended(period: Period, last_day: date) -> Period:
    """The period cut at `last_day` (inclusive); it may only be shortened, never extended or emptied."""
    if last_day < period.start:
        raise PeriodError("to", f"Дата окончания {last_day.isoformat()} раньше даты начала "
                                f"{period.start.isoformat()}")
    if period.end is not None and last_day >= period.end:
        raise PeriodError("to", f"Период уже заканчивается {period.end.isoformat()}: "
                                "снять можно только более ранней датой")
    return Period(period.start, last_day)
