"""Course records (КПК: повышение квалификации, профессиональная переподготовка) and the course rule, without I/O.

A qualification upgrade is at least 16 hours, a retraining at least 250; a course ends on or after its start
and not after the day it is recorded. The course rule: a person is overdue on a day when no upgrade course
ended within the N years up to it — the last upgrade's end plus N years is the day the next one is due, and
on that very day the person is not yet overdue."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from metodset_contracts.courses import CourseKind

MIN_HOURS = {CourseKind.UPGRADE: 16, CourseKind.RETRAINING: 250}
MAX_HOURS = 10000
KIND_TITLES = {CourseKind.UPGRADE: "повышение квалификации", CourseKind.RETRAINING: "профессиональная переподготовка"}
DEFAULT_COURSE_YEARS = 3


class CourseFormat(StrEnum):
    FULL_TIME = "full_time"
    MIXED = "mixed"
    PART_TIME = "part_time"
    DISTANCE = "distance"


FORMAT_TITLES = {CourseFormat.FULL_TIME: "очная", CourseFormat.MIXED: "очно-заочная",
                 CourseFormat.PART_TIME: "заочная", CourseFormat.DISTANCE: "с применением ДОТ"}


class CourseRuleError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CourseFacts:
    """What a course record says; who the provider is: an organisation of the registry, or a name as text."""

    kind: CourseKind
    programme: str
    hours: int
    start_date: date
    end_date: date
    provider_organisation_id: object = None
    provider: str | None = None
    format: CourseFormat | None = None
    certificate_number: str | None = None

    def key(self) -> tuple:
        """The same course twice (an import run again): person aside, programme, end and certificate."""
        return (_plain(self.programme), self.end_date, (self.certificate_number or "").strip().casefold())


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


def check_course(c: CourseFacts, today: date) -> None:
    """Raise CourseRuleError naming the field of the first broken rule."""
    if not c.programme or not c.programme.strip():
        raise CourseRuleError("programme", "Не указано название программы")
    least = MIN_HOURS[CourseKind(c.kind)]
    if c.hours < least:
        raise CourseRuleError("hours", f"{KIND_TITLES[CourseKind(c.kind)].capitalize()}: не менее {least} часов, "
                                       f"указано {c.hours}")
    if c.hours > MAX_HOURS:
        raise CourseRuleError("hours", f"Не больше {MAX_HOURS} часов")
    if c.end_date < c.start_date:
        raise CourseRuleError("endDate", "Дата окончания раньше даты начала")
    if c.end_date > today:
        raise CourseRuleError("endDate", "Дата окончания в будущем: записываются пройденные курсы")


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_upgrade(ends: list[tuple[CourseKind, date]], day: date) -> date | None:
    """The end of the last upgrade course finished by `day` (retraining does not count for the rule)."""
    done = [end for kind, end in ends if CourseKind(kind) is CourseKind.UPGRADE and end <= day]
    return max(done, default=None)


def course_due(last_end: date | None, years: int = DEFAULT_COURSE_YEARS) -> date | None:
    """The day the next upgrade course is due: N years after the last; None when there never was one."""
    return add_years(last_end, years) if last_end else None


def course_overdue(last_end: date | None, day: date, years: int = DEFAULT_COURSE_YEARS) -> bool:
    """No upgrade course ended within N years up to `day` (the due day itself is still in time)."""
    return last_end is None or add_years(last_end, years) < day


def overdue_since(day: date, years: int = DEFAULT_COURSE_YEARS) -> date:
    """The earliest end of an upgrade course that keeps a person in time on `day` (the SQL filter's bound)."""
    back = add_years(day, -years)
    # add_years(back, years) must be >= day; 29 Feb moved back lands on 28 Feb, which moves forward to 28 Feb
    return back if add_years(back, years) >= day else date.fromordinal(back.toordinal() + 1)
