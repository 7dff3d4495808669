"""Support cases of low-result schools (ШНОР): opened for each low_results flag the registry sets, active once a
curator takes it, closed with an outcome (or when the flag is cleared); a support plan of dated items; visits
and consultations on a timeline. Pure: no I/O."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from uuid import UUID, uuid5

from metodset_contracts.recommendations import CaseOutcome
from metodset_contracts.recommendations import CaseStatus as Status

from .errors import RuleError


class CaseError(RuleError):
    """A support case rule refused the change."""


@dataclass(frozen=True)
class SupportCase:
    id: UUID
    flag_id: UUID
    organisation_id: UUID
    municipality_oktmo: str
    opened_on: date
    status: Status = Status.OPENED
    curator_id: UUID | None = None
    closed_on: date | None = None
    outcome: CaseOutcome | None = None
    outcome_text: str | None = None
    flag_cleared_on: date | None = None


_CASES = UUID("0b6c3f2e-5a51-4f57-9a57-1c3e4b1d6a01")


def case_id_of(flag_id: UUID) -> UUID:
    """One case per flag, with the same id whenever the flag's events are applied (a replay gives the same ids)."""
    return uuid5(_CASES, str(flag_id))


def opened(flag_id: UUID, organisation_id: UUID, municipality_oktmo: str, valid_from: date) -> SupportCase:
    return SupportCase(case_id_of(flag_id), flag_id, organisation_id, municipality_oktmo, opened_on=valid_from)


def _open(c: SupportCase) -> None:
    if c.status is Status.CLOSED:
        raise CaseError(None, "Сопровождение закрыто: изменить его нельзя", "closed")


def set_curator(c: SupportCase, curator_id: UUID) -> SupportCase:
    _open(c)
    return replace(c, curator_id=curator_id, status=Status.ACTIVE)


def close(c: SupportCase, outcome: CaseOutcome, text: str | None, today: date) -> SupportCase:
    _open(c)
    if outcome is CaseOutcome.FLAG_CLEARED:
        raise CaseError("outcome", "Итог «признак ШНОР снят» ставится по событию реестра")
    return replace(c, status=Status.CLOSED, outcome=outcome, outcome_text=text, closed_on=today)


def flag_cleared(c: SupportCase, valid_to: date) -> SupportCase:
    """The registry cleared the flag: an open case closes with that outcome on the flag's last day; a case a
    methodist closed already keeps their outcome and only learns the date."""
    if c.status is Status.CLOSED:
        return replace(c, flag_cleared_on=valid_to)
    return replace(c, status=Status.CLOSED, outcome=CaseOutcome.FLAG_CLEARED, closed_on=max(valid_to, c.opened_on),
                   flag_cleared_on=valid_to)


def fact_attrs(c: SupportCase) -> dict:
    return {"status": c.status.value, "flag": "low_results"}


# ---- the support plan ---------------------------------------------------------------------------------------

class ItemStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


ITEM_STATUS_TITLES = {ItemStatus.PLANNED: "запланировано", ItemStatus.IN_PROGRESS: "выполняется",
                      ItemStatus.DONE: "выполнено", ItemStatus.CANCELLED: "отменено"}


@dataclass(frozen=True)
class PlanItem:
    id: UUID
    case_id: UUID
    title: str
    starts_on: date | None
    due_on: date
    status: ItemStatus = ItemStatus.PLANNED
    done_on: date | None = None
    notes: str | None = None


def check_dates(starts_on: date | None, due_on: date) -> None:
    if starts_on is not None and starts_on > due_on:
        raise CaseError("dueOn", "Срок пункта плана не может быть раньше его начала")


def item_progress(item: PlanItem, status: ItemStatus, notes: str | None, today: date) -> PlanItem:
    done_on = None
    if status is ItemStatus.DONE:
        done_on = item.done_on if item.status is ItemStatus.DONE and item.done_on else today
    return replace(item, status=status, notes=notes if notes is not None else item.notes, done_on=done_on)


def item_overdue(item: PlanItem, today: date) -> bool:
    return item.status in (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS) and today > item.due_on


# ---- the timeline -------------------------------------------------------------------------------------------

class VisitKind(StrEnum):
    VISIT = "visit"  # a visit to the school, recorded in monitoring
    CONSULTATION = "consultation"  # a consultation of the events service (a support request of the school)


@dataclass(frozen=True)
class TimelineEntry:
    kind: VisitKind
    on: date
    id: UUID
    methodist_id: UUID | None = None
    request_id: UUID | None = None
    minutes: int | None = None


def within(c: SupportCase, on: date) -> bool:
    """Whether a visit or consultation falls into the case's period (the case's timeline)."""
    return on >= c.opened_on and (c.closed_on is None or on <= c.closed_on)


def timeline(c: SupportCase, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted((e for e in entries if within(c, e.on)), key=lambda e: (e.on, e.kind.value, str(e.id)))
