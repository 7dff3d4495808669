"""`make bench`, part two: import of a large region's staff xlsx end to end, next to parsing the same file and
COPYing its rows raw, and the p99 of a municipality's first staff page through the gateway at that size.

End to end: upload (POST /imports?kind=staff) → parse → validate → persons, employments and their events
committed (job DONE). Baselines in the same run: python-calamine reading the file (the library the import
uses) and asyncpg COPY of the same rows into a table without indexes. Figures only; nothing is asserted.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from metodset_kit.settings import with_database
from metodset_tools import devissuer
from metodset_tools.demo import load
from metodset_tools.devstack import Infrastructure, Stack, free_port
from metodset_tools.region import CAPTIONS, generate, large, staff_rows
from tests.bench.baselines import copy_only, parse_only, percentile, workbook
from tests.conftest import _drop_databases

PAGE_SAMPLES = int(os.environ.get("BENCH_PAGE_SAMPLES", "200"))
STAFF_QUERY = """query($oktmo: String!, $after: String) { municipality(oktmo: $oktmo) {
  staff(first: 50, after: $after) { totalCount nodes { id fullName } pageInfo { hasNextPage endCursor } } } }"""


async def import_file(registry: str, bearer: dict, data: bytes) -> tuple[float, dict]:
    async with httpx.AsyncClient(base_url=registry, headers=bearer, timeout=600) as http:
        started = time.perf_counter()
        r = await http.post("/imports", params={"kind": "staff", "mode": "VALID_ROWS"},
                            files={"file": ("staff.xlsx", data)})
        r.raise_for_status()
        job = r.json()
        while job["status"] not in ("DONE", "FAILED"):
            await asyncio.sleep(0.05)
            job = (await http.get(f"/imports/{job['id']}")).json()
        return time.perf_counter() - started, job


async def staff_pages(gateway: str, bearer: dict, oktmo: str) -> list[float]:
    """First pages and later ones (after a cursor), one after another: what a methodist's list view asks."""
    timings, after = [], None
    async with httpx.AsyncClient(base_url=gateway, headers=bearer, timeout=60) as http:
        for _ in range(PAGE_SAMPLES):
            started = time.perf_counter()
            r = await http.post("/graphql", json={"query": STAFF_QUERY, "variables": {"oktmo": oktmo, "after": after}})
            timings.append((time.perf_counter() - started) * 1000)
            body = r.json()
            if body.get("errors"):
                raise RuntimeError(body["errors"])
            page = body["data"]["municipality"]["staff"]["pageInfo"]
            after = page["endCursor"] if page["hasNextPage"] else None
    return sorted(timings)


async def main() -> None:
    region = large() if not os.environ.get("BENCH_SMALL") else generate(2026, 3, 20, 1.0)
    rows = staff_rows(region)
    data = workbook("Работники", CAPTIONS, rows)
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-staff-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    namespace = f"benchs{uuid.uuid4().hex[:6]}"
    ports = {n: free_port() for n in ("gateway", "registry", "events", "monitoring")}
    stack = Stack(infra, ports=ports, database_prefix=namespace, extra_env={"KAFKA_NAMESPACE": namespace})
    try:
        stack.start(log_dir=data_dir)  # the gateway is ready once every service it reads is
        token = devissuer.issue("regional_coordinator", base=data_dir)
        bearer = {"Authorization": f"Bearer {token}"}
        registry = stack.services["registry"].url
        await asyncio.to_thread(load, region, registry, token)
        parse_seconds, parsed = parse_only(data)
        conn = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_registry"))
        try:
            copy_seconds = await copy_only(conn, "bench_staff", parsed)
        finally:
            await conn.close()
        seconds, job = await import_file(registry, bearer, data)
        again, second = await import_file(registry, bearer, data)
        biggest = max(region.municipalities, key=lambda m: sum(
            1 for o in region.organisations if o.municipality_oktmo == m.oktmo)).oktmo
        pages = await staff_pages(stack.services["gateway"].url, bearer, biggest)
    finally:
        stack.stop()
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    n = len(rows)
    print(f"\nMetodset staff import benchmark: {n} rows ({len(data) / 1e6:.1f} MB xlsx), "
          f"{len(region.municipalities)} municipalities, {len(region.organisations)} organisations")
    print(f"  import    upload → parse → validate → persons, employments, events committed "
          f"{seconds:6.1f} s  {n / seconds:8.0f} rows/s  ({job['status']}: created {job['created']}, "
          f"updated {job['updated']}, unchanged {job['unchanged']}, errors {len(job['errors'])})")
    print(f"  again     the same file uploaded twice (nothing to change)        {again:6.1f} s  "
          f"{n / again:8.0f} rows/s  (unchanged {second['unchanged']}, created {second['created']})")
    print(f"  baseline  python-calamine parse of the file                        {parse_seconds:6.2f} s  "
          f"{n / parse_seconds:8.0f} rows/s")
    print(f"  baseline  asyncpg COPY of the parsed rows                          {copy_seconds:6.2f} s  "
          f"{n / copy_seconds:8.0f} rows/s")
    print(f"  ratio     import / (parse + COPY)                                  "
          f"{seconds / (parse_seconds + copy_seconds):6.1f} ×")
    print(f"  staff page municipality {{ staff(first: 50) }} through the gateway, {len(pages)} pages of "
          f"{biggest}: p50 {statistics.median(pages):.1f} ms, p99 {percentile(pages, 99):.1f} ms, "
          f"max {pages[-1]:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
