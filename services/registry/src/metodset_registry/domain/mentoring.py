"""Mentoring (наставничество) as pure rules: a mentor and their mentees in a pair or a group, for a period.

A mentor is never their own mentee; a pair form has exactly one mentee, the group form at least two; the
mentor's load (the mentees of their mentorings active on a day) may not pass the region's maximum; a
mentoring ends on a day not before its start and not after today, completed or terminated, with an outcome.
The forms are the catalogue mentoring_forms (metodset_contracts.reference, extended by the region)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from metodset_contracts.mentoring import MentoringOutcome, MentoringStatus

EARLIEST = date(1990, 1, 1)
GROUP = "group"  # the catalogue's extra "kind" of a form for a group; anything else is a pair


class MentoringError(ValueError):
    """A mentoring that cannot be; `field` names the request's value at fault."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


class MentorOverloaded(MentoringError):
    """The mentor already has as many mentees as the region allows."""


@dataclass(frozen=True)
class Mentoring:
    id: UUID
    mentor_id: UUID
    mentee_ids: tuple[UUID, ...]
    form: str
    start: date
    municipality_oktmo: str
    organisation_id: UUID | None = None
    programme: str | None = None
    end: date | None = None
    status: MentoringStatus = MentoringStatus.ACTIVE
    outcome_code: MentoringOutcome | None = None
    outcome: str | None = None
    version: int = 1

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def persons(self) -> set[UUID]:
        return {self.mentor_id, *self.mentee_ids}


CARRIED_OUT = frozenset({MentoringOutcome.ACHIEVED, MentoringOutcome.PARTLY_ACHIEVED})


def completes_route_items(m: Mentoring) -> bool:
    """Whether the mentoring is the fact that completes its mentees' route items of kind mentoring: the
    mentoring itself is the item, so its start does not complete it, and neither does an early termination or a
    programme whose goals were not achieved; a completed programme with its goals achieved (or partly) does."""
    return m.status is MentoringStatus.COMPLETED and m.outcome_code in CARRIED_OUT


def load(mentor_id: UUID, mentorings: Iterable[Mentoring], day: date) -> int:
    """How many mentees the mentor has in mentorings active on `day` (a person in two of them counts once)."""
    return len({m for x in mentorings if x.mentor_id == mentor_id and x.active_on(day) for m in x.mentee_ids})


def check_new(new: Mentoring, forms: Mapping[str, str], existing: Sequence[Mentoring], max_mentees: int,
              today: date) -> None:
    """`forms`: code → kind ("pair" or "group"); `existing`: the mentor's and the mentees' other mentorings."""
    kind = forms.get(new.form)
    if kind is None:
        raise MentoringError("form", f"Формы наставничества «{new.form}» нет в справочнике mentoring_forms",
                             "unknown")
    if not new.mentee_ids:
        raise MentoringError("menteeIds", "Укажите хотя бы одного наставляемого", "missing")
    if len(set(new.mentee_ids)) != len(new.mentee_ids):
        raise MentoringError("menteeIds", "Наставляемый указан дважды")
    if new.mentor_id in new.mentee_ids:
        raise MentoringError("menteeIds", "Наставник не может быть своим наставляемым")
    if kind == GROUP and len(new.mentee_ids) < 2:
        raise MentoringError("menteeIds", "Групповое наставничество — не меньше двух наставляемых")
    if kind != GROUP and len(new.mentee_ids) != 1:
        raise MentoringError("menteeIds", "В паре наставничества ровно один наставляемый")
    if new.start < EARLIEST:
        raise MentoringError("startDate", f"Дата начала раньше {EARLIEST.isoformat()}")
    if new.start > date(today.year + 1, today.month, min(today.day, 28)):
        raise MentoringError("startDate", "Дата начала больше чем через год от сегодняшнего дня")
    _check_repeat(new, existing)
    _check_load(new, existing, max_mentees)


def _open_from(m: Mentoring, day: date) -> bool:
    """Active on `day` or later: the mentoring's period reaches `day`."""
    return m.end is None or m.end >= day


def _check_repeat(new: Mentoring, existing: Sequence[Mentoring]) -> None:
    for other in existing:
        if other.mentor_id == new.mentor_id and _open_from(other, new.start) \
                and set(other.mentee_ids) & set(new.mentee_ids):
            raise MentoringError("menteeIds", "Этот наставник уже ведёт наставляемого в действующем наставничестве",
                                 "duplicate")


def _check_load(new: Mentoring, existing: Sequence[Mentoring], max_mentees: int) -> None:
    mine = {m for x in existing if x.mentor_id == new.mentor_id and _open_from(x, new.start) for m in x.mentee_ids}
    after = len(mine | set(new.mentee_ids))
    if after > max_mentees:
        raise MentorOverloaded("mentorId", f"У наставника уже {len(mine)} наставляемых; больше {max_mentees} "
                                           "одновременно не допускается", "overloaded")


def end(m: Mentoring, last_day: date, status: MentoringStatus, outcome_code: MentoringOutcome,
        outcome: str | None, today: date) -> Mentoring:
    if m.status is not MentoringStatus.ACTIVE:
        raise MentoringError("id", "Наставничество уже завершено", "ended")
    if status is MentoringStatus.ACTIVE:
        raise MentoringError("status", "Завершить можно со статусом completed или terminated")
    if last_day < m.start:
        raise MentoringError("endDate", f"Дата окончания раньше даты начала {m.start.isoformat()}")
    if last_day > today:
        raise MentoringError("endDate", "Дата окончания не может быть позже сегодняшнего дня")
    return replace(m, end=last_day, status=status, outcome_code=outcome_code, outcome=outcome, version=m.version + 1)
