"""REST entry points of annual work plans; they only turn requests into use cases."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path
from fastapi.responses import Response

from metodset_contracts.plans import STATUS_TITLES
from metodset_contracts.reference import catalogue
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.tabular.writing import XLSX_MEDIA_TYPE

from . import plans as handlers
from .api import Pool
from .domain.plans import Item, Tally, academic_year_title, month_text
from .plans_export import analysis_workbook, file_name
from .plans_schemas import (
    FulfilmentPublic,
    ItemCreate,
    ItemPublic,
    ItemStatusChange,
    ItemUpdate,
    PlanCreate,
    PlanPublic,
    TallyPublic,
)

router = APIRouter()
TAGS = ["work plans"]
OVERALL = "по плану в целом"


def direction_titles() -> dict[str, str]:
    return catalogue("plan_directions").titles()


def tally(t: Tally) -> TallyPublic:
    title = OVERALL if t.direction is None else direction_titles().get(t.direction, t.direction)
    return TallyPublic(direction=t.direction, direction_title=title, total=t.total, counted=t.counted, done=t.done,
                       moved=t.moved, overdue=t.overdue, cancelled=t.cancelled, pending=t.pending, share=t.share)


def item_public(view: handlers.PlanView, i: Item) -> ItemPublic:
    status = view.status(i)
    return ItemPublic(id=i.id, position=i.position, direction=i.direction,
                      direction_title=direction_titles().get(i.direction, i.direction),
                      months=[month_text(m) for m in i.months], title=i.title, responsible_id=i.responsible_id,
                      expected_result=i.expected_result, event_ids=list(i.event_ids), status=status,
                      status_title=STATUS_TITLES[status], moved_to=view.moved_to(i),
                      note=i.note)


def public(view: handlers.PlanView) -> PlanPublic:
    p, f = view.plan, view.fulfilment
    return PlanPublic(id=p.id, organisation_id=p.organisation_id, organisation_name=p.organisation_name,
                      municipality_oktmo=p.municipality_oktmo, year=p.year, academic_year=academic_year_title(p.year),
                      approved_on=p.approved_on, items=[item_public(view, i) for i in view.items],
                      fulfilment=FulfilmentPublic(directions=[tally(t) for t in f.directions],
                                                  overall=tally(f.overall), as_of=view.today))


@router.post("/work-plans", status_code=201, operation_id="createWorkPlan", tags=TAGS,
             summary="Создать годовой план работы организации на учебный год",
             response_model=PlanPublic, response_model_by_alias=True)
async def create_plan(data: PlanCreate, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.create(pool, principal, data))


@router.get("/work-plans/{plan_id}", operation_id="getWorkPlan", tags=TAGS,
            summary="Годовой план с пунктами и анализом выполнения (план — факт)",
            response_model=PlanPublic, response_model_by_alias=True)
async def get_plan(plan_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, plan_id))


@router.get("/organisations/{organisation_id}/work-plans/{year}", operation_id="workPlanOf", tags=TAGS,
            summary="Годовой план организации на учебный год (year — год начала: 2026 — 2026/2027)",
            response_model=PlanPublic, response_model_by_alias=True)
async def plan_of(organisation_id: UUID, year: Annotated[int, Path(ge=2000, le=2100)], principal: CurrentPrincipal,
                  pool: Pool):
    return public(await handlers.read_of(pool, principal, organisation_id, year))


@router.post("/work-plans/{plan_id}/items", status_code=201, operation_id="addWorkPlanItem", tags=TAGS,
             summary="Добавить пункт плана", response_model=ItemPublic, response_model_by_alias=True)
async def add_item(plan_id: UUID, data: ItemCreate, principal: CurrentPrincipal, pool: Pool):
    view, item = await handlers.add_item(pool, principal, plan_id, data)
    return item_public(view, item)


@router.patch("/work-plans/{plan_id}/items/{item_id}", operation_id="updateWorkPlanItem", tags=TAGS,
              summary="Изменить пункт плана: только указанные поля", response_model=ItemPublic,
              response_model_by_alias=True)
async def update_item(plan_id: UUID, item_id: UUID, data: ItemUpdate, principal: CurrentPrincipal, pool: Pool):
    view, item = await handlers.update_item(pool, principal, plan_id, item_id, data)
    return item_public(view, item)


@router.post("/work-plans/{plan_id}/items/{item_id}/status", operation_id="markWorkPlanItem", tags=TAGS,
             summary="Отметить выполнение, перенос (с месяцем), отмену или вернуть в план",
             response_model=ItemPublic, response_model_by_alias=True)
async def mark_item(plan_id: UUID, item_id: UUID, data: ItemStatusChange, principal: CurrentPrincipal, pool: Pool):
    view, item = await handlers.set_status(pool, principal, plan_id, item_id, data)
    return item_public(view, item)


@router.post("/work-plans/{plan_id}/approve", operation_id="approveWorkPlan", tags=TAGS,
             summary="Утвердить план (approvedOn; без неё — сегодня)", response_model=PlanPublic,
             response_model_by_alias=True)
async def approve_plan(plan_id: UUID, principal: CurrentPrincipal, pool: Pool,
                       approved_on: Annotated[date | None, Body(embed=True, alias="approvedOn")] = None):
    return public(await handlers.approve(pool, principal, plan_id, approved_on))


@router.post("/work-plans/{plan_id}/next-year", status_code=201, operation_id="startNextYearPlan", tags=TAGS,
             summary="Начать план следующего учебного года с этого: месяцы на год позже, статусы сброшены, связи с "
                     "мероприятиями не переносятся", response_model=PlanPublic, response_model_by_alias=True)
async def next_year(plan_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.next_year(pool, principal, plan_id))


@router.get("/work-plans/{plan_id}/analysis.xlsx", operation_id="workPlanAnalysis", tags=TAGS,
            summary="«Анализ выполнения годового плана» в xlsx: пункты по направлениям с итогами",
            response_class=Response, responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}})
async def analysis(plan_id: UUID, principal: CurrentPrincipal, pool: Pool):
    view = await handlers.read(pool, principal, plan_id)
    content = analysis_workbook(public(view))
    return Response(content, media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{file_name(view.plan)}"})

