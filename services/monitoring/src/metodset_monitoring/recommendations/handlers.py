"""Use cases of recommendations: read and list in scope, edit, set the due date, assign, take into work, close
with evidence, cancel; the overdue and closed-on-time shares; the rules as data. Each change publishes to
monitoring.recommendations.v1 and rewrites its `facts` row in the same transaction."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit.errors import Forbidden, NotFound
from metodset_kit.hostile import prefix
from metodset_kit.scope import Principal, Role

from ..access import manage_or_refuse, may_read, narrowed, refusal
from ..domain import recommendations as rules
from ..domain.recommendations import Recommendation, RecommendationError, Rule, Shares
from ..publishing import today
from ..staff_check import ensure_working
from . import repository as repo
from .events import publish_changed
from .repository import RecommendationFilter
from .schemas import RecommendationAssign, RecommendationCancel, RecommendationClose, RecommendationEdit, RuleIn


def missing(rec_id: UUID) -> NotFound:
    return NotFound("id", f"Рекомендация {rec_id} не найдена", where="path")


async def _found(conn: asyncpg.Connection, principal: Principal, rec_id: UUID, *, lock: bool = False) -> Recommendation:
    r = await repo.get(conn, rec_id, lock=lock)
    if r is None or not may_read(principal, r.municipality_oktmo, r.organisation_id):
        raise missing(rec_id)
    return r


async def read(pool: asyncpg.Pool, principal: Principal, rec_id: UUID) -> Recommendation:
    async with pool.acquire() as conn:
        return await _found(conn, principal, rec_id)


async def listing(pool: asyncpg.Pool, principal: Principal, f: RecommendationFilter, limit: int,
                  after: tuple | None) -> tuple[list[Recommendation], int, bool]:
    scope = narrowed(principal, f.municipality, f.organisation)
    if scope is None:
        return [], 0, False
    municipality, organisation, region_level = scope
    f = RecommendationFilter(municipality, organisation, f.status, f.indicator, f.overdue_on,
                             f.region_level and region_level)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repo.page(conn, f, limit + 1, after)
        total = await repo.count(conn, f)
    return found[:limit], total, len(found) > limit


async def _change(pool: asyncpg.Pool, principal: Principal, rec_id: UUID, what: str,
                  step: Callable[[Recommendation], Recommendation], assignee: UUID | None = None) -> Recommendation:
    async with pool.acquire() as conn, conn.transaction():
        before = await _found(conn, principal, rec_id, lock=True)
        manage_or_refuse(principal, before.municipality_oktmo, what)
        if assignee is not None:
            await ensure_working(conn, principal, assignee, before.municipality_oktmo, "assigneeId")
        try:
            after = step(before)
        except RecommendationError as exc:
            raise refusal(exc) from None
        if after != before:
            await repo.save(conn, after)
            await publish_changed(conn, before, after)
        return after


def _edited(data: RecommendationEdit) -> Callable[[Recommendation], Recommendation]:
    def step(r: Recommendation) -> Recommendation:
        if data.text is not None:
            r = rules.edit(r, data.text)
        if data.due_on is not None:
            r = rules.set_due(r, data.due_on)
        if data.in_progress:
            r = rules.start(r)
        return r
    return step


async def edit(pool, principal, rec_id: UUID, data: RecommendationEdit) -> Recommendation:
    return await _change(pool, principal, rec_id, "Изменить рекомендацию", _edited(data))


async def assign(pool, principal, rec_id: UUID, data: RecommendationAssign) -> Recommendation:
    return await _change(pool, principal, rec_id, "Назначить исполнителя",
                         lambda r: rules.assign(r, data.assignee_id), data.assignee_id)


async def close(pool, principal, rec_id: UUID, data: RecommendationClose) -> Recommendation:
    return await _change(pool, principal, rec_id, "Закрыть рекомендацию",
                         lambda r: rules.close(r, data.evidence_text, data.evidence_link, today()))


async def cancel(pool, principal, rec_id: UUID, data: RecommendationCancel) -> Recommendation:
    return await _change(pool, principal, rec_id, "Отменить рекомендацию",
                         lambda r: rules.cancel(r, data.reason, today()))


def _missing_municipality(oktmo: str) -> NotFound:
    return NotFound("municipality", f"Рекомендации муниципалитета {prefix(oktmo)} не найдены", where="query")


async def shares(pool: asyncpg.Pool, principal: Principal, municipalities: list[str] | None,
                 on: date | None) -> list[Shares]:
    """Overdue and closed-on-time shares per municipality and (for the region and analysts) the region."""
    if principal.role is Role.ORGANISATION_ADMIN:
        raise Forbidden("Доли просроченных и исполненных в срок рекомендаций доступны методической службе и "
                        "региональному уровню")
    if principal.role is Role.MUNICIPAL_METHODIST:
        for m in municipalities or []:
            if m != principal.municipality:
                raise _missing_municipality(m)
        municipalities = [principal.municipality]
    async with pool.acquire() as conn:
        found = await repo.for_shares(conn, municipalities)
    out = rules.shares(found, on or today())
    if municipalities is not None:  # the asked ones, each (zero counts where none), without the region's total
        by_scope = {s.scope: s for s in out}
        out = [by_scope.get(m) or Shares(m, 0, 0, 0, 0, 0) for m in municipalities]
    return out


# ---- rules --------------------------------------------------------------------------------------------------

async def all_rules(pool: asyncpg.Pool, principal: Principal) -> list[Rule]:
    if principal.role is Role.ORGANISATION_ADMIN:
        raise Forbidden("Правила рекомендаций доступны методической службе и региональному уровню")
    async with pool.acquire() as conn:
        return await repo.all_rules(conn)


async def put_rule(pool: asyncpg.Pool, principal: Principal, code: str, data: RuleIn) -> Rule:
    if not principal.may_manage_region():
        raise Forbidden("Правила рекомендаций изменяет региональный координатор")
    r = Rule(code=code, indicator=data.indicator, level=data.level, threshold=data.threshold,
             direction=data.direction, addressee=data.addressee, template=data.template, due_days=data.due_days,
             active=data.active)
    try:
        rules.check_rule(r)
    except RecommendationError as exc:
        raise refusal(exc) from None
    async with pool.acquire() as conn, conn.transaction():
        await repo.save_rule(conn, r, principal.subject)
    return r
