"""Use cases of individual educational routes (ИОМ): open on the person's deficits, add items, change their
status, complete them by hand or by the fact that happened (complete_by_fact, for the courses and events
code), close with the outcome; suggestions of items from what the registry has.

A route is personal data: every use case goes through the person's scope (staff.handlers._reachable; a route
of a person the caller may not reach answers exactly like a missing route) and every read is audited."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.growth import RouteClosed, RouteItemCompleted, RouteOpened
from metodset_kit import audit, ids, outbox
from metodset_kit.errors import Conflict, DomainError, NotFound
from metodset_kit.events import outgoing
from metodset_kit.scope import Principal

from ...domain import diagnostics as diagnostics_domain
from ...domain import routes as domain
from ...domain.diagnostics import Instrument, Result
from ...domain.routes import Item, ItemKind, ItemStatus, Route, RouteError
from ...staff.handlers import PERSON, SOURCE, _reachable
from ..diagnostics import repository as diagnostics_repo
from . import repository as repo


def missing_route(route_id) -> NotFound:
    """The one answer for a route that does not exist and for one of a person the caller may not reach."""
    return NotFound("id", f"Маршрут {route_id} не найден", "not_found", where="path")


def _error(exc: RouteError) -> DomainError:
    if exc.code == "conflict":
        return Conflict(exc.field, str(exc), "conflict")
    if exc.code == "not_found":
        return NotFound(exc.field, str(exc), "not_found", where="path")
    return DomainError(exc.field, str(exc), exc.code)


def _event(data, r: Route, at: str | None = None):
    return outgoing(data, source=SOURCE, subject=f"route/{r.id}", key=str(r.person_id), time=at)


def opened_event(r: Route):
    return _event(RouteOpened(route_id=r.id, person_id=r.person_id, opened_on=r.opened_on,
                              base_result_id=r.base_result_id, areas=r.area_codes()), r)


def completed_event(r: Route, item: Item):
    return _event(RouteItemCompleted(route_id=r.id, item_id=item.id, person_id=r.person_id, kind=item.kind.value,
                                     area=item.area, completed_on=item.completed_on, by_fact=item.by_fact), r)


def closed_event(r: Route, after: Result | None):
    kinds = list(dict.fromkeys(i.kind.value for i in r.items if i.status is ItemStatus.DONE))
    return _event(RouteClosed(route_id=r.id, person_id=r.person_id, opened_on=r.opened_on, closed_on=r.closed_on,
                              outcome=r.outcome.value, areas=r.area_codes(),
                              closed_areas=domain.closed_areas(r, after), item_kinds=kinds), r)


def new_item(data) -> Item:
    return Item(ids.uuid4(), ItemKind(data.kind), data.area, data.title, data.due_date, ref=data.ref)


# ---- reads ------------------------------------------------------------------------------------------------

async def _instruments(conn: asyncpg.Connection) -> dict[str, Instrument]:
    return {i.code: i for i in await diagnostics_repo.instruments(conn)}


async def _route_of_person(conn: asyncpg.Connection, principal: Principal, route_id: UUID, *,
                           lock: bool = False) -> Route:
    found = await repo.route(conn, route_id, lock=lock)
    if found is None:
        raise missing_route(route_id)
    try:
        await _reachable(conn, principal, found.person_id, date.today(), lock=lock)
    except NotFound:
        raise missing_route(route_id) from None
    return found


async def read_routes(pool: asyncpg.Pool, principal: Principal, person_id: UUID,
                      operation: str) -> tuple[list[Route], dict[str, Instrument], dict[UUID, Result]]:
    """The person's routes (all of them, oldest first), the instruments and the results they refer to."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        await _reachable(conn, principal, person_id, date.today())
        routes = await repo.routes_of(conn, person_id)
        results = {r.id: r for r in (await diagnostics_repo.results_of(conn, [person_id])).get(person_id, [])}
        await audit.record_read(conn, principal, PERSON, [str(person_id)], operation)
        return routes, await _instruments(conn), results


async def read_route(pool: asyncpg.Pool, principal: Principal, route_id: UUID) -> tuple[Route, dict, dict]:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        route = await _route_of_person(conn, principal, route_id)
        results = {r.id: r for r in (await diagnostics_repo.results_of(conn, [route.person_id])).get(
            route.person_id, [])}
        await audit.record_read(conn, principal, PERSON, [str(route.person_id)], "route.get")
        return route, await _instruments(conn), results


# ---- changes ----------------------------------------------------------------------------------------------

