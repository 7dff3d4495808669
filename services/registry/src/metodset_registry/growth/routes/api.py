"""REST entry points of individual routes (ИОМ): open, read, items, suggestions, close, history."""
from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import Ordering

from ...deps import Pool
from ...domain.diagnostics import Instrument, Result
from ...domain.routes import KIND_TITLES, Route
from ...staff.api import Cursor
from ..diagnostics.api import Limit
from ..diagnostics.schemas import (
    AreaDelta,
    DeficitPublic,
    RouteClose,
    RouteItemComplete,
    RouteItemCreate,
    RouteItemPublic,
    RouteItemStatusChange,
    RouteOpen,
    RoutePage,
    RoutePublic,
    SuggestionList,
    SuggestionPublic,
    page,
)
from . import handlers
from . import suggestions as routes_suggestions

router = APIRouter()
TAGS = ["routes"]
ROUTES = Ordering("routes", (("opened_on", str), ("id", str)))


def route_public(r: Route, instruments: dict[str, Instrument], results: dict[UUID, Result]) -> RoutePublic:
    base = results.get(r.base_result_id)
    instrument = instruments.get(base.instrument) if base else None

    def title(code: str) -> str:
        area = instrument.area(code) if instrument else None
        return area.title if area else code
    return RoutePublic(
        id=r.id, person_id=r.person_id, version=r.version, status="open" if r.open else "closed",
        opened_on=r.opened_on, base_result_id=r.base_result_id,
        areas=[DeficitPublic(area=d.area, area_title=title(d.area), level=d.level,
                             level_title=instrument.level_title(d.level) if instrument else d.level,
                             diagnosed_on=base.taken_on if base else r.opened_on,
                             instrument=base.instrument if base else "") for d in r.areas],
        items=[RouteItemPublic(id=i.id, kind=i.kind, kind_title=KIND_TITLES[i.kind], area=i.area,
                               area_title=title(i.area), title=i.title, due_date=i.due_date, status=i.status,
                               ref=i.ref, completed_on=i.completed_on, by_fact=i.by_fact) for i in r.items],
        closed_on=r.closed_on, outcome=r.outcome,
        deltas=[AreaDelta(area=a, area_title=title(a), delta=float(v)) for a, v in r.deltas.items()],
        rediagnosed_result_id=r.rediagnosed_result_id, note=r.note)


async def _answer(pool, principal, route: Route) -> RoutePublic:
    """The route as the caller sees it after a change (read back with its titles; audited as route.get)."""
    found, instruments, results = await handlers.read_route(pool, principal, route.id)
    return route_public(found, instruments, results)


@router.post("/persons/{person_id}/routes", status_code=201, operation_id="openRoute", tags=TAGS,
             summary="Открыть индивидуальный образовательный маршрут по дефицитам последней диагностики",
             response_model=RoutePublic, response_model_by_alias=True)
async def open_route(person_id: UUID, data: RouteOpen, principal: CurrentPrincipal, pool: Pool):
    route = await handlers.open_route(pool, principal, person_id, data.opened_on, data.items)
    return await _answer(pool, principal, route)


@router.get("/persons/{person_id}/route", operation_id="getOpenRoute", tags=TAGS,
            summary="Открытый маршрут работника; null — открытого нет (чтение записывается в журнал)",
            response_model=RoutePublic | None, response_model_by_alias=True)
async def get_open_route(person_id: UUID, principal: CurrentPrincipal, pool: Pool):
    routes, instruments, results = await handlers.read_routes(pool, principal, person_id, "route.get")
    found = next((r for r in routes if r.open), None)
    return route_public(found, instruments, results) if found else None


@router.get("/persons/{person_id}/routes", operation_id="listRoutes", tags=TAGS,
            summary="Все маршруты работника, открытые и закрытые, от ранних к поздним",
            response_model=RoutePage, response_model_by_alias=True)
async def list_routes(person_id: UUID, principal: CurrentPrincipal, pool: Pool, limit: Limit = 50,
                      after: Cursor = None):
    routes, instruments, results = await handlers.read_routes(pool, principal, person_id, "route.list")
    items, cursor, total = page(routes, lambda r: (r.opened_on.isoformat(), str(r.id)), ROUTES, after, limit)
    return RoutePage(items=[route_public(r, instruments, results) for r in items], next_cursor=cursor,
                     total_count=total)


@router.get("/persons/{person_id}/route/suggestions", operation_id="routeSuggestions", tags=TAGS,
            summary="Предложения пунктов маршрута по текущим дефицитам: стажировки на площадках, наставники, "
                    "курсы, самообразование", response_model=SuggestionList, response_model_by_alias=True)
async def route_suggestions(person_id: UUID, principal: CurrentPrincipal, pool: Pool):
    found, instrument = await routes_suggestions.suggestions(pool, principal, person_id)

    def title(code: str) -> str:
        area = instrument.area(code) if instrument else None
        return area.title if area else code
    return SuggestionList(person_id=person_id, items=[
        SuggestionPublic(kind=s.kind, kind_title=KIND_TITLES[s.kind], area=s.area, area_title=title(s.area),
                         title=s.title, ref=s.ref, reason=s.reason) for s in found])


@router.post("/routes/{route_id}/items", status_code=201, operation_id="addRouteItem", tags=TAGS,
             summary="Добавить пункт маршрута (по области дефицита маршрута)",
             response_model=RoutePublic, response_model_by_alias=True)
async def add_item(route_id: UUID, data: RouteItemCreate, principal: CurrentPrincipal, pool: Pool):
    return await _answer(pool, principal, await handlers.add_item(pool, principal, route_id, data))


@router.post("/routes/{route_id}/items/{item_id}/complete", operation_id="completeRouteItem", tags=TAGS,
             summary="Отметить пункт маршрута выполненным вручную", response_model=RoutePublic,
             response_model_by_alias=True)
async def complete_item(route_id: UUID, item_id: UUID, data: RouteItemComplete, principal: CurrentPrincipal,
                        pool: Pool):
    return await _answer(pool, principal, await handlers.complete_item(pool, principal, route_id, item_id, data.on))


@router.post("/routes/{route_id}/items/{item_id}/status", operation_id="setRouteItemStatus", tags=TAGS,
             summary="Начать, вернуть в план или отменить пункт маршрута", response_model=RoutePublic,
             response_model_by_alias=True)
async def set_item_status(route_id: UUID, item_id: UUID, data: RouteItemStatusChange, principal: CurrentPrincipal,
                          pool: Pool):
    route = await handlers.set_item_status(pool, principal, route_id, item_id, data.status)
    return await _answer(pool, principal, route)


@router.post("/routes/{route_id}/close", operation_id="closeRoute", tags=TAGS,
             summary="Закрыть маршрут: итог и, при повторной диагностике, изменение балла по областям",
             response_model=RoutePublic, response_model_by_alias=True)
async def close_route(route_id: UUID, data: RouteClose, principal: CurrentPrincipal, pool: Pool):
    route = await handlers.close_route(pool, principal, route_id, data.closed_on, data.note)
    return await _answer(pool, principal, route)
