"""`make bench` (growth part): the courses import and the course rule at a large region's size.

1. Import of 50,000 course records (a large region's three years) from one xlsx file, end to end through the
   registry's POST /imports (parse, person matching by СНИЛС, the rules, idempotency keys, COPY, one event per
   course) — next to the baseline of parsing the same file and COPYing its rows into a table without indexes.
2. `municipality { staff(first: 50, filter: {courseOverdue: true}) { totalCount nodes { id fullName } } }`
   through the gateway's GraphQL on a running stack (gateway → registry over HTTP, a municipal methodist's
   token) over 30,000 staff: p50/p99 of sequential requests, first pages and pages after a cursor,
   interleaved with the same list without the filter as its baseline.
The staff are written with COPY into the registry's database (the staff import is measured by staff_import.py).
Figures only; nothing here asserts a speed."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx

from metodset_kit.settings import with_database
from metodset_kit.tabular.reading import parse
from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.domain.courses import KIND_TITLES
from metodset_registry.domain.staff import Employment, Term, name_key
from metodset_registry.imports.courses import COURSES
from metodset_registry.staff import repository as repo
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, Stack, free_port
from tests.bench.baselines import percentile
from tests.conftest import _drop_databases
from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA

STAFF = int(os.environ.get("BENCH_GROWTH_STAFF", "30000"))  # a smaller figure tries the bench out
COURSES_N, SCHOOLS = STAFF * 5 // 3, 60
PAGE_SAMPLES = int(os.environ.get("BENCH_PAGE_SAMPLES", "200"))
OVERDUE_QUERY = """query($oktmo: String!, $after: String, $overdue: Boolean) { municipality(oktmo: $oktmo) {
  staff(first: 50, after: $after, filter: {courseOverdue: $overdue}) { totalCount nodes { id fullName }
  pageInfo { hasNextPage endCursor } } } }"""
TODAY = dt.date.today()
SURNAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова")


async def seed_staff(http: httpx.AsyncClient, database_url: str) -> list[dict]:
    """30,000 teachers in 60 schools of Kaluga, written with COPY (the staff import's own cost is not measured)."""
    r = await http.post("/municipalities", json={"oktmo": KALUGA, "name": "Калуга"})
    r.raise_for_status()
    orgs = []
    for i in range(SCHOOLS):
        r = await http.post("/organisations", json={
            "name": f"МБОУ СОШ № {i + 1}", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(80_000 + i)})
        r.raise_for_status()
        orgs.append(uuid.UUID(r.json()["id"]))
    persons, employments = [], []
    for n in range(STAFF):
        last, first = SURNAMES[n % len(SURNAMES)], f"Анна{n}"
        p = {"id": uuid.uuid4(), "version": 1, "last_name": last, "first_name": first, "middle_name": "Петровна",
             "birth_date": dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28), "snils": snils(10_000 + n), "phone": None,
             "email": None, "experience_before_days": None, "experience_before_pedagogical_days": None,
             "experience_before_on": None, "name_key": name_key(last, first, "Петровна"),
             "registered_municipality": KALUGA, "registered_by": "bench"}
        persons.append(p)
        start = dt.date(2005 + n % 15, 9, 1)
        employments.append(Employment(uuid.uuid4(), p["id"], orgs[n % SCHOOLS], start, None,
                                      (Term(start, None, "teacher", ("mathematics",), Decimal("1.00"), True),), 1))
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await repo.insert_persons(conn, persons, "bench")
            await repo.insert_employments(conn, employments, "bench")
    finally:
        await conn.close()
    return persons


def course_rows(persons: list[dict]) -> list[dict]:
    """Three years of courses: most staff one to three upgrades, some none (overdue), a few retrainings."""
    rnd, rows = random.Random(7), []
    while len(rows) < COURSES_N:
        p = persons[rnd.randrange(int(len(persons) * 0.85))]  # the last 15 % never trained: overdue
        end = TODAY - dt.timedelta(days=rnd.randrange(1, 3 * 365))
        retraining = rnd.random() < 0.03
        rows.append({"snils": p["snils"], "lastName": p["last_name"], "firstName": p["first_name"],
                     "middleName": p["middle_name"], "birthDate": p["birth_date"],
                     "programme": f"Программа повышения квалификации № {rnd.randrange(400)}", "provider": "КИРО",
                     "hours": 300 if retraining else rnd.choice((16, 36, 72)),
                     "startDate": end - dt.timedelta(days=10), "endDate": end,
                     "certificateNumber": f"40{len(rows):010d}",
                     "kind": KIND_TITLES["retraining" if retraining else "upgrade"]})
    return rows


