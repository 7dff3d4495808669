"""The rules of a methodical event, without I/O: the schedule's checks, the registration window, the audience,
capacity and quotas, the waiting list's order, attendance → hours → completion."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_ATTENDANCE_PERCENT = 75
CHECK_IN_EARLY = timedelta(hours=1)  # the door opens an hour before a session starts
COURSE_MIN_HOURS = 16  # a completed programme this long becomes a course record in the registry


class RuleError(ValueError):
    """A broken rule of the schedule, naming the field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    PENDING = "pending"  # awaiting the organiser's approval; holds a place
    WAITLISTED = "waitlisted"
    REFUSED = "refused"


class Reason(StrEnum):
    FULL = "full"
    QUOTA_USED = "quota_used"
    OUTSIDE_AUDIENCE = "outside_audience"
    WINDOW_CLOSED = "window_closed"
    NOT_OPEN_YET = "not_open_yet"
    EVENT_CANCELLED = "event_cancelled"
    UNKNOWN_PERSON = "unknown_person"


REASON_TEXTS: dict[Reason, str] = {
    Reason.FULL: "Мест нет: участник записан в лист ожидания",
    Reason.QUOTA_USED: "Квота муниципалитета на это мероприятие исчерпана",
    Reason.OUTSIDE_AUDIENCE: "Работник не входит в целевую аудиторию мероприятия (должность, предмет или "
                             "муниципалитет)",
    Reason.WINDOW_CLOSED: "Регистрация на мероприятие закрыта",
    Reason.NOT_OPEN_YET: "Регистрация на мероприятие ещё не открыта",
    Reason.EVENT_CANCELLED: "Мероприятие отменено",
    Reason.UNKNOWN_PERSON: "Работник не найден",
}


@dataclass(frozen=True)
class Session:
    starts_at: datetime
    ends_at: datetime
    hours: int


@dataclass(frozen=True)
class Audience:
    """Empty lists: no restriction on that attribute."""

    positions: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """A current employment of a person, as the projection of the registry knows it."""

    organisation_id: object
    municipality_oktmo: str
    position: str
    subjects: tuple[str, ...] = field(default=())


def check_schedule(sessions: Sequence[Session], capacity: int, opens: datetime, closes: datetime,
                   attendance_percent: int) -> None:
    if not sessions:
        raise RuleError("sessions", "Нужно хотя бы одно занятие")
    for i, s in enumerate(sessions):
        if s.ends_at <= s.starts_at:
            raise RuleError(f"sessions.{i}.endsAt", "Занятие заканчивается раньше, чем начинается")
        if s.hours < 1:
            raise RuleError(f"sessions.{i}.hours", "Не меньше одного часа")
    if capacity < 1:
        raise RuleError("capacity", "Число мест — не меньше одного")
    if closes <= opens:
        raise RuleError("registrationCloses", "Регистрация закрывается раньше, чем открывается")
    if not 1 <= attendance_percent <= 100:
        raise RuleError("attendancePercent", "Правило посещаемости — от 1 до 100 % часов")


def check_quotas(quotas: dict[str, int]) -> None:
    for oktmo, places in quotas.items():
        if places < 1:
            raise RuleError("quotas", f"Квота муниципалитета {oktmo} — не меньше одного места")


def window_refusal(opens: datetime, closes: datetime, now: datetime) -> Reason | None:
    if now < opens:
        return Reason.NOT_OPEN_YET
    if now >= closes:
        return Reason.WINDOW_CLOSED
    return None


def fits(audience: Audience, job: Job) -> bool:
    if audience.positions and job.position not in audience.positions:
        return False
    if audience.subjects and not set(audience.subjects) & set(job.subjects):
        return False
    return not audience.municipalities or job.municipality_oktmo in audience.municipalities


def fitting_job(audience: Audience, jobs: Sequence[Job]) -> Job | None:
    """The first of a person's jobs (main first) within the audience."""
    return next((j for j in jobs if fits(audience, j)), None)


def admit(*, capacity: int, taken: int, quota: int | None, quota_used: int, requires_approval: bool) -> Outcome:
    """A new registration under the event's lock: `taken` — places held (confirmed and pending); a quota
    counts every live claim of the municipality (held and waiting), so a waiting one needs no second check."""
    if quota is not None and quota_used >= quota:
        return Outcome.REFUSED
    if taken >= capacity:
        return Outcome.WAITLISTED
    return Outcome.PENDING if requires_approval else Outcome.CONFIRMED


def promotable(waiting_in_order: Sequence, capacity: int, taken: int) -> list:
    """Who moves up from the waiting list, in their order, into the places free."""
    return list(waiting_in_order[:max(0, capacity - taken)])


def credited_hours(attended_session_hours: Sequence[int]) -> int:
    return sum(attended_session_hours)


def required_hours(total_hours: int, attendance_percent: int) -> int:
    return math.ceil(total_hours * attendance_percent / 100)


def completed(hours: int, total_hours: int, attendance_percent: int) -> bool:
    return total_hours > 0 and hours >= required_hours(total_hours, attendance_percent)


def becomes_course(programme_hours: int) -> bool:
    return programme_hours >= COURSE_MIN_HOURS


def check_in_open(session: Session, now: datetime) -> bool:
    return session.starts_at - CHECK_IN_EARLY <= now <= session.ends_at
