"""REST entry points of support cases of low-result schools; they only turn requests into use cases."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from metodset_contracts.recommendations import CASE_OUTCOME_TITLES, CASE_STATUS_TITLES, CaseStatus
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import decode_cursor, encode_cursor

from ..domain.support_cases import ITEM_STATUS_TITLES, SupportCase, VisitKind, item_overdue
from ..publishing import today
from ..recommendations.api import public as recommendation_public
from ..schemas import Cursor, Oktmo, Pool
from . import handlers
from .repository import ORDER, CaseFilter
from .schemas import (
    CaseClose,
    CasePage,
    CasePublic,
    CaseSummary,
    CuratorSet,
    PlanItemCreate,
    PlanItemPublic,
    PlanItemUpdate,
    ResultPublic,
    TimelineEntryPublic,
    VisitCreate,
)

router = APIRouter()
TAGS = ["support cases"]
NOT_FOUND = {404: {"description": "Сопровождение не найдено или вне области доступа (отвечают одинаково)"}}


def summary(c: SupportCase) -> dict:
    return dict(id=c.id, flag_id=c.flag_id, organisation_id=c.organisation_id, municipality_oktmo=c.municipality_oktmo,
                opened_on=c.opened_on, status=c.status, status_title=CASE_STATUS_TITLES[c.status],
                curator_id=c.curator_id, closed_on=c.closed_on, outcome=c.outcome,
                outcome_title=CASE_OUTCOME_TITLES[c.outcome] if c.outcome else None, outcome_text=c.outcome_text,
                flag_cleared_on=c.flag_cleared_on)


def public(view: handlers.CaseView) -> CasePublic:
    day = today()
    visits = []
    for e in view.timeline:
        recorded = view.visits.get(e.id) if e.kind is VisitKind.VISIT else None
        visits.append(TimelineEntryPublic(kind=e.kind, on=e.on, id=e.id, methodist_id=e.methodist_id,
                                          request_id=e.request_id, minutes=e.minutes,
                                          purpose=recorded.purpose if recorded else None,
                                          notes=recorded.notes if recorded else None))
    return CasePublic(
        **summary(view.case),
        plan=[PlanItemPublic(id=i.id, title=i.title, starts_on=i.starts_on, due_on=i.due_on, status=i.status,
                             status_title=ITEM_STATUS_TITLES[i.status], done_on=i.done_on, notes=i.notes,
                             overdue=item_overdue(i, day)) for i in view.plan],
        visits=visits, recommendations=[recommendation_public(r) for r in view.recommendations],
        results=[ResultPublic(code=p.code, period=p.period, value=p.value) for p in view.results])


@router.get("/support-cases", operation_id="listSupportCases", tags=TAGS,
            summary="Сопровождение школ с низкими результатами в области доступа, страница по курсору",
            description="Аналитику — 403: ему доступны только сводные показатели.",
            response_model=CasePage, response_model_by_alias=True)
async def list_cases(
    principal: CurrentPrincipal, pool: Pool,
    municipality: Oktmo | None = None, organisation: UUID | None = None, status: CaseStatus | None = None,
    curator: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    seek = decode_cursor(ORDER, after) if after is not None else None
    found, total, more = await handlers.listing(pool, principal, CaseFilter(municipality, organisation, status,
                                                                            curator), limit, seek)
    return CasePage(items=[CaseSummary(**summary(c)) for c in found], total_count=total,
                    next_cursor=encode_cursor(ORDER, (found[-1].id,)) if more else None)


@router.get("/support-cases/{case_id}", operation_id="getSupportCase", tags=TAGS,
            summary="Сопровождение: план, выезды и консультации, рекомендации, результаты школы",
            response_model=CasePublic, response_model_by_alias=True, responses=NOT_FOUND)
async def get_case(case_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, case_id))


@router.post("/support-cases/{case_id}/curator", operation_id="setSupportCaseCurator", tags=TAGS,
             summary="Назначить куратора (сопровождение становится активным)", response_model=CasePublic,
             response_model_by_alias=True, responses=NOT_FOUND)
async def set_curator(case_id: UUID, data: CuratorSet, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.set_curator(pool, principal, case_id, data))


@router.post("/support-cases/{case_id}/close", operation_id="closeSupportCase", tags=TAGS,
             summary="Закрыть сопровождение с итогом", response_model=CasePublic, response_model_by_alias=True,
             responses=NOT_FOUND)
async def close_case(case_id: UUID, data: CaseClose, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.close(pool, principal, case_id, data))


@router.post("/support-cases/{case_id}/plan", status_code=201, operation_id="addSupportPlanItem", tags=TAGS,
             summary="Добавить пункт плана сопровождения", response_model=CasePublic, response_model_by_alias=True,
             responses=NOT_FOUND)
async def add_item(case_id: UUID, data: PlanItemCreate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.add_item(pool, principal, case_id, data))


@router.patch("/support-cases/{case_id}/plan/{item_id}", operation_id="updateSupportPlanItem", tags=TAGS,
              summary="Изменить пункт плана (администратор организации — только ход выполнения)",
              response_model=CasePublic, response_model_by_alias=True, responses=NOT_FOUND)
async def update_item(case_id: UUID, item_id: UUID, data: PlanItemUpdate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.update_item(pool, principal, case_id, item_id, data))


@router.delete("/support-cases/{case_id}/plan/{item_id}", operation_id="deleteSupportPlanItem", tags=TAGS,
               summary="Удалить пункт плана", response_model=CasePublic, response_model_by_alias=True,
               responses=NOT_FOUND)
async def delete_item(case_id: UUID, item_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.delete_item(pool, principal, case_id, item_id))


@router.post("/support-cases/{case_id}/visits", status_code=201, operation_id="recordSupportVisit", tags=TAGS,
             summary="Записать выезд в школу", response_model=CasePublic, response_model_by_alias=True,
             responses=NOT_FOUND)
async def record_visit(case_id: UUID, data: VisitCreate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.record_visit(pool, principal, case_id, data))
