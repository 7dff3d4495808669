"""Tables of individual routes (migration 013): routes and their items; a closed route stays (history)."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from ...domain.diagnostics import Deficit
from ...domain.routes import Item, ItemKind, ItemStatus, Outcome, Route


def _item(r) -> Item:
    return Item(r["id"], ItemKind(r["kind"]), r["area"], r["title"], r["due_date"], ItemStatus(r["status"]),
                r["ref"], r["completed_on"], r["by_fact"])


def _route(r, items: list) -> Route:
    return Route(r["id"], r["person_id"], r["opened_on"], r["base_result_id"],
                 tuple(Deficit(d["area"], d["level"]) for d in r["areas"]), tuple(_item(i) for i in items),
                 r["closed_on"], Outcome(r["outcome"]) if r["outcome"] else None,
                 {k: Decimal(str(v)) for k, v in r["deltas"].items()}, r["rediagnosed_result_id"], r["note"],
                 r["version"])


async def _routes(conn: asyncpg.Connection, where: str, arg, lock: bool = False) -> list[Route]:
    rows = await conn.fetch(f"select * from routes where {where} order by opened_on, created_at, id"
                            f"{' for update' if lock else ''}", arg)
    items = await conn.fetch("select * from route_items where route_id = any($1) order by position",
                             [r["id"] for r in rows])
    by_route: dict[UUID, list] = {}
    for i in items:
        by_route.setdefault(i["route_id"], []).append(i)
    return [_route(r, by_route.get(r["id"], [])) for r in rows]


async def routes_of(conn: asyncpg.Connection, person_id: UUID) -> list[Route]:
    return await _routes(conn, "person_id = $1", person_id)


async def open_route_of(conn: asyncpg.Connection, person_id: UUID, *, lock: bool = False) -> Route | None:
    found = await _routes(conn, "person_id = $1 and closed_on is null", person_id, lock)
    return found[0] if found else None


async def on_open_route(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> set[UUID]:
    """Which of the persons have an open route (one query for a whole import)."""
    rows = await conn.fetch("select person_id from routes where closed_on is null and person_id = any($1)",
                            list(set(person_ids)))
    return {r["person_id"] for r in rows}


async def route(conn: asyncpg.Connection, route_id: UUID, *, lock: bool = False) -> Route | None:
    found = await _routes(conn, "id = $1", route_id, lock)
    return found[0] if found else None


async def insert_route(conn: asyncpg.Connection, r: Route, by: str) -> None:
    await conn.execute(
        "insert into routes (id, person_id, version, opened_on, base_result_id, areas, opened_by) "
        "values ($1, $2, $3, $4, $5, $6, $7)", r.id, r.person_id, r.version, r.opened_on, r.base_result_id,
        [{"area": d.area, "level": d.level} for d in r.areas], by)
    await save_items(conn, r, by)


async def save_items(conn: asyncpg.Connection, r: Route, by: str) -> None:
    if not r.items:
        return
    await conn.executemany(
        """insert into route_items (id, route_id, position, kind, area, title, due_date, status, ref, completed_on,
                                    by_fact, added_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           on conflict (id) do update set status = excluded.status, completed_on = excluded.completed_on,
                                          by_fact = excluded.by_fact, updated_at = now()
           where (route_items.status, route_items.completed_on, route_items.by_fact)
                 is distinct from (excluded.status, excluded.completed_on, excluded.by_fact)""",
        [(i.id, r.id, n, i.kind.value, i.area, i.title, i.due_date, i.status.value, i.ref, i.completed_on, i.by_fact,
          by) for n, i in enumerate(r.items)])


async def save_route(conn: asyncpg.Connection, r: Route, by: str) -> None:
    await conn.execute(
        """update routes set version = $2, closed_on = $3, outcome = $4, deltas = $5, rediagnosed_result_id = $6,
                             note = $7, closed_by = case when $3::date is null then null else $8 end,
                             updated_at = now()
            where id = $1""", r.id, r.version, r.closed_on, r.outcome.value if r.outcome else None,
        {k: float(v) for k, v in r.deltas.items()}, r.rediagnosed_result_id, r.note, by)
    await save_items(conn, r, by)
