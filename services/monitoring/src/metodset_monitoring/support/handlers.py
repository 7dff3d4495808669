"""Use cases of support cases: read one with its plan, timeline, recommendations and results; list in scope; set
the curator, keep the plan, record visits, close with an outcome. The municipality's methodist and the region
manage; the school's administrator reads its case and reports progress on plan items."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from metodset_contracts.recommendations import CaseStatus
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal

from ..access import manage_or_refuse, may_manage, may_read, narrowed, refusal
from ..domain import support_cases as cases
from ..domain.recommendations import Recommendation
from ..domain.support_cases import CaseError, PlanItem, SupportCase, TimelineEntry
from ..publishing import today
from ..recommendations import repository as recommendations
from ..staff_check import ensure_working
from . import repository as repo
from .projection import publish_closed
from .repository import CaseFilter, Visit
from .results import ResultPoint, organisation_results
from .schemas import CaseClose, CuratorSet, PlanItemCreate, PlanItemUpdate, VisitCreate


@dataclass(frozen=True)
class CaseView:
    case: SupportCase
    plan: list[PlanItem]
    timeline: list[TimelineEntry]
    visits: dict[UUID, Visit]
    recommendations: list[Recommendation]
    results: list[ResultPoint]


def missing(case_id: UUID) -> NotFound:
    return NotFound("id", f"Сопровождение {case_id} не найдено", where="path")


async def _found(conn: asyncpg.Connection, principal: Principal, case_id: UUID, *, lock: bool = False) -> SupportCase:
    c = await repo.get(conn, case_id, lock=lock)
    if c is None or not may_read(principal, c.municipality_oktmo, c.organisation_id):
        raise missing(case_id)
    return c


async def _view(conn: asyncpg.Connection, c: SupportCase) -> CaseView:
    return CaseView(c, await repo.plan(conn, c.id), cases.timeline(c, await repo.timeline_entries(conn, c)),
                    await repo.visits(conn, c.id), await recommendations.of_organisation(conn, c.organisation_id),
                    await organisation_results(conn, c.organisation_id))


async def read(pool: asyncpg.Pool, principal: Principal, case_id: UUID) -> CaseView:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        return await _view(conn, await _found(conn, principal, case_id))


async def listing(pool: asyncpg.Pool, principal: Principal, f: CaseFilter, limit: int,
                  after: tuple | None) -> tuple[list[SupportCase], int, bool]:
    scope = narrowed(principal, f.municipality, f.organisation)
    if scope is None:
        return [], 0, False
    f = CaseFilter(scope[0], scope[1], f.status, f.curator)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repo.page(conn, f, limit + 1, after)
        total = await repo.count(conn, f)
    return found[:limit], total, len(found) > limit


async def _managed(conn, principal: Principal, case_id: UUID, what: str) -> SupportCase:
    c = await _found(conn, principal, case_id, lock=True)
    manage_or_refuse(principal, c.municipality_oktmo, what)
    return c


def _still_open(c: SupportCase) -> None:
    if c.status is CaseStatus.CLOSED:
        raise Conflict(None, "Сопровождение закрыто: изменить его нельзя", "closed")


async def set_curator(pool: asyncpg.Pool, principal: Principal, case_id: UUID, data: CuratorSet) -> CaseView:
    async with pool.acquire() as conn, conn.transaction():
        c = await _managed(conn, principal, case_id, "Назначить куратора")
        await ensure_working(conn, principal, data.curator_id, c.municipality_oktmo, "curatorId")
        try:
            c = cases.set_curator(c, data.curator_id)
        except CaseError as exc:
            raise refusal(exc) from None
        await repo.save(conn, c)
        return await _view(conn, c)


async def close(pool: asyncpg.Pool, principal: Principal, case_id: UUID, data: CaseClose) -> CaseView:
    async with pool.acquire() as conn, conn.transaction():
        c = await _managed(conn, principal, case_id, "Закрыть сопровождение")
        try:
            c = cases.close(c, data.outcome, data.outcome_text, today())
        except CaseError as exc:
            raise refusal(exc) from None
        await repo.save(conn, c)
        await publish_closed(conn, c)
        return await _view(conn, c)


async def add_item(pool: asyncpg.Pool, principal: Principal, case_id: UUID, data: PlanItemCreate) -> CaseView:
    async with pool.acquire() as conn, conn.transaction():
        c = await _managed(conn, principal, case_id, "Составить план сопровождения")
        _still_open(c)
        try:
            cases.check_dates(data.starts_on, data.due_on)
        except CaseError as exc:
            raise refusal(exc) from None
        await repo.save_item(conn, PlanItem(uuid.uuid4(), c.id, data.title, data.starts_on, data.due_on))
        return await _view(conn, c)


def _item_missing(item_id: UUID) -> NotFound:
    return NotFound("itemId", f"Пункт плана {item_id} не найден", where="path")


async def update_item(pool: asyncpg.Pool, principal: Principal, case_id: UUID, item_id: UUID,
                      data: PlanItemUpdate) -> CaseView:
    """The service changes anything; the school's administrator only the progress (status and notes)."""
    async with pool.acquire() as conn, conn.transaction():
        c = await _found(conn, principal, case_id, lock=True)
        if not may_manage(principal, c.municipality_oktmo) and \
                data.model_fields_set - {"status", "notes"}:
            raise Forbidden("Администратор организации отмечает только ход выполнения пункта (status, notes)")
        _still_open(c)
        found = await repo.item(conn, case_id, item_id)
        if found is None:
            raise _item_missing(item_id)
        changed = PlanItem(found.id, found.case_id, data.title or found.title,
                           data.starts_on if "starts_on" in data.model_fields_set else found.starts_on,
                           data.due_on or found.due_on, found.status, found.done_on, found.notes)
        try:
            cases.check_dates(changed.starts_on, changed.due_on)
        except CaseError as exc:
            raise refusal(exc) from None
        if data.status is not None or data.notes is not None:
            changed = cases.item_progress(changed, data.status or changed.status, data.notes, today())
        await repo.save_item(conn, changed)
        return await _view(conn, c)


async def delete_item(pool: asyncpg.Pool, principal: Principal, case_id: UUID, item_id: UUID) -> CaseView:
    async with pool.acquire() as conn, conn.transaction():
        c = await _managed(conn, principal, case_id, "Изменить план сопровождения")
        _still_open(c)
        if await repo.item(conn, case_id, item_id) is None:
            raise _item_missing(item_id)
        await repo.delete_item(conn, item_id)
        return await _view(conn, c)


async def record_visit(pool: asyncpg.Pool, principal: Principal, case_id: UUID, data: VisitCreate) -> CaseView:
    async with pool.acquire() as conn, conn.transaction():
        c = await _managed(conn, principal, case_id, "Записать выезд")
        if not cases.within(c, data.visited_on):
            raise DomainError("visitedOn", "Дата выезда — в периоде сопровождения (с даты открытия до закрытия)")
        await repo.add_visit(conn, c.id, Visit(uuid.uuid4(), data.visited_on, data.methodist_id, data.purpose,
                                               data.notes), principal.subject)
        return await _view(conn, c)
