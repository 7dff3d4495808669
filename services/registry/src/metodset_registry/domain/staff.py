"""Pedagogical staff: persons and their employments (hire, transfer, dismissal), as pure rules.

An employment runs from its start to its end (inclusive; None — still employed). Its state over time
(position, subjects, rate, main or secondary) is a sequence of terms: a transfer closes the term in effect
the day before and opens the next one, so every earlier state stays readable as of its dates."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from uuid import UUID

RATE_MIN = Decimal("0.05")
RATE_MAX = Decimal("2.00")
EARLIEST = date(1950, 1, 1)
PEDAGOGICAL = "pedagogical"  # the `group` of pedagogical positions in the positions catalogue
PERSON_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "snils", "phone", "email",
                 "experience_before_days", "experience_before_pedagogical_days", "experience_before_on")
_SPACES = re.compile(r"\s+")


class StaffRuleError(ValueError):
    """A change the rules refuse; `field` is the request's (camelCase) name of the value at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def normalise_name(text: str | None) -> str:
    """A name part as matching compares it: case, ё/е and runs of spaces do not count."""
    if not text:
        return ""
    return _SPACES.sub(" ", text.strip()).casefold().replace("ё", "е")


def name_key(last: str, first: str, middle: str | None) -> str:
    return " ".join(p for p in (normalise_name(last), normalise_name(first), normalise_name(middle)) if p)