async def open_route(pool: asyncpg.Pool, principal: Principal, person_id: UUID, opened_on: date | None,
                     items: list) -> Route:
    today = date.today()
    async with pool.acquire() as conn, conn.transaction():
        await _reachable(conn, principal, person_id, today, lock=True)
        results = (await diagnostics_repo.results_of(conn, [person_id])).get(person_id, [])
        day = opened_on or today
        existing = await repo.open_route_of(conn, person_id)
        try:
            route = domain.open_route(ids.uuid4(), person_id, diagnostics_domain.latest(results, day), day, today,
                                      existing is not None)
            for data in items:
                route = domain.add_item(route, new_item(data))
        except RouteError as exc:
            raise _error(exc) from None
        await repo.insert_route(conn, replace(route, version=1), principal.subject)
        await outbox.add(conn, [opened_event(route)])
    return replace(route, version=1)


async def _change(pool: asyncpg.Pool, principal: Principal, route_id: UUID, change) -> Route:
    async with pool.acquire() as conn, conn.transaction():
        route = await _route_of_person(conn, principal, route_id, lock=True)
        try:
            new, events = await change(conn, route)
        except RouteError as exc:
            raise _error(exc) from None
        if new is not route:
            await repo.save_route(conn, new, principal.subject)
        if events:
            await outbox.add(conn, events)
    return new


async def add_item(pool: asyncpg.Pool, principal: Principal, route_id: UUID, data) -> Route:
    async def change(_conn, route):
        return domain.add_item(route, new_item(data)), []
    return await _change(pool, principal, route_id, change)


async def set_item_status(pool: asyncpg.Pool, principal: Principal, route_id: UUID, item_id: UUID,
                          status: ItemStatus) -> Route:
    async def change(_conn, route):
        return domain.set_status(route, item_id, status), []
    return await _change(pool, principal, route_id, change)


async def complete_item(pool: asyncpg.Pool, principal: Principal, route_id: UUID, item_id: UUID,
                        on: date | None) -> Route:
    async def change(_conn, route):
        new, _ = domain.complete(route, item_id, on or date.today(), date.today())
        return new, [completed_event(new, new.item(item_id))]
    return await _change(pool, principal, route_id, change)


async def close_route(pool: asyncpg.Pool, principal: Principal, route_id: UUID, closed_on: date | None,
                      note: str | None) -> Route:
    async def change(conn, route):
        results = (await diagnostics_repo.results_of(conn, [route.person_id])).get(route.person_id, [])
        base = next(r for r in results if r.id == route.base_result_id)
        new = domain.close(route, closed_on or date.today(), date.today(), base, results, note)
        after = next((r for r in results if r.id == new.rediagnosed_result_id), None)
        return new, [closed_event(new, after)]
    return await _change(pool, principal, route_id, change)


async def complete_by_fact(conn: asyncpg.Connection, person_id: UUID, kind: ItemKind | str, area: str | None = None,
                           ref: str | None = None, on: date | None = None, title: str | None = None) -> list[Item]:
    """The fact that happened (a course recorded, an event attended) completes the open items of the person's
    open route it matches (domain.routes.matching_items: the item naming the same thing by `ref`, else one whose
    title contains `title`, else those of the kind for `area`). When nothing is left to do, the route closes on
    the day its last item was done (the fact's day, or a later one an item was done by hand or by another fact)
    with its outcome. Runs in the caller's transaction with its events; a fact that matches
    nothing, or comes twice, changes nothing. Returns the items it completed."""
    route = await repo.open_route_of(conn, person_id, lock=True)
    if route is None:
        return []
    day, done = on or date.today(), []
    for item in domain.matching_items(route, ItemKind(kind), area, ref, title):
        route, changed = domain.complete(route, item.id, day, date.today(), by_fact=True)
        if changed:
            done.append(route.item(item.id))
    if not done:
        return []
    events = [completed_event(route, i) for i in done]
    if domain.all_done(route):
        results = (await diagnostics_repo.results_of(conn, [person_id])).get(person_id, [])
        base = next(r for r in results if r.id == route.base_result_id)
        last = max([day, route.opened_on, *(i.completed_on for i in route.items if i.completed_on)])
        route = domain.close(route, last, date.today(), base, results,
                             "Закрыт по факту: все пункты выполнены")
        events.append(closed_event(route, next((r for r in results if r.id == route.rediagnosed_result_id), None)))
    await repo.save_route(conn, route, "fact")
    await outbox.add(conn, events)
    return done


async def complete_courses(conn: asyncpg.Connection, courses: Sequence[dict]) -> list[Item]:
    """Recorded courses (rows with person_id, programme, programme_key, end_date) as facts for the routes of
    their persons: one query finds who has an open route, so a large import pays for the few that do."""
    on_route = await repo.on_open_route(conn, [c["person_id"] for c in courses])
    done: list[Item] = []
    for c in courses:
        if c["person_id"] in on_route:
            done += await complete_by_fact(conn, c["person_id"], ItemKind.COURSE, ref=c["programme_key"],
                                           title=c["programme"], on=c["end_date"])
    return done
