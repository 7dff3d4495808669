"""How monitoring writes facts on a real PostgreSQL: a batch of first versions is copied in, and a batch of first
versions that meets a row already there (a registration delivered under another event id, events out of order)
is merged as any other batch, leaving no half-written rows."""
import uuid
from datetime import date
from decimal import Decimal

import pytest

from metodset_monitoring.domain.fact_rows import FactRow
from metodset_monitoring.facts_projection import upsert_facts
from tests.integration import test_monitoring_indicators as base

pytestmark = pytest.mark.integration
pool = base.pool  # a migrated monitoring database, this module's own


async def _facts(pool, kind):
    rows = await pool.fetch("select record_id, organisation_id, municipality_oktmo, valid_from, value, attrs, version "
                            "from facts where kind = $1 order by record_id", kind)
    return {r["record_id"]: dict(r) for r in rows}


async def test_first_versions_are_copied_in_with_every_column(pool):
    org = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await upsert_facts(conn, [
            FactRow("copied", "a", 1, organisation_id=org, municipality_oktmo="29701000",
                    valid_from=date(2026, 9, 1), value=2.5, attrs={"kind": "school", "название": "Школа"}),
            FactRow("copied", "b", 1)])
    got = await _facts(pool, "copied")
    assert got["a"]["organisation_id"] == org and got["a"]["municipality_oktmo"] == "29701000"
    assert got["a"]["valid_from"] == date(2026, 9, 1) and got["a"]["value"] == Decimal("2.5")
    assert got["a"]["attrs"] == {"kind": "school", "название": "Школа"}
    assert got["b"]["attrs"] == {} and got["b"]["value"] is None
    assert await pool.fetchval("select count(*) from facts_dirty where kind = 'copied'") == 1


async def test_first_versions_meeting_a_stored_row_are_merged(pool):
    async with pool.acquire() as conn, conn.transaction():
        await upsert_facts(conn, [FactRow("merged", "a", 1, municipality_oktmo="29701000", attrs={"first": 1})])
    async with pool.acquire() as conn, conn.transaction():  # "a" is there: the copy is undone, the rows merged
        await upsert_facts(conn, [FactRow("merged", "a", 1, value=3, attrs={"second": 2}),
                                  FactRow("merged", "b", 1, attrs={"new": True})])
    got = await _facts(pool, "merged")
    assert set(got) == {"a", "b"}
    assert got["a"]["municipality_oktmo"] == "29701000" and got["a"]["value"] == Decimal(3)
    assert got["a"]["attrs"] == {"first": 1, "second": 2} and got["b"]["attrs"] == {"new": True}
