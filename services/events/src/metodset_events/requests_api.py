"""REST entry points of support requests and consultations; they only turn requests into use cases."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from metodset_contracts.reference import catalogue
from metodset_contracts.requests import FORM_TITLES, OUTCOME_TITLES, STATUS_TITLES, RequestStatus
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor

from . import requests as handlers
from .api import Pool
from .domain.requests import response_hours
from .requests_repository import ORDER, RequestFilter
from .requests_schemas import (
    ConsultationCreate,
    ConsultationPublic,
    RequestAssign,
    RequestClose,
    RequestCreate,
    RequestPage,
    RequestPublic,
    ResponseHours,
    ResponseTimesPublic,
    StagePublic,
)

router = APIRouter()
TAGS = ["support requests"]
REGION_ZONE = ZoneInfo("Europe/Moscow")
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH, description="nextCursor предыдущей страницы")]


def public(view: handlers.RequestView) -> RequestPublic:
    r = view.request
    subjects = catalogue("subjects").titles()
    return RequestPublic(
        id=r.id, organisation_id=r.organisation_id, organisation_name=view.organisation_name,
        municipality_oktmo=r.municipality_oktmo, topic=r.topic, asked=r.asked, subject=r.subject,
        subject_title=subjects.get(r.subject) if r.subject else None, status=r.status,
        status_title=STATUS_TITLES[r.status], declared_at=r.declared_at, methodist_id=r.methodist_id,
        assigned_at=r.assigned_at, first_consulted_at=r.first_consulted_at, closed_at=r.closed_at,
        outcome=r.outcome, outcome_title=OUTCOME_TITLES[r.outcome] if r.outcome else None,
        outcome_text=r.outcome_text, rating=r.rating, response_hours=ResponseHours(**response_hours(r)),
        consultations=[ConsultationPublic(id=c["id"], form=c["form"], form_title=FORM_TITLES[c["form"]],
                                          held_on=c["held_on"], minutes=c["minutes"], participants=c["participants"],
                                          notes=c["notes"], methodist_id=c["methodist_id"])
                       for c in view.consultations])


@router.post("/support-requests", status_code=201, operation_id="declareRequest", tags=TAGS,
             summary="Заявить проблему (запрос организации на методическое сопровождение)",
             response_model=RequestPublic, response_model_by_alias=True)
async def declare(data: RequestCreate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.declare(pool, principal, data))


def _start(day: date | None, shift: int = 0) -> datetime | None:
    return None if day is None else datetime.combine(date.fromordinal(day.toordinal() + shift), time(),
                                                     REGION_ZONE)


@router.get("/support-requests", operation_id="listRequests", tags=TAGS,
            summary="Запросы организаций в области доступа (фильтры), страница по курсору",
            response_model=RequestPage, response_model_by_alias=True)
async def list_requests(
    principal: CurrentPrincipal, pool: Pool,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    status: RequestStatus | None = None,
    declared_from: Annotated[date | None, Query(alias="declaredFrom")] = None,
    declared_to: Annotated[date | None, Query(alias="declaredTo", description="Включительно")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    seek = decode_cursor(ORDER, after) if after is not None else None
    f = RequestFilter(municipality, organisation, status, _start(declared_from), _start(declared_to, 1))
    views, total, more = await handlers.listing(pool, principal, f, limit, seek)
    cursor = encode_cursor(ORDER, [views[-1].request.id]) if more else None
    return RequestPage(items=[public(v) for v in views], next_cursor=cursor, total_count=total)


@router.get("/support-requests/response-times", operation_id="requestResponseTimes", tags=TAGS,
            summary="Сроки реагирования на запросы по муниципалитетам: медиана часов и доля уложившихся в N дней",
            response_model=list[ResponseTimesPublic], response_model_by_alias=True)
async def response_times(
    principal: CurrentPrincipal, pool: Pool,
    municipality: Annotated[list[str] | None, Query(max_length=500)] = None,
    within_days: Annotated[int, Query(alias="withinDays", ge=0, le=365)] = 3,
    declared_from: Annotated[date | None, Query(alias="declaredFrom")] = None,
    declared_to: Annotated[date | None, Query(alias="declaredTo")] = None,
):
    f = RequestFilter(None, None, None, _start(declared_from), _start(declared_to, 1))
    found = await handlers.response_times(pool, principal, municipality, within_days, f)
    return [ResponseTimesPublic(municipality_oktmo=t.municipality_oktmo, requests=t.requests, within_days=within_days,
                                stages=[StagePublic(stage=s.stage, reached=s.reached, median_hours=s.median_hours,
                                                    within=s.within) for s in t.stages],
                                average_rating=t.average_rating) for t in found]


@router.get("/support-requests/{request_id}", operation_id="getRequest", tags=TAGS, summary="Запрос организации",
            response_model=RequestPublic, response_model_by_alias=True)
async def get_request(request_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, request_id))


@router.post("/support-requests/{request_id}/assign", operation_id="assignRequest", tags=TAGS,
             summary="Назначить методиста (повторно — сменить)", response_model=RequestPublic,
             response_model_by_alias=True)
async def assign(request_id: UUID, data: RequestAssign, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.assign(pool, principal, request_id, data))


@router.post("/support-requests/{request_id}/consultations", status_code=201, operation_id="recordConsultation",
             tags=TAGS, summary="Записать консультацию по запросу (индивидуальная, групповая, для родителей)",
             response_model=RequestPublic, response_model_by_alias=True)
async def consult(request_id: UUID, data: ConsultationCreate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.consult(pool, principal, request_id, data))


@router.post("/support-requests/{request_id}/close", operation_id="closeRequest", tags=TAGS,
             summary="Закрыть запрос с итогом и оценкой заявителя (1–5)", response_model=RequestPublic,
             response_model_by_alias=True)
async def close(request_id: UUID, data: RequestClose, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.close(pool, principal, request_id, data))