async def baseline(database_url: str, data: bytes) -> float:
    """Parse the same file with the kit and COPY its typed rows into a table without indexes: seconds."""
    started = time.perf_counter()
    parsed = parse(COURSES, data)
    keys = [c.key for c in COURSES.columns]
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("create temporary table bench_courses (" + ", ".join(f'"{k}" text' for k in keys) + ")")
        await conn.copy_records_to_table("bench_courses", columns=keys, records=[
            tuple(None if r.values.get(k) is None else str(r.values[k]) for k in keys) for r in parsed.rows])
    finally:
        await conn.close()
    return time.perf_counter() - started


async def import_courses(http: httpx.AsyncClient, data: bytes) -> tuple[float, dict]:
    """POST /imports?kind=courses and poll until the job is done: seconds and the job."""
    started = time.perf_counter()
    r = await http.post("/imports", params={"kind": "courses", "mode": "VALID_ROWS"},
                        files={"file": ("courses.xlsx", data)})
    r.raise_for_status()
    job = r.json()
    while job["status"] not in ("DONE", "FAILED"):
        await asyncio.sleep(0.1)
        job = (await http.get(f"/imports/{job['id']}")).json()
    return time.perf_counter() - started, job


async def list_latency(gateway: str, bearer: dict, n: int = PAGE_SAMPLES) -> dict[str, tuple[list[float], int]]:
    """The filtered list and the same list without the filter through the gateway, requests interleaved (the same
    cache, the same neighbours on the machine), each walking its pages by cursor and starting over at the end:
    sorted times in ms and the total count of each."""
    out: dict[str, tuple[list[float], int]] = {"overdue": ([], 0), "all": ([], 0)}
    after: dict[str, str | None] = {"overdue": None, "all": None}
    async with httpx.AsyncClient(base_url=gateway, headers=bearer, timeout=60) as http:
        for _ in range(n):
            for name, overdue in (("overdue", True), ("all", None)):
                variables = {"oktmo": KALUGA, "after": after[name], "overdue": overdue}
                started = time.perf_counter()
                r = await http.post("/graphql", json={"query": OVERDUE_QUERY, "variables": variables})
                out[name][0].append((time.perf_counter() - started) * 1000)
                body = r.json()
                if body.get("errors"):
                    raise RuntimeError(body["errors"])
                staff = body["data"]["municipality"]["staff"]
                after[name] = staff["pageInfo"]["endCursor"] if staff["pageInfo"]["hasNextPage"] else None
                out[name] = (out[name][0], staff["totalCount"])
    return {k: (sorted(v), total) for k, (v, total) in out.items()}


async def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-growth-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    namespace = f"benchg{uuid.uuid4().hex[:6]}"
    ports = {n: free_port() for n in ("gateway", "registry", "events", "monitoring")}
    stack = Stack(infra, ports=ports, database_prefix=namespace, extra_env={"KAFKA_NAMESPACE": namespace})
    try:
        stack.start(log_dir=data_dir)  # the gateway is ready once every service it reads is
        coordinator = {"Authorization": f"Bearer {devissuer.issue('regional_coordinator', base=data_dir)}"}
        methodist = {"Authorization": "Bearer " + devissuer.issue("municipal_methodist", municipality=KALUGA,
                                                                  base=data_dir)}
        database = with_database(infra.database_url, f"{namespace}_registry")
        async with httpx.AsyncClient(base_url=stack.services["registry"].url, headers=coordinator,
                                     timeout=600) as http:
            persons = await seed_staff(http, database)
            data = kind_workbook(COURSES, course_rows(persons))
            copy = await baseline(database, data)
            imported, job = await asyncio.wait_for(import_courses(http, data), 3600)
        lists = await list_latency(stack.services["gateway"].url, methodist)
        (lat, overdue), (plain, everyone) = lists["overdue"], lists["all"]
    finally:
        stack.stop()
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    print(f"\nMetodset growth benchmark: {COURSES_N} course rows ({len(data) / 1e6:.1f} MB xlsx) for {STAFF} staff")
    print(f"  import    POST /imports kind=courses, end to end        {imported:8.1f} s "
          f"({COURSES_N / imported:6.0f} rows/s; {job['status']}: created {job['created']}, "
          f"errors {len(job['errors'])})")
    print(f"  baseline  parse the same file + COPY, no indexes         {copy:8.1f} s ({COURSES_N / copy:6.0f} rows/s)")
    print(f"  ratio     import / baseline                             {imported / copy:8.2f}")
    print(f"  courseOverdue  staff(first: 50, filter: {{courseOverdue: true}}) through the gateway over {STAFF} staff "
          f"({overdue} overdue), {len(lat)} requests: p50 {statistics.median(lat):.1f} ms, "
          f"p99 {percentile(lat, 99):.1f} ms")
    print(f"  baseline  the same list without the filter ({everyone} staff): p50 {statistics.median(plain):.1f} ms, "
          f"p99 {percentile(plain, 99):.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
