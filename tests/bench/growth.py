"""`make bench` (growth part): the courses import and the course rule at a large region's size.

1. Import of 50,000 course records (a large region's three years) from one xlsx file, end to end through the
   registry's POST /imports (parse, person matching by СНИЛС, the rules, idempotency keys, COPY, one event per
   course) — next to the baseline of parsing the same file and COPYing its rows into a table without indexes.
2. GET /staff?courseOverdue=true (what `staff(filter: {courseOverdue: true})` asks) over 30,000 staff, one
   page of 50 with the total count: p50/p99 of sequential requests, in process (no HTTP hop).
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

from metodset_kit.tabular.reading import parse
from metodset_kit.tabular.writing import kind_workbook
from metodset_registry import staff_repository as repo
from metodset_registry.courses_import import COURSES
from metodset_registry.domain.courses import KIND_TITLES
from metodset_registry.domain.staff import Employment, Term, name_key
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, free_port
from tests.conftest import _drop_databases
from tests.factories import legal_inn, snils
from tests.integration.test_registry_imports import run
from tests.registry_app import KALUGA, bearer, registry_client

STAFF, COURSES_N, SCHOOLS = 30_000, 50_000, 60
TODAY = dt.date.today()
SURNAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова")


async def seed_staff(api, headers) -> list[dict]:
    """30,000 teachers in 60 schools of Kaluga, written with COPY (the staff import's own cost is not measured)."""
    orgs = []
    for i in range(SCHOOLS):
        r = await api.post("/organisations", headers=headers, json={
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
    async with api.pool.acquire() as conn, conn.transaction():
        await repo.insert_persons(conn, persons, "bench")
        await repo.insert_employments(conn, employments, "bench")
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


async def baseline(api, data: bytes) -> float:
    """Parse the same file with the kit and COPY its typed rows into a table without indexes: seconds."""
    started = time.perf_counter()
    parsed = parse(COURSES, data)
    keys = [c.key for c in COURSES.columns]
    async with api.pool.acquire() as conn:
        await conn.execute("create temporary table bench_courses (" + ", ".join(f'"{k}" text' for k in keys) + ")")
        await conn.copy_records_to_table("bench_courses", columns=keys, records=[
            tuple(None if r.values.get(k) is None else str(r.values[k]) for k in keys) for r in parsed.rows])
    return time.perf_counter() - started


async def list_latency(api, headers, n: int = 200) -> dict[str, tuple[list[float], int]]:
    """The filtered list and the same list without the filter, requests interleaved (the same cache, the same
    neighbours on the machine): sorted times in ms and the total count of each."""
    out: dict[str, tuple[list[float], int]] = {"overdue": ([], 0), "all": ([], 0)}
    for _ in range(n):
        for name, params in (("overdue", {"courseOverdue": "true"}), ("all", {})):
            started = time.perf_counter()
            r = await api.get("/staff", headers=headers, params={**params, "limit": 50})
            out[name][0].append((time.perf_counter() - started) * 1000)
            r.raise_for_status()
            out[name] = (out[name][0], r.json()["totalCount"])
    return {k: (sorted(v), total) for k, (v, total) in out.items()}


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-growth-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    devissuer.ensure_keys(infra.data_dir)
    namespace = f"bench{uuid.uuid4().hex[:6]}"
    try:
        async with registry_client(infra, namespace) as api:
            coordinator = bearer(infra)
            persons = await seed_staff(api, coordinator)
            data = kind_workbook(COURSES, course_rows(persons))
            copy = await baseline(api, data)
            started = time.perf_counter()
            job = await asyncio.wait_for(run(api, coordinator, data, name="courses.xlsx", kind="courses"), 3600)
            imported = time.perf_counter() - started
            methodist = bearer(infra, "municipal_methodist", municipality=KALUGA)
            lists = await list_latency(api, methodist)
            (lat, overdue), (plain, everyone) = lists["overdue"], lists["all"]
    finally:
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    print(f"\nMetodset growth benchmark: {COURSES_N} course rows ({len(data) / 1e6:.1f} MB xlsx) for {STAFF} staff")
    print(f"  import    POST /imports kind=courses, end to end        {imported:8.1f} s "
          f"({COURSES_N / imported:6.0f} rows/s; created {job['created']}, errors {len(job['errors'])})")
    print(f"  baseline  parse the same file + COPY, no indexes         {copy:8.1f} s ({COURSES_N / copy:6.0f} rows/s)")
    print(f"  ratio     import / baseline                             {imported / copy:8.2f}")
    print(f"  courseOverdue  GET /staff?courseOverdue=true&limit=50 over {STAFF} staff ({overdue} overdue), "
          f"{len(lat)} requests: p50 {statistics.median(lat):.1f} ms, p99 {_pct(lat, 99):.1f} ms")
    print(f"  baseline  the same list without the filter ({everyone} staff): p50 {statistics.median(plain):.1f} ms, "
          f"p99 {_pct(plain, 99):.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