def full_name(last: str, first: str, middle: str | None) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def age_on(birth: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_birth_date(birth: date, today: date) -> None:
    if birth < date(1900, 1, 1) or age_on(birth, today) < 14:
        raise StaffRuleError("birthDate", f"Дата рождения {birth.strftime('%d.%m.%Y')} невозможна для работника "
                                          "(не раньше 01.01.1900, возраст не меньше 14 лет)")


def parse_rate(value) -> Decimal:
    """A rate (ставка) from 0.05 to 2.00 in steps of 0.01."""
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise StaffRuleError("rate", f"Ставка «{value}» — не число") from None
    if not rate.is_finite() or rate != rate.quantize(Decimal("0.01")) or not RATE_MIN <= rate <= RATE_MAX:
        raise StaffRuleError("rate", f"Ставка {value} вне допустимого: от {RATE_MIN} до {RATE_MAX} с шагом 0,01")
    return rate.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Term:
    valid_from: date
    valid_to: date | None  # the last day; None — until the employment ends
    position: str
    subjects: tuple[str, ...]
    rate: Decimal
    main: bool

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def same_state(self, other: Term) -> bool:
        return (self.position, sorted(self.subjects), self.rate, self.main) == \
               (other.position, sorted(other.subjects), other.rate, other.main)


@dataclass(frozen=True)
class Employment:
    id: UUID
    person_id: UUID
    organisation_id: UUID
    start: date
    end: date | None
    terms: tuple[Term, ...]  # ordered by valid_from, the first starting on `start`
    version: int = 1

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def term_on(self, day: date) -> Term | None:
        """The state on `day`; None when not employed then."""
        if not self.active_on(day):
            return None
        return next((t for t in self.terms if t.covers(day)), None)

    @property
    def current(self) -> Term:
        return self.terms[-1]

    def periods(self, positions: set[str] | None = None) -> list[tuple[date, date | None]]:
        """The days worked (in the given positions), each term cut at the end of the employment."""
        return [p for t, p in self._cut() if positions is None or t.position in positions]

    def main_periods(self) -> list[tuple[date, date | None]]:
        return [p for t, p in self._cut() if t.main]

    def _cut(self) -> list[tuple[Term, tuple[date, date | None]]]:
        out = []
        for t in self.terms:
            last = min((d for d in (t.valid_to, self.end) if d is not None), default=None)
            if last is None or last >= t.valid_from:
                out.append((t, (t.valid_from, last)))
        return out


def _overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    return (b[1] is None or a[0] <= b[1]) and (a[1] is None or b[0] <= a[1])


def main_conflict(candidate: Employment, others: Iterable[Employment]) -> Employment | None:
    """Another employment of the person that is main on a day the candidate is main: one main at a time."""
    mine = candidate.main_periods()
    for other in others:
        if other.id == candidate.id:
            continue
        if any(_overlap(a, b) for a in mine for b in other.main_periods()):
            return other
    return None


def check_subjects(subjects: Sequence[str]) -> tuple[str, ...]:
    if len(set(subjects)) != len(subjects):
        raise StaffRuleError("subjects", "Предмет указан дважды")
    return tuple(subjects)


def hire(employment_id: UUID, person_id: UUID, organisation_id: UUID, start: date, position: str,
         subjects: Sequence[str], rate, main: bool, today: date, others: Sequence[Employment] = ()) -> Employment:
    if start < EARLIEST:
        raise StaffRuleError("startDate", f"Дата приёма {start.strftime('%d.%m.%Y')} раньше 01.01.1950")
    if start > today + timedelta(days=366):
        raise StaffRuleError("startDate", "Дата приёма больше чем на год вперёд")
    term = Term(start, None, position, check_subjects(subjects), parse_rate(rate), main)
    employment = Employment(employment_id, person_id, organisation_id, start, None, (term,))
    _check_main(employment, others)
    return employment


def _check_main(employment: Employment, others: Sequence[Employment]) -> None:
    conflict = main_conflict(employment, others)
    if conflict is not None:
        raise StaffRuleError("main", f"У работника уже есть основное место работы на эти даты (с "
                                     f"{conflict.start.strftime('%d.%m.%Y')}): основное место работы одно")


def transfer(employment: Employment, on: date, *, position: str | None = None,
             subjects: Sequence[str] | None = None, rate=None, main: bool | None = None,
             others: Sequence[Employment] = ()) -> tuple[Employment, list[str]]:
    """The employment with a new term from `on` (the previous one closed the day before) and the names of
    the changed fields. Transfers follow each other: `on` is after the start of the term in effect."""
    current = employment.current
    if employment.end is not None and on > employment.end:
        raise StaffRuleError("effectiveDate", f"Работник уволен {employment.end.strftime('%d.%m.%Y')}: перевод "
                                              "после увольнения невозможен")
    if on <= current.valid_from:
        since = current.valid_from.strftime("%d.%m.%Y")
        raise StaffRuleError("effectiveDate", f"Дата перевода должна быть позже {since} — начала действующих условий")
    new = Term(on, None, position or current.position,
               check_subjects(subjects) if subjects is not None else current.subjects,
               parse_rate(rate) if rate is not None else current.rate,
               current.main if main is None else main)
    changed = _changed(current, new)
    if not changed:
        raise StaffRuleError("position", "Перевод ничего не меняет: должность, предметы, ставка и вид занятости те же")
    terms = (*employment.terms[:-1], replace(current, valid_to=on - timedelta(days=1)), new)
    moved = replace(employment, terms=terms, version=employment.version + 1)
    _check_main(moved, others)
    return moved, changed


def _changed(old: Term, new: Term) -> list[str]:
    out = []
    if old.position != new.position:
        out.append("position")
    if sorted(old.subjects) != sorted(new.subjects):
        out.append("subjects")
    if old.rate != new.rate:
        out.append("rate")
    if old.main != new.main:
        out.append("main")
    return out


def dismiss(employment: Employment, end: date, today: date) -> Employment:
    """The employment ended on `end` (its last day): not before the start nor before the state in effect
    began (a transfer recorded for a later day would be cut away), not more than a year ahead."""
    if employment.end is not None:
        raise StaffRuleError("endDate", f"Работник уже уволен {employment.end.strftime('%d.%m.%Y')}")
    if end < employment.start:
        raise StaffRuleError("endDate", f"Дата увольнения {end.strftime('%d.%m.%Y')} раньше даты приёма "
                                        f"{employment.start.strftime('%d.%m.%Y')}")
    if end < employment.current.valid_from:
        raise StaffRuleError("endDate", f"Дата увольнения {end.strftime('%d.%m.%Y')} раньше перевода "
                                        f"{employment.current.valid_from.strftime('%d.%m.%Y')}")
    if end > today + timedelta(days=366):
        raise StaffRuleError("endDate", "Дата увольнения больше чем на год вперёд")
    return replace(employment, end=end, version=employment.version + 1)


def changed_person_fields(old: dict, new: dict) -> list[str]:
    """Names of the person's fields whose values differ (the only facts an update event carries)."""
    return [f for f in PERSON_FIELDS if f in new and new[f] != old.get(f)]
