"""Support requests: an organisation declares a problem, the municipal service assigns a methodist,
consultations are recorded against it, it closes with an outcome and the requester's rating; and the
response times (declared → assigned, → first consultation, → closed) aggregated per municipality. Pure."""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from metodset_contracts.requests import RequestOutcome, RequestStatus


class RequestError(ValueError):
    def __init__(self, field: str | None, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Request:
    id: UUID
    organisation_id: UUID
    municipality_oktmo: str
    topic: str
    asked: str
    subject: str | None
    declared_at: datetime
    status: RequestStatus = RequestStatus.DECLARED
    methodist_id: UUID | None = None
    assigned_at: datetime | None = None
    first_consulted_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: RequestOutcome | None = None
    outcome_text: str | None = None
    rating: int | None = None
    consultations: int = 0


def assign(r: Request, methodist_id: UUID, at: datetime) -> Request:
    """Assign (or re-assign) a methodist; the first assignment's time stays the response time."""
    if r.status is RequestStatus.CLOSED:
        raise RequestError(None, "Запрос закрыт: назначить методиста нельзя", "closed")
    return replace(r, status=RequestStatus.ASSIGNED, methodist_id=methodist_id, assigned_at=r.assigned_at or at)


def consulted(r: Request, at: datetime) -> Request:
    if r.status is not RequestStatus.ASSIGNED:
        raise RequestError(None, "Консультацию можно записать, когда назначен методист и запрос не закрыт",
                           "not_assigned")
    return replace(r, first_consulted_at=r.first_consulted_at or at, consultations=r.consultations + 1)


def close(r: Request, outcome: RequestOutcome, text: str | None, rating: int | None, at: datetime) -> Request:
    if r.status is RequestStatus.CLOSED:
        raise RequestError(None, "Запрос уже закрыт", "closed")
    if r.status is RequestStatus.DECLARED and outcome is not RequestOutcome.WITHDRAWN:
        raise RequestError("outcome", "Без назначенного методиста запрос можно только отозвать (withdrawn)")
    if rating is not None and not 1 <= rating <= 5:
        raise RequestError("rating", "Оценка — от 1 до 5")
    return replace(r, status=RequestStatus.CLOSED, outcome=outcome, outcome_text=text, rating=rating, closed_at=at)


# ---- response times -----------------------------------------------------------------------------------------

STAGES = ("assigned", "consulted", "closed")


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max((end - start) / timedelta(hours=1), 0.0)


def response_hours(r: Request) -> dict[str, float | None]:
    """Hours from declaration to assignment, to the first consultation, to closing (null: not yet)."""
    return {"assigned": _hours(r.declared_at, r.assigned_at),
            "consulted": _hours(r.declared_at, r.first_consulted_at),
            "closed": _hours(r.declared_at, r.closed_at)}


@dataclass(frozen=True)
class StageStats:
    stage: str
    reached: int  # requests that reached the stage
    median_hours: float | None
    within: float | None  # share of all requests (of the municipality) that reached it within N days


@dataclass(frozen=True)
class MunicipalityTimes:
    municipality_oktmo: str
    requests: int
    stages: list[StageStats]
    average_rating: float | None


def stage_stats(stage: str, hours: Sequence[float | None], within_days: int) -> StageStats:
    reached = [h for h in hours if h is not None]
    limit = within_days * 24
    return StageStats(stage, len(reached), round(statistics.median(reached), 2) if reached else None,
                      round(sum(h <= limit for h in reached) / len(hours), 4) if hours else None)


def response_times(requests: Iterable[Request], within_days: int) -> list[MunicipalityTimes]:
    """Per municipality (in code order): the median hours of each stage over the requests that reached it, and
    the share of all its requests that reached it within `within_days` days (a request still waiting counts
    as not within)."""
    by_municipality: dict[str, list[Request]] = {}
    for r in requests:
        by_municipality.setdefault(r.municipality_oktmo, []).append(r)
    out = []
    for oktmo in sorted(by_municipality):
        rs = by_municipality[oktmo]
        hours = [response_hours(r) for r in rs]
        ratings = [r.rating for r in rs if r.rating is not None]
        out.append(MunicipalityTimes(
            oktmo, len(rs), [stage_stats(s, [h[s] for h in hours], within_days) for s in STAGES],
            round(sum(ratings) / len(ratings), 2) if ratings else None))
    return out
