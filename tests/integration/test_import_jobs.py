"""Import jobs left unfinished by a process that stopped: resumed at the next start, unless a live process
still holds the job's lock."""
import asyncio

import pytest

from metodset_kit.scope import Principal, Role
from metodset_kit.tabular import jobs
from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.kinds import IMPORTS
from metodset_registry.imports.organisations import ORGANISATIONS
from tests.factories import legal_inn
from tests.registry_app import KALUGA, registry_client

pytestmark = pytest.mark.integration
COORDINATOR = Principal("coordinator", Role.REGIONAL_COORDINATOR)


@pytest.fixture(scope="module")
async def pool(infra, namespace):
    async with registry_client(infra, namespace) as http:
        yield http.pool


def _file(n: int) -> bytes:
    return kind_workbook(ORGANISATIONS, [{"name": f"Школа {n}", "kind": "school", "municipality_oktmo": KALUGA,
                                          "inn": legal_inn(8000 + n)}])


async def _left_running(pool, n: int) -> dict:
    async with pool.acquire() as conn:
        job = await jobs.create(conn, "organisations", jobs.Mode.VALID_ROWS, COORDINATOR, "x.xlsx", _file(n))
    await pool.execute("update import_jobs set status = 'RUNNING', done = 1 where id = $1", job["id"])
    return job


async def test_a_job_left_running_by_a_dead_process_is_resumed_from_the_start(pool):
    job = await _left_running(pool, 1)
    runner = jobs.Runner(pool, IMPORTS.kinds)
    assert job["id"] in await runner.resume()
    await asyncio.gather(*runner.tasks)
    row = await pool.fetchrow("select status, created, warnings from import_jobs where id = $1", job["id"])
    assert (row["status"], row["created"]) == ("DONE", 1)
    assert row["warnings"] == [jobs.RESUMED]


async def test_a_job_whose_lock_a_live_process_holds_is_left_to_it(pool):
    job = await _left_running(pool, 2)
    async with pool.acquire() as owner:
        await owner.execute("select pg_advisory_lock($1)", jobs._lock_key(job["id"]))
        runner = jobs.Runner(pool, IMPORTS.kinds)
        await runner.resume()
        await asyncio.gather(*runner.tasks)
        assert await pool.fetchval("select status from import_jobs where id = $1", job["id"]) == "RUNNING"
        await owner.execute("select pg_advisory_unlock($1)", jobs._lock_key(job["id"]))


async def test_finished_jobs_past_the_retention_are_deleted_with_their_files(pool):
    job = await _left_running(pool, 3)
    await pool.execute("update import_jobs set status = 'DONE', finished_at = now() - interval '31 days' "
                       "where id = $1", job["id"])
    fresh = await _left_running(pool, 4)
    await pool.execute("update import_jobs set status = 'DONE', finished_at = now() where id = $1", fresh["id"])
    assert await jobs.Runner(pool, IMPORTS.kinds).prune(30) == 1
    assert await pool.fetchval("select count(*) from import_jobs where id = any($1)", [job["id"], fresh["id"]]) == 1
