"""`make bench`, olympiads: 300,000 school-stage results of one large region's year imported end to end into
one stage, next to parsing the same file and COPYing its rows raw in the same run; then the stage's statuses
and admission list recomputed after its passing scores change, and after an appeal.

End to end: upload (POST /olympiads/stages/{id}/results) → parse → validate → pupils and results written →
statuses and the admission list computed (job DONE). The events service runs alone; its projection of the
registry's organisations is written straight into its database. Figures only; nothing is asserted."""
from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

from metodset_events.olympiads_import import COLUMNS
from metodset_kit.settings import with_database
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, Stack, free_port
from tests.bench.baselines import copy_only, parse_only, workbook
from tests.conftest import _drop_databases
from tests.factories import legal_inn

ROWS = int(os.environ.get("BENCH_OLYMPIAD_ROWS", "300000"))
SCHOOLS, OKTMO, TASKS, MAX = 600, "29701000", 5, 100
LARGE_FILE = 64 * 1024 * 1024  # a whole region's year in one file is ~20 MB: above the default upload limit
CAPTIONS = [c.caption for c in COLUMNS[:8]] + [f"Задание {i}" for i in range(1, TASKS + 1)]


def rows(n: int) -> list[list]:
    rng = random.Random(9)
    out = []
    for i in range(n):
        study = rng.randint(4, 11)
        grade = study + 1 if study < 11 and rng.random() < 0.03 else study
        tasks = [min(20, max(0, round(rng.gauss(8, 5)))) for _ in range(TASKS)]
        out.append([f"Ш-{i:07d}", f"Фамилия{i % 5000}", f"Имя{i % 300}", "Отчество", legal_inn(i % SCHOOLS + 1),
                    study, grade, sum(tasks), *tasks])
    return out


async def seed_organisations(conn: asyncpg.Connection) -> None:
    await conn.executemany(
        "insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active, version, inn)"
        " values ($1, $2, 'school', $3, true, 1, $4)",
        [(uuid.uuid4(), OKTMO, f"Школа № {n}", legal_inn(n)) for n in range(1, SCHOOLS + 1)])


async def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = await call
    return time.perf_counter() - started, result


async def import_file(http: httpx.AsyncClient, stage_id: str, data: bytes) -> dict:
    r = await http.post(f"/olympiads/stages/{stage_id}/results", params={"mode": "VALID_ROWS"},
                        files={"file": ("protocol.xlsx", data)})
    r.raise_for_status()
    job = r.json()
    while job["status"] not in ("DONE", "FAILED"):
        await asyncio.sleep(0.1)
        job = (await http.get(f"/imports/{job['id']}")).json()
    return job


def _ran(job: dict) -> float:
    return (datetime.fromisoformat(job["finishedAt"]) - datetime.fromisoformat(job["startedAt"])).total_seconds()


async def passing_scores(http: httpx.AsyncClient, stage_id: str) -> None:
    for grade in range(7, 12):
        r = await http.put(f"/olympiads/stages/{stage_id}/grades/{grade}/passing-score", json={"score": 45})
        r.raise_for_status()


async def main() -> None:
    table = rows(ROWS)
    data = workbook("Протокол", CAPTIONS, table)
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-olympiad-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    namespace = f"bencho{uuid.uuid4().hex[:6]}"
    stack = Stack(infra, ports={n: free_port() for n in ("gateway", "registry", "events", "monitoring")},
                  database_prefix=namespace,
                  extra_env={"KAFKA_NAMESPACE": namespace, "IMPORT_MAX_BYTES": str(LARGE_FILE),
                             "MAX_REQUEST_BYTES": str(LARGE_FILE)})
    try:
        stack.start(names=("events",), log_dir=data_dir)
        token = devissuer.issue("regional_coordinator", base=data_dir)
        conn = await asyncpg.connect(with_database(infra.database_url, f"{namespace}_events"))
        try:
            await seed_organisations(conn)
            parse_seconds, parsed = parse_only(data)
            copy_seconds = await copy_only(conn, "bench_results", parsed)
        finally:
            await conn.close()
        async with httpx.AsyncClient(base_url=stack.services["events"].url, timeout=600,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            r = await http.post("/olympiads/stages", json={
                "year": 2026, "subject": "mathematics", "stage": "school", "municipalityOktmo": OKTMO,
                "grades": [{"grade": g, "maxScore": MAX} for g in range(4, 12)]})
            r.raise_for_status()
            stage_id = r.json()["id"]
            seconds, job = await timed(import_file(http, stage_id, data))
            again, second = await timed(import_file(http, stage_id, data))
            passing, _ = await timed(passing_scores(http, stage_id))
            appeal, _ = await timed(http.post(f"/olympiads/stages/{stage_id}/appeals", json={
                "participantCode": "Ш-0000007", "newScore": 99, "reason": "Пересмотр задания 2"}))
    finally:
        stack.stop()
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    n = len(table)
    print(f"\nMetodset olympiad import benchmark: {n} school-stage results ({len(data) / 1e6:.1f} MB xlsx), "
          f"{SCHOOLS} schools, grades 4–11, {TASKS} tasks")
    print(f"  import    upload → parse → validate → pupils, results, statuses, admission  {seconds:6.1f} s  "
          f"{n / seconds:8.0f} rows/s  ({job['status']}: created {job['created']}, updated {job['updated']}, "
          f"unchanged {job['unchanged']}, errors {len(job['errors'])})")
    print(f"            of which the job ran {_ran(job):.1f} s (from its start to DONE); the rest is upload and "
          "the check of the file's headers")
    print(f"  again     the same file again (nothing to change)                          {again:6.1f} s  "
          f"{n / again:8.0f} rows/s  (unchanged {second['unchanged']})")
    print(f"  baseline  python-calamine parse of the file                                {parse_seconds:6.2f} s")
    print(f"  baseline  asyncpg COPY of the parsed rows                                  {copy_seconds:6.2f} s")
    print(f"  ratio     import / (parse + COPY)                                          "
          f"{seconds / (parse_seconds + copy_seconds):6.1f} ×")
    print(f"  passing   5 passing scores set, each recomputing the stage's admission list {passing:6.2f} s "
          f"({passing / 5:.2f} s each)")
    print(f"  appeal    one appeal: its grade's statuses and the admission list recomputed {appeal:6.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
