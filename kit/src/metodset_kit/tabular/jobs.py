"""Import jobs: stored with the uploaded bytes, run in the service process as background tasks, progress
written between chunks. A job is run by whoever holds its advisory lock; a job left QUEUED or RUNNING by a
process that died is run again from the start on the next start of the service (resume): the kinds' row
handlers match existing records, so rows written before the stop come out `unchanged`."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from enum import StrEnum

import asyncpg

from .. import logging as log
from ..scope import Principal, Role
from .columns import Kind, Outcome, Row, RowError
from .reading import FileRefused, Parsed, parse

ALL_OR_NOTHING, VALID_ROWS = "ALL_OR_NOTHING", "VALID_ROWS"
RESUMED = ("Задание прервано остановкой службы и выполнено заново с начала; строки, записанные до остановки, "
           "учтены как неизменённые")
FAILED_UNEXPECTEDLY = "Внутренняя ошибка при импорте; ничего из незавершённой части не записано"


class Mode(StrEnum):
    ALL_OR_NOTHING = ALL_OR_NOTHING
    VALID_ROWS = VALID_ROWS


class Status(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


_PUBLIC = ("id, kind, mode, status, total, done, created, updated, unchanged, errors, warnings, failure, file_name, "
           "created_at, started_at, finished_at")


def _lock_key(job_id: uuid.UUID) -> int:
    return int.from_bytes(job_id.bytes[:8], "big", signed=True)


async def create(conn, kind: str, mode: Mode, principal: Principal, file_name: str | None, data: bytes) -> dict:
    row = await conn.fetchrow(
        f"""insert into import_jobs (id, kind, mode, file_name, file, subject, role, municipality, organisation)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning {_PUBLIC}""",
        uuid.uuid4(), kind, mode.value, file_name, data, principal.subject, principal.role.value,
        principal.municipality, principal.organisation)
    return dict(row)


def _visible(principal: Principal) -> tuple[str, list]:
    """A caller sees the jobs they started in the scope they have now (a methodist moved to another
    municipality no longer sees the old one's files); the regional coordinator sees all."""
    return ("($6 or (subject = $2 and role = $3 and municipality is not distinct from $4"
            " and organisation is not distinct from $5))",
            [principal.subject, principal.role.value, principal.municipality, principal.organisation,
             principal.role is Role.REGIONAL_COORDINATOR])


async def find(conn, job_id: uuid.UUID, principal: Principal, *, with_file: bool = False) -> dict | None:
    where, args = _visible(principal)
    columns = _PUBLIC + (", file" if with_file else "")
    row = await conn.fetchrow(f"select {columns} from import_jobs where id = $1 and {where}", job_id, *args)
    return dict(row) if row else None


class Runner:
    """Runs the service's import jobs as background tasks of its process."""

    def __init__(self, pool: asyncpg.Pool, kinds: Mapping[str, Kind]):
        self.pool = pool
        self.kinds = kinds
        self.tasks: set[asyncio.Task] = set()

    def start(self, job_id: uuid.UUID) -> asyncio.Task:
        task = asyncio.create_task(self.run(job_id), name=f"import {job_id}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def resume(self) -> list[uuid.UUID]:
        """Start every unfinished job; one still run by a live process keeps its lock and is left to it."""
        ids = [r["id"] for r in await self.pool.fetch(
            "select id from import_jobs where status in ('QUEUED', 'RUNNING') order by created_at")]
        for job_id in ids:
            self.start(job_id)
        return ids

    async def prune(self, days: int) -> int:
        """Delete finished jobs older than `days` with their files: an upload may hold personal data."""
        status = await self.pool.execute(
            "delete from import_jobs where status in ('DONE', 'FAILED') "
            "and finished_at < now() - make_interval(days => $1)", days)
        return int(status.split()[-1])

    async def keep_pruning(self, days: int, every_seconds: float = 3600) -> None:
        while True:
            try:
                pruned = await self.prune(days)
                if pruned:
                    log.get("imports").info("import.pruned", jobs=pruned)
            except Exception as exc:  # noqa: BLE001 - try again next round
                log.get("imports").warning("import.prune_failed", error=repr(exc))
            await asyncio.sleep(every_seconds)

    async def stop(self, wait: float = 5.0) -> None:
        """Cancel the running jobs: their open transaction rolls back and the next start resumes them."""
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=wait)

    async def run(self, job_id: uuid.UUID) -> None:
        async with self.pool.acquire() as conn:
            if not await conn.fetchval("select pg_try_advisory_lock($1)", _lock_key(job_id)):
                return  # another process runs it
            try:
                await self._run_locked(conn, job_id)
            finally:
                await conn.execute("select pg_advisory_unlock($1)", _lock_key(job_id))

    async def _run_locked(self, conn, job_id: uuid.UUID) -> None:
        job = await conn.fetchrow("select * from import_jobs where id = $1 and status in ('QUEUED', 'RUNNING')",
                                  job_id)
        if job is None:
            return  # finished meanwhile
        warnings = [RESUMED] if job["status"] == Status.RUNNING else []
        await self._update(job_id, status=Status.RUNNING, started_at=True, done=0, created=0, updated=0,
                           unchanged=0)
        try:
            await self._execute(conn, job, warnings)
        except asyncio.CancelledError:
            raise
        except FileRefused as exc:
            await self._update(job_id, status=Status.FAILED, failure=str(exc), finished_at=True)
        except Exception:
            log.get("imports").exception("import.failed", job=str(job_id), kind=job["kind"])
            await self._update(job_id, status=Status.FAILED, failure=FAILED_UNEXPECTEDLY, finished_at=True)

    async def _execute(self, conn, job, warnings: list[str]) -> None:
        kind = kind_of(self.kinds, job["kind"])
        principal = Principal(job["subject"], Role(job["role"]), job["municipality"], job["organisation"])
        parsed: Parsed = await asyncio.to_thread(parse, kind, bytes(job["file"]))
        warnings = warnings + parsed.warnings
        errors = parsed.errors + duplicates(kind, parsed)
        rows = _without(parsed.rows, errors)
        done = parsed.total - len(rows)
        await self._update(job["id"], total=parsed.total, done=done, warnings=warnings)
        outcome = Outcome()
        if job["mode"] == ALL_OR_NOTHING:
            try:
                async with conn.transaction():
                    await self._chunks(conn, kind, principal, rows, outcome, done, job["id"], per_chunk=False)
                    if errors or outcome.errors:
                        raise _Rollback
                    if kind.finish:
                        await kind.finish(conn, principal)
            except _Rollback:
                outcome = Outcome(errors=outcome.errors)  # a bad row: nothing is written
        else:
            await self._chunks(conn, kind, principal, rows, outcome, done, job["id"], per_chunk=True)
            if kind.finish:
                async with conn.transaction():
                    await kind.finish(conn, principal)
        await self._finish(job["id"], parsed.total, outcome, errors)

    async def _chunks(self, conn, kind: Kind, principal: Principal, rows: list[Row], outcome: Outcome, done: int,
                      job_id: uuid.UUID, per_chunk: bool) -> int:
        for start in range(0, len(rows), kind.chunk):
            chunk = rows[start:start + kind.chunk]
            if per_chunk:
                async with conn.transaction():
                    outcome.add(await kind.handler(conn, principal, chunk))
            else:
                outcome.add(await kind.handler(conn, principal, chunk))
            done += len(chunk)
            await self._update(job_id, done=done)
        return done

    async def _finish(self, job_id: uuid.UUID, total: int, outcome: Outcome, errors: list[RowError]) -> None:
        every = sorted(errors + outcome.errors, key=lambda e: (e.row, e.column or ""))
        await self._update(job_id, status=Status.DONE, done=total, created=outcome.created, updated=outcome.updated,
                           unchanged=outcome.unchanged, errors=[e.as_json() for e in every], finished_at=True)

    async def _update(self, job_id: uuid.UUID, *, started_at: bool = False, finished_at: bool = False,
                      **values) -> None:
        sets, args = [], [job_id]
        for name, value in values.items():
            args.append(value.value if isinstance(value, StrEnum) else value)
            sets.append(f"{name} = ${len(args)}")
        if started_at:
            sets.append("started_at = now()")
        if finished_at:
            sets.append("finished_at = now()")
        await self.pool.execute(f"update import_jobs set {', '.join(sets)} where id = $1", *args)


def kind_of(kinds: Mapping[str, Kind], name: str) -> Kind:
    """The kind of a job: "name", or "name:target" for a kind imported into one target (Kind.bind)."""
    base, _, target = name.partition(":")
    kind = kinds[base]
    return kind.bind(target) if target and kind.bind else kind


class _Rollback(Exception):
    pass


def _without(rows: list[Row], errors: list[RowError]) -> list[Row]:
    bad = {e.row for e in errors}
    return [r for r in rows if r.number not in bad]


def duplicates(kind: Kind, parsed: Parsed) -> list[RowError]:
    """A value of a unique column repeated in the file: every repetition after the first is a bad row."""
    errors = []
    for column in (c for c in kind.columns if c.unique):
        first: dict = {}
        for row in parsed.rows:
            value = row.values.get(column.key)
            if value is None:
                continue
            if value in first:
                errors.append(RowError(row.number, column.caption,
                                       f"{column.caption} {value} уже встречается в строке {first[value]}"))
            else:
                first[value] = row.number
    return errors


def job_json(job: Mapping) -> dict:
    return {"id": str(job["id"]), "kind": job["kind"], "mode": job["mode"], "status": job["status"],
            "total": job["total"], "done": job["done"], "created": job["created"], "updated": job["updated"],
            "unchanged": job["unchanged"], "errors": job["errors"], "warnings": job["warnings"],
            "failure": job["failure"], "fileName": job["file_name"], "createdAt": job["created_at"],
            "startedAt": job["started_at"], "finishedAt": job["finished_at"]}

