"""The REST face of the import mechanism, the same in every service that declares kinds:
`GET /templates/{kind}.xlsx`, `POST /imports?kind=&mode=` (multipart field `file`), `GET /imports/{id}`,
`GET /imports/{id}/report.xlsx`; and `xlsx_response` for the exports of the service's own lists."""

import asyncio
import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, FastAPI, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from .. import logging as log
from ..auth import CurrentPrincipal
from ..errors import Conflict, DomainError, Forbidden, NotFound
from . import jobs
from .columns import Kind
from .reading import FileRefused, preflight, sheet_rows
from .writing import XLSX_MEDIA_TYPE, kind_workbook, report_workbook

DEFAULT_MAX_BYTES = 8 * 1024 * 1024


class _Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RowErrorPublic(_Shape):
    row: int
    column: str | None
    message: str


class ImportJobPublic(_Shape):
    id: UUID
    kind: str
    mode: jobs.Mode
    status: jobs.Status
    total: int
    done: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorPublic]
    warnings: list[str]
    failure: str | None = None
    file_name: str | None = None
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None


def xlsx_response(data: bytes, file_name: str) -> Response:
    return Response(data, media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}"})


async def export(kind: Kind, records: Iterable[dict], file_name: str) -> Response:
    """A list written in the kind's layout, which imports back unchanged."""
    return xlsx_response(await asyncio.to_thread(kind_workbook, kind, list(records)), file_name)


class Imports:
    """A service's import machinery: give its `router` and `start` to the ServiceSpec (routers, starters)."""

    def __init__(self, kinds: Sequence[Kind]):
        self.kinds = {k.name: k for k in kinds}
        self.kind_enum = StrEnum("ImportKind", {k.name.upper(): k.name for k in kinds})
        self.router = self._router()

    def runner(self, app: FastAPI) -> jobs.Runner:
        runner = getattr(app.state, "import_runner", None)
        if runner is None:
            runner = app.state.import_runner = jobs.Runner(app.state.pool, self.kinds)
        return runner

    async def start(self, app: FastAPI, stack: contextlib.AsyncExitStack) -> None:
        """Resume the jobs a stopped process left unfinished; on stop, cancel the running ones (resumed later)."""
        runner = self.runner(app)
        stack.push_async_callback(runner.stop)
        days = getattr(app.state.settings, "import_retention_days", 0)
        if days > 0:
            pruning = asyncio.create_task(runner.keep_pruning(days))
            stack.callback(pruning.cancel)
        resumed = await runner.resume()
        if resumed:
            log.get("imports").info("import.resumed", jobs=[str(j) for j in resumed])

    async def upload(self, request: Request, principal, kind: str, mode: jobs.Mode, file: UploadFile,
                    target: str | None = None) -> dict:
        """Take an upload and start its job (202): the generic route, or a service's own route for a kind
        imported into one target (the route checks the caller's right to the target first)."""
        spec = self.kinds[kind]
        refusal = spec.refused(principal)
        if refusal:
            raise Forbidden(refusal)
        data = await _read(request, file)
        try:
            warnings = await asyncio.to_thread(preflight, spec, data)
        except FileRefused as exc:
            raise DomainError("file", str(exc), "file_refused") from None
        name = f"{kind}:{target}" if target else kind
        async with request.app.state.pool.acquire() as conn:
            job = await jobs.create(conn, name, mode, principal, file.filename, data)
        job["warnings"] = warnings
        self.runner(request.app).start(job["id"])
        return jobs.job_json(job)

    def _router(self) -> APIRouter:
        router = APIRouter(tags=["imports"])
        KindName = self.kind_enum  # noqa: N806
        kinds_help = "; ".join(f"{k.name} — {k.title}" for k in self.kinds.values())

        @router.get("/templates/{kind}.xlsx", operation_id="importTemplate", summary="Шаблон xlsx для импорта",
                    description=f"Заголовки по-русски, лист «Инструкция», выпадающие списки. Виды: {kinds_help}",
                    response_class=Response, responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}})
        async def template(kind: KindName, principal: CurrentPrincipal):
            spec = self.kinds[kind.value]
            return xlsx_response(await asyncio.to_thread(kind_workbook, spec), f"{spec.title}.xlsx")

        @router.post("/imports", status_code=202, operation_id="startImport", response_model=ImportJobPublic,
                     summary="Загрузить файл xlsx или csv: импорт выполняется заданием",
                     description="Ответ 202 с заданием; ход и ошибки — GET /imports/{id}. Режимы: ALL_OR_NOTHING "
                                 "(любая ошибочная строка — ничего не записано), VALID_ROWS (записаны верные строки). "
                                 f"Виды: {kinds_help}")
        async def start_import(request: Request, principal: CurrentPrincipal,
                               kind: Annotated[KindName, Query()], mode: Annotated[jobs.Mode, Query()],
                               file: Annotated[UploadFile, File(description="Файл xlsx или csv")]):
            spec = self.kinds[kind.value]
            if spec.bind is not None:
                raise DomainError("kind", f"«{spec.title}» загружается на свой адрес (см. описание API)",
                                  "bound_kind", where="query")
            return await self.upload(request, principal, spec.name, mode, file)

        @router.get("/imports/{job_id}", operation_id="importJob", response_model=ImportJobPublic,
                    summary="Задание импорта: состояние, ход (done из total), итоги и ошибочные строки")
        async def import_job(request: Request, job_id: UUID, principal: CurrentPrincipal):
            return jobs.job_json(await _job(request, job_id, principal))

        @router.get("/imports/{job_id}/report.xlsx", operation_id="importReport", response_class=Response,
                    summary="Загруженный лист с ошибочными ячейками, выделенными цветом и с комментариями",
                    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}})
        async def import_report(request: Request, job_id: UUID, principal: CurrentPrincipal):
            job = await _job(request, job_id, principal, with_file=True)
            if job["status"] not in (jobs.Status.DONE, jobs.Status.FAILED):
                raise Conflict("id", "Задание ещё выполняется: отчёт будет готов по его завершении", "running")
            try:
                data = await asyncio.to_thread(self._report, job)
            except FileRefused as exc:
                raise DomainError("id", str(exc), "file_refused") from None
            return xlsx_response(data, f"Отчёт {job['file_name'] or job['id']}.xlsx")

        return router

    def _report(self, job: dict) -> bytes:
        errors = [jobs.RowError(e["row"], e["column"], e["message"]) for e in job["errors"]]
        return report_workbook(jobs.kind_of(self.kinds, job["kind"]), sheet_rows(bytes(job["file"])), errors)


class _TooLarge(DomainError):
    status_code = 413


async def _read(request: Request, file: UploadFile) -> bytes:
    limit = getattr(request.app.state.settings, "import_max_bytes", DEFAULT_MAX_BYTES)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge("file", f"Файл больше допустимого ({limit // (1024 * 1024)} МБ)", "too_large")
    return data


async def _job(request: Request, job_id: UUID, principal, with_file: bool = False) -> dict:
    async with request.app.state.pool.acquire() as conn:
        job = await jobs.find(conn, job_id, principal, with_file=with_file)
    if job is None:  # another caller's job answers exactly like a missing one
        raise NotFound("id", f"Задание импорта {job_id} не найдено", "not_found", where="path")
    return job
