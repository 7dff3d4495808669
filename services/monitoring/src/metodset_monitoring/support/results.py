"""The school's results over time: its organisation-level indicator values per period, read from the indicator
engine's table when it is there. The engine lives in another branch: `RESULTS_SQL` is the one place to adapt to
its table; without the table a case simply shows no results."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import asyncpg

RESULTS_TABLE = "indicator_values"
RESULTS_SQL = """select code, period, value from indicator_values
                  where level = 'organisation' and subject = $1 order by code, period"""


@dataclass(frozen=True)
class ResultPoint:
    code: str
    period: str
    value: float | None


async def organisation_results(conn: asyncpg.Connection, organisation_id: UUID) -> list[ResultPoint]:
    if await conn.fetchval("select to_regclass($1)", RESULTS_TABLE) is None:
        return []
    rows = await conn.fetch(RESULTS_SQL, str(organisation_id))
    return [ResultPoint(r["code"], r["period"], float(r["value"]) if r["value"] is not None else None) for r in rows]
