"""Tables of deficit diagnostics (migration 013): instruments and results per person."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from ...domain.diagnostics import Deficit, Instrument, Result, instrument_from, instrument_json


async def instruments(conn: asyncpg.Connection) -> list[Instrument]:
    rows = await conn.fetch("select definition from diagnostic_instruments order by origin, name")
    return [instrument_from(r["definition"]) for r in rows]


async def instrument(conn: asyncpg.Connection, code: str) -> Instrument | None:
    raw = await conn.fetchval("select definition from diagnostic_instruments where code = $1", code)
    return instrument_from(raw) if raw else None


async def add_instrument(conn: asyncpg.Connection, i: Instrument, by: str) -> bool:
    return await conn.fetchval(
        "insert into diagnostic_instruments (code, name, definition, added_by) values ($1, $2, $3, $4) "
        "on conflict do nothing returning true", i.code, i.name, instrument_json(i), by) or False


def _scores(result: Result) -> dict:
    return {k: float(v) for k, v in result.scores.items()}


def _deficits(result: Result) -> list[dict]:
    return [{"area": d.area, "level": d.level} for d in result.deficits]


def result_of(row) -> Result:
    return Result(row["id"], row["person_id"], row["instrument"], row["taken_on"],
                  {k: Decimal(str(v)) for k, v in row["scores"].items()},
                  tuple(Deficit(d["area"], d["level"]) for d in row["deficits"]))


async def insert_results(conn: asyncpg.Connection, results: Sequence[Result], source: str, by: str) -> None:
    await conn.executemany(
        "insert into diagnostic_results (id, person_id, instrument, taken_on, scores, deficits, source, recorded_by)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8)",
        [(r.id, r.person_id, r.instrument, r.taken_on, _scores(r), _deficits(r), source, by) for r in results])


async def update_results(conn: asyncpg.Connection, results: Sequence[Result], by: str) -> None:
    await conn.executemany(
        "update diagnostic_results set scores = $2, deficits = $3, recorded_by = $4, updated_at = now() "
        "where id = $1", [(r.id, _scores(r), _deficits(r), by) for r in results])


async def results_of(conn: asyncpg.Connection, person_ids: Sequence[UUID]) -> dict[UUID, list[Result]]:
    """Each person's results in the order taken (then recorded)."""
    rows = await conn.fetch("select * from diagnostic_results where person_id = any($1) "
                            "order by taken_on, created_at, id", list(person_ids))
    out: dict[UUID, list[Result]] = {}
    for r in rows:
        out.setdefault(r["person_id"], []).append(result_of(r))
    return out


async def results_by_key(conn: asyncpg.Connection, keys: Sequence[tuple[UUID, str, object]]) -> dict[tuple, Result]:
    """Results by (person, instrument, day): what a re-upload finds."""
    if not keys:
        return {}
    rows = await conn.fetch(
        "select d.* from diagnostic_results d join unnest($1::uuid[], $2::text[], $3::date[]) k(p, i, t) "
        "on d.person_id = k.p and d.instrument = k.i and d.taken_on = k.t",
        [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys])
    return {(r["person_id"], r["instrument"], r["taken_on"]): result_of(r) for r in rows}
