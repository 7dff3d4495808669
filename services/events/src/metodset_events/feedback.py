"""Feedback on an event: a rating 1–5 and a comment per participant, recorded on their behalf by their methodist
or organisation administrator (or the coordinator); aggregated for the organiser."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import DomainError, NotFound, visible_or_missing
from metodset_kit.hostile import prefix

from .access import facts, managed_event, manages_person, missing_event
from .domain.feedback import Summary, summarise

router = APIRouter(tags=["feedback"])


class FeedbackAnswer(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


class FeedbackSummary(BaseModel):
    count: int
    average: float | None
    distribution: dict[str, int]  # "1".."5" → answers
    comments: list[str]  # without who wrote them

    @classmethod
    def of(cls, summary: Summary) -> FeedbackSummary:
        return cls(count=summary.count, average=summary.average,
                   distribution={str(k): v for k, v in summary.distribution.items()}, comments=summary.comments)


NOT_PARTICIPANT = "Оставить отзыв может только участник мероприятия / only a participant gives feedback"


@router.put("/events/{eventId}/feedback/{personId}", operation_id="recordFeedback", status_code=204,
            summary="Отзыв участника о мероприятии (оценка 1–5 и комментарий)")
async def record(request: Request, principal: CurrentPrincipal, eventId: str, personId: str, body: FeedbackAnswer):
    async with request.app.state.pool.acquire() as conn:
        event = await facts(request).event(conn, eventId)
        visible_or_missing(event is not None, missing_event(eventId))
        allowed = await manages_person(conn, request, principal, personId)
        visible_or_missing(allowed, NotFound("personId", f"Сотрудник {prefix(personId)} не найден", where="path"))
        if personId not in await facts(request).participants(conn, eventId):
            raise DomainError("personId", NOT_PARTICIPANT, "not_participant", where="path")
        await conn.execute(
            "insert into event_feedback (event_id, person_id, rating, comment, recorded_by) values ($1, $2, $3, $4, $5)"
            " on conflict (event_id, person_id) do update set rating = excluded.rating, comment = excluded.comment,"
            " recorded_by = excluded.recorded_by, recorded_at = now()",
            eventId, personId, body.rating, body.comment.strip(), principal.subject)
    return Response(status_code=204)


@router.get("/events/{eventId}/feedback", operation_id="eventFeedback", response_model=FeedbackSummary,
            summary="Сводка отзывов о мероприятии (для организатора)")
async def summary(request: Request, principal: CurrentPrincipal, eventId: str):
    async with request.app.state.pool.acquire() as conn:
        await managed_event(conn, request, principal, eventId)
        rows = await conn.fetch("select rating, comment from event_feedback where event_id = $1 order by recorded_at",
                                eventId)
    return FeedbackSummary.of(summarise([(r["rating"], r["comment"]) for r in rows]))
