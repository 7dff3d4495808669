"""Periods indicators are computed for: an academic year (2025/2026), a calendar year (2026), a quarter
(2026-Q1). Pure: parsing, bounds, the same period a year earlier, the recent periods of a kind."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from metodset_kit.errors import DomainError


class PeriodKind(StrEnum):
    ACADEMIC_YEAR = "academic_year"
    CALENDAR_YEAR = "calendar_year"
    QUARTER = "quarter"


PERIOD_TITLES = {
    PeriodKind.ACADEMIC_YEAR: "учебный год",
    PeriodKind.CALENDAR_YEAR: "календарный год",
    PeriodKind.QUARTER: "квартал",
}

_ACADEMIC = re.compile(r"^(\d{4})/(\d{4})$")
_CALENDAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class BadPeriod(DomainError):
    def __init__(self, value: str, field: str = "period"):
        super().__init__(field, f"Период «{value[:40]}» не распознан: ожидается учебный год (2025/2026), "
                                "календарный год (2026) или квартал (2026-Q1)", "invalid_period", where="query")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    code: str
    kind: PeriodKind

    @property
    def end_year(self) -> int:
        return self.end.year

    def previous(self) -> Period:
        """The same period a year earlier: what dynamics and rank changes compare with."""
        return shifted(self, -1)


def parse(value: str, field: str = "period") -> Period:
    if m := _ACADEMIC.match(value):
        first, second = int(m[1]), int(m[2])
        if second != first + 1 or not 2000 <= first <= 2100:
            raise BadPeriod(value, field)
        return Period(date(first, 9, 1), date(second, 8, 31), value, PeriodKind.ACADEMIC_YEAR)
    if m := _CALENDAR.match(value):
        year = int(m[1])
        if not 2000 <= year <= 2100:
            raise BadPeriod(value, field)
        return Period(date(year, 1, 1), date(year, 12, 31), value, PeriodKind.CALENDAR_YEAR)
    if m := _QUARTER.match(value):
        year, q = int(m[1]), int(m[2])
        if not 2000 <= year <= 2100:
            raise BadPeriod(value, field)
        start = date(year, 3 * q - 2, 1)
        end = date(year, 12, 31) if q == 4 else date.fromordinal(date(year, 3 * q + 1, 1).toordinal() - 1)
        return Period(start, end, value, PeriodKind.QUARTER)
    raise BadPeriod(value, field)


def shifted(period: Period, years: int) -> Period:
    if period.kind is PeriodKind.ACADEMIC_YEAR:
        return parse(f"{period.start.year + years}/{period.start.year + years + 1}")
    if period.kind is PeriodKind.CALENDAR_YEAR:
        return parse(str(period.start.year + years))
    return parse(f"{period.start.year + years}-Q{(period.start.month + 2) // 3}")


def containing(day: date, kind: PeriodKind) -> Period:
    if kind is PeriodKind.ACADEMIC_YEAR:
        first = day.year if day.month >= 9 else day.year - 1
        return parse(f"{first}/{first + 1}")
    if kind is PeriodKind.CALENDAR_YEAR:
        return parse(str(day.year))
    return parse(f"{day.year}-Q{(day.month + 2) // 3}")


def recent(kind: PeriodKind, today: date, years: int) -> list[Period]:
    """The period containing today and those of the `years - 1` years before it, oldest first."""
    current = containing(today, kind)
    if kind is PeriodKind.QUARTER:
        out, p = [], current
        for _ in range(4 * years):
            out.append(p)
            p = containing(date.fromordinal(p.start.toordinal() - 1), kind)
        return sorted(out)
    return [shifted(current, -i) for i in reversed(range(years))]
