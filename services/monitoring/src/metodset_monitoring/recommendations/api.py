"""REST entry points of recommendations and their rules; they only turn requests into use cases."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from metodset_contracts.recommendations import ADDRESSEE_TITLES, RECOMMENDATION_STATUS_TITLES, RecommendationStatus
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import decode_cursor, encode_cursor

from ..domain.recommendations import DIRECTION_TITLES, Recommendation, Rule, closed_on_time, is_overdue
from ..publishing import today
from ..schemas import Code, Cursor, Oktmo, Pool
from . import handlers
from .repository import ORDER, RecommendationFilter
from .schemas import (
    RecommendationAssign,
    RecommendationCancel,
    RecommendationClose,
    RecommendationEdit,
    RecommendationPage,
    RecommendationPublic,
    RuleIn,
    RulePublic,
    SharesPublic,
)

router = APIRouter()
TAGS = ["recommendations"]
NOT_FOUND = {404: {"description": "Рекомендация не найдена или вне области доступа (отвечают одинаково)"}}


def public(r: Recommendation) -> RecommendationPublic:
    day = today()
    return RecommendationPublic(
        id=r.id, rule=r.rule, indicator=r.indicator, period=r.period, level=r.level, subject=r.subject,
        municipality_oktmo=r.municipality_oktmo, organisation_id=r.organisation_id, addressee=r.addressee,
        addressee_title=ADDRESSEE_TITLES[r.addressee], text=r.text, value=r.value,
        current_value=r.current_value, threshold=r.threshold,
        status=r.status, status_title=RECOMMENDATION_STATUS_TITLES[r.status], raised_on=r.raised_on, due_on=r.due_on,
        overdue=is_overdue(r, day), closed_on_time=closed_on_time(r), assignee_id=r.assignee_id,
        closed_on=r.closed_on, evidence_text=r.evidence_text, evidence_link=r.evidence_link,
        cancel_reason=r.cancel_reason, value_returned_on=r.value_returned_on)


def rule_public(r: Rule) -> RulePublic:
    return RulePublic(code=r.code, indicator=r.indicator, level=r.level, threshold=r.threshold,
                      direction=r.direction, addressee=r.addressee, template=r.template, due_days=r.due_days,
                      active=r.active, direction_title=DIRECTION_TITLES[r.direction],
                      addressee_title=ADDRESSEE_TITLES[r.addressee])


@router.get("/recommendations", operation_id="listRecommendations", tags=TAGS,
            summary="Адресные рекомендации в области доступа (фильтры), страница по курсору",
            description="Аналитику — 403: ему доступны только доли (GET /recommendations/shares).",
            response_model=RecommendationPage, response_model_by_alias=True)
async def list_recommendations(
    principal: CurrentPrincipal, pool: Pool,
    municipality: Oktmo | None = None, organisation: UUID | None = None, status: RecommendationStatus | None = None,
    indicator: Code | None = None,
    overdue: Annotated[bool, Query(description="Только просроченные (открытые после срока)")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    seek = decode_cursor(ORDER, after) if after is not None else None
    f = RecommendationFilter(municipality, organisation, status, indicator, today() if overdue else None)
    found, total, more = await handlers.listing(pool, principal, f, limit, seek)
    return RecommendationPage(items=[public(r) for r in found], total_count=total,
                              next_cursor=encode_cursor(ORDER, (found[-1].id,)) if more else None)


@router.get("/recommendations/shares", operation_id="recommendationShares", tags=TAGS,
            summary="Доли просроченных и закрытых в срок рекомендаций по муниципалитетам и по региону",
            response_model=list[SharesPublic], response_model_by_alias=True)
async def recommendation_shares(
    principal: CurrentPrincipal, pool: Pool,
    municipality: Annotated[list[Oktmo] | None, Query(max_length=500)] = None,
    on: Annotated[date | None, Query(description="На дату (по умолчанию сегодня)")] = None,
):
    return [SharesPublic(scope=s.scope, total=s.total, open=s.open, overdue=s.overdue, closed=s.closed,
                         closed_on_time=s.closed_on_time, overdue_share=s.overdue_share,
                         closed_on_time_share=s.closed_on_time_share)
            for s in await handlers.shares(pool, principal, municipality, on)]


@router.get("/recommendations/{rec_id}", operation_id="getRecommendation", tags=TAGS, summary="Рекомендация",
            response_model=RecommendationPublic, response_model_by_alias=True, responses=NOT_FOUND)
async def get_recommendation(rec_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, rec_id))


@router.patch("/recommendations/{rec_id}", operation_id="editRecommendation", tags=TAGS,
              summary="Изменить текст, срок; взять в работу", response_model=RecommendationPublic,
              response_model_by_alias=True, responses=NOT_FOUND)
async def edit_recommendation(rec_id: UUID, data: RecommendationEdit, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.edit(pool, principal, rec_id, data))


@router.post("/recommendations/{rec_id}/assign", operation_id="assignRecommendation", tags=TAGS,
             summary="Назначить исполнителя (повторно — сменить)", response_model=RecommendationPublic,
             response_model_by_alias=True, responses=NOT_FOUND)
async def assign_recommendation(rec_id: UUID, data: RecommendationAssign, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.assign(pool, principal, rec_id, data))


@router.post("/recommendations/{rec_id}/close", operation_id="closeRecommendation", tags=TAGS,
             summary="Закрыть с подтверждением исполнения (текст и ссылка)", response_model=RecommendationPublic,
             response_model_by_alias=True, responses=NOT_FOUND)
async def close_recommendation(rec_id: UUID, data: RecommendationClose, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.close(pool, principal, rec_id, data))


@router.post("/recommendations/{rec_id}/cancel", operation_id="cancelRecommendation", tags=TAGS,
             summary="Отменить рекомендацию с причиной", response_model=RecommendationPublic,
             response_model_by_alias=True, responses=NOT_FOUND)
async def cancel_recommendation(rec_id: UUID, data: RecommendationCancel, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.cancel(pool, principal, rec_id, data))


@router.get("/recommendation-rules", operation_id="listRecommendationRules", tags=TAGS,
            summary="Правила формирования рекомендаций (данные)", response_model=list[RulePublic],
            response_model_by_alias=True)
async def list_rules(principal: CurrentPrincipal, pool: Pool):
    return [rule_public(r) for r in await handlers.all_rules(pool, principal)]


@router.put("/recommendation-rules/{code}", operation_id="putRecommendationRule", tags=TAGS,
            summary="Создать или изменить правило (региональный координатор)", response_model=RulePublic,
            response_model_by_alias=True)
async def put_rule(code: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")], data: RuleIn,
                   principal: CurrentPrincipal, pool: Pool):
    return rule_public(await handlers.put_rule(pool, principal, code, data))
