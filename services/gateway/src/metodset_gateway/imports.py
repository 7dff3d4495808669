"""Imports through GraphQL: `startImport` takes the file by the GraphQL multipart request spec and forwards it
to the owning service's `POST /imports`; `importJob` polls the job. Templates, reports and exports stay REST
URLs of the registry (named in the descriptions). A new kind: one more ImportKind member (its REST name)."""
from __future__ import annotations

import datetime
from enum import Enum

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from .context import Context

REST = ("Шаблон: GET /templates/{kind}.xlsx реестра (например /templates/organisations.xlsx); отчёт об ошибках "
        "(загруженный лист с выделенными ячейками и комментариями): GET /imports/{id}/report.xlsx; выгрузки "
        "(загружаются обратно без изменений): GET /organisations/export.xlsx, /staff/export.xlsx, "
        "/bodies/export.xlsx — с тем же токеном")

ImportKind = strawberry.enum(Enum("ImportKind", {"ORGANISATIONS": "organisations", "STAFF": "staff",
                                                 "BODIES": "bodies", "COURSES": "courses",
                                                 "DIAGNOSTICS": "diagnostics",
                                                 "OLYMPIAD_RESULTS": "olympiad-results"}),
                             description="Что загружается: ORGANISATIONS — организации (шаблон "
                                         "/templates/organisations.xlsx), STAFF — работники с местами работы "
                                         "(шаблон /templates/staff.xlsx), BODIES — методические объединения и советы "
                                         "с участниками (шаблон /templates/bodies.xlsx), COURSES — пройденные курсы "
                                         "(шаблон /templates/courses.xlsx), DIAGNOSTICS — результаты диагностики "
                                         "профессиональных дефицитов (шаблон /templates/diagnostics.xlsx), "
                                         "OLYMPIAD_RESULTS — результаты этапа олимпиады (importOlympiadResults; "
                                         "шаблон /templates/olympiad-results.xlsx сервиса мероприятий)")
ImportMode = strawberry.enum(Enum("ImportMode", {"ALL_OR_NOTHING": "ALL_OR_NOTHING", "VALID_ROWS": "VALID_ROWS"}),
                             description="ALL_OR_NOTHING — любая ошибочная строка: ничего не записано; "
                                         "VALID_ROWS — верные строки записаны, ошибочные перечислены")
ImportStatus = strawberry.enum(Enum("ImportStatus", {s: s for s in ("QUEUED", "RUNNING", "DONE", "FAILED")}),
                               description="Состояние задания импорта")


@strawberry.type(description="Ошибочная строка: номер строки как в листе (заголовок — строка 1), подпись столбца "
                             "(null — ошибка всей строки), объяснение")
class ImportRowError:
    row: int
    column: str | None
    message: str


@strawberry.type(description=f"Задание импорта: ход (done из total), итоги и ошибочные строки. {REST}")
class ImportJob:
    id: strawberry.ID
    kind: ImportKind
    mode: ImportMode
    status: ImportStatus
    total: int
    done: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportRowError]
    warnings: list[str]
    failure: str | None
    file_name: str | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    report_url: str = strawberry.field(description="REST-адрес отчёта xlsx в реестре (тот же токен)")

    @classmethod
    def from_json(cls, d: dict) -> ImportJob:
        kind = d["kind"].partition(":")[0]  # "olympiad-results:{stage}": a kind imported into one stage
        return cls(id=d["id"], kind=ImportKind(kind), mode=ImportMode(d["mode"]), status=ImportStatus(d["status"]),
                   total=d["total"], done=d["done"], created=d["created"], updated=d["updated"],
                   unchanged=d["unchanged"], errors=[ImportRowError(**e) for e in d["errors"]],
                   warnings=d["warnings"], failure=d.get("failure"), file_name=d.get("fileName"),
                   created_at=datetime.datetime.fromisoformat(d["createdAt"]),
                   finished_at=datetime.datetime.fromisoformat(d["finishedAt"]) if d.get("finishedAt") else None,
                   report_url=f"/imports/{d['id']}/report.xlsx")


@strawberry.type
class ImportQueries:
    @strawberry.field(description="Задание импорта, начатое вызывающим (координатор видит все); null — нет такого")
    async def import_job(self, info: Info[Context, None], id: strawberry.ID) -> ImportJob | None:
        from .schema import _uuid

        found = await info.context.registry.find(f"/imports/{_uuid(id)}", info.context.token)
        if found is None:  # the events service's jobs (olympiad protocols)
            found = await info.context.events.find(f"/imports/{_uuid(id)}", info.context.token)
        return ImportJob.from_json(found) if found is not None else None


@strawberry.type
class ImportMutations:
    @strawberry.mutation(description="Загрузить файл xlsx или csv (multipart по GraphQL multipart request spec: "
                                     f"поля operations, map и файл); импорт идёт заданием — см. importJob. {REST}")
    async def start_import(self, info: Info[Context, None], kind: ImportKind, mode: ImportMode,
                           file: Upload) -> ImportJob:
        data = await file.read()
        files = {"file": (file.filename or "import", data, file.content_type or "application/octet-stream")}
        job = await info.context.registry.call("POST", "/imports", info.context.token,
                                               params={"kind": kind.value, "mode": mode.value}, files=files)
        return ImportJob.from_json(job)
