"""REST entry points of the bank of practices and of materials (files and links)."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile

from metodset_contracts.practices import PracticeLevel, PracticeStatus
from metodset_kit.auth import AuthRefused, CurrentPrincipal, principal_of
from metodset_kit.errors import DomainError
from metodset_kit.hostile import bad_text
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, next_cursor
from metodset_kit.scope import Principal
from metodset_kit.storage import ALLOWED, Storage, checked, download_headers, of_app

from . import materials, practices
from . import practices_repository as repo
from .domain.search import text_query
from .practices_schemas import (
    DisseminationAdd,
    LinkAdd,
    MaterialOwner,
    MaterialPublic,
    PracticeCreate,
    PracticePage,
    PracticePublic,
    StatusChange,
)

router = APIRouter()
DOWNLOAD = "GET /materials/*"  # public: an event's materials are public like the event (app.py SPEC.public)
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str | None, Query(description="nextCursor предыдущей страницы", max_length=MAX_CURSOR_LENGTH)]
Oktmo = Annotated[str | None, Query(pattern=r"^\d{8}(\d{3})?$")]


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def storage(request: Request) -> Storage:
    return of_app(request.app.state)


@router.post("/practices", status_code=201, operation_id="identifyPractice", tags=["practices"],
             summary="Внести выявленную практику в банк (координатор; методист — практики организаций своего "
                     "муниципалитета)", response_model=PracticePublic, response_model_by_alias=True)
async def identify(data: PracticeCreate, principal: CurrentPrincipal, pool: Pool):
    return await practices.identify(pool, principal, data)


@router.get("/practices", operation_id="listPractices", tags=["practices"],
            summary="Банк практик: поиск по тексту (русская морфология), фильтры, постранично по курсору",
            description="С search — по релевантности (ts_rank), с фрагментом описания (snippet: найденные слова в "
                        "**…**); запрос в синтаксисе websearch («наставничество -школа», \"точная фраза\", or). "
                        "Без search — по названию, id.",
            response_model=PracticePage, response_model_by_alias=True)
async def list_practices(
    principal: CurrentPrincipal, pool: Pool,
    search: Annotated[str | None, Query(max_length=500)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None, level: PracticeLevel | None = None,
    status: PracticeStatus | None = None, municipality: Oktmo = None, organisation: UUID | None = None,
    limit: Limit = 50, after: After = None,
):
    filters = repo.Filters(search=text_query(search), subject=subject, level=level and level.value,
                           status=status and status.value, municipality=municipality, organisation=organisation)
    ordering = repo.BY_RANK if filters.search else repo.BY_TITLE
    seek = decode_cursor(ordering, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows = await repo.page(conn, filters, limit + 1, seek)
        total = await repo.count(conn, filters)
        linked = await repo.events_of(conn, [r["id"] for r in rows[:limit]])
    return PracticePage(items=[practices.public(r, linked[r["id"]]) for r in rows[:limit]],
                        next_cursor=next_cursor(ordering, rows, limit), total_count=total)


@router.get("/practices/{practice_id}", operation_id="getPractice", tags=["practices"],
            summary="Практика: описание, авторы (id), мероприятия распространения, материалы",
            response_model=PracticePublic, response_model_by_alias=True)
async def get_practice(practice_id: UUID, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn:
        row = await practices.practice_row(conn, practice_id)
        linked = await repo.events_of(conn, [row["id"]])
    found = await materials.of_owner(pool, principal, MaterialOwner.PRACTICE, practice_id)
    return practices.public(row, linked[row["id"]], found)


@router.post("/practices/{practice_id}/status", operation_id="changePracticeStatus", tags=["practices"],
             summary="Перевести практику в следующее состояние: изучена, обобщена, распространена",
             response_model=PracticePublic, response_model_by_alias=True)
async def change_status(practice_id: UUID, data: StatusChange, principal: CurrentPrincipal, pool: Pool):
    return await practices.change_status(pool, principal, practice_id, data.status)


@router.post("/practices/{practice_id}/disseminations", operation_id="disseminatePractice", tags=["practices"],
             summary="Указать мероприятие, где практика распространена (обобщённая становится распространённой)",
             response_model=PracticePublic, response_model_by_alias=True)
async def disseminate(practice_id: UUID, data: DisseminationAdd, principal: CurrentPrincipal, pool: Pool):
    return await practices.disseminate(pool, principal, practice_id, data.event_id)


@router.post("/materials/links", status_code=201, operation_id="addMaterialLink", tags=["materials"],
             summary="Прикрепить ссылку (http/https) к мероприятию, объединению или практике",
             response_model=MaterialPublic, response_model_by_alias=True)
async def add_link(data: LinkAdd, principal: CurrentPrincipal, pool: Pool):
    return await materials.add_link(pool, principal, data.owner, data.owner_id, data.title, data.url)


@router.post("/materials/files", status_code=201, operation_id="addMaterialFile", tags=["materials"],
             summary="Загрузить файл (pdf, docx, xlsx, pptx, jpg, png, mp4 — тип определяется по содержимому)",
             description="multipart/form-data: owner, ownerId, title, file. Размер — не больше STORAGE_MAX_BYTES.",
             response_model=MaterialPublic, response_model_by_alias=True)
async def add_file(request: Request, principal: CurrentPrincipal, pool: Pool,
                   owner: Annotated[MaterialOwner, Form()], owner_id: Annotated[UUID, Form(alias="ownerId")],
                   title: Annotated[str, Form(min_length=1, max_length=500)],
                   file: Annotated[UploadFile, File(description="Файл материала")]):
    if not title.strip() or bad_text(title):
        raise DomainError("title", "Укажите название материала (без управляющих символов)", "invalid")
    limit = request.app.state.settings.storage_max_bytes
    data = await file.read(limit + 1)
    kind = checked(data, limit)
    return await materials.add_file(pool, storage(request), principal, owner, owner_id, title.strip(),
                                    data, kind, file.filename)


@router.get("/materials", operation_id="listMaterials", tags=["materials"],
            summary="Материалы мероприятия, объединения или практики", response_model=list[MaterialPublic],
            response_model_by_alias=True)
async def list_materials(principal: CurrentPrincipal, pool: Pool, owner: MaterialOwner,
                         owner_id: Annotated[UUID, Query(alias="ownerId")]):
    return await materials.of_owner(pool, principal, owner, owner_id)


def _caller(request: Request) -> Principal | None:
    """The caller of a public route, when they sent a token (a bad token is refused like anywhere else)."""
    header = request.headers.get("authorization")
    if not header:
        return None
    try:
        return principal_of(request.app.state.verifier, header)
    except AuthRefused as exc:
        raise HTTPException(exc.status_code, detail=exc.detail, headers=exc.headers) from exc


@router.get("/materials/{material_id}/file", operation_id="downloadMaterial", tags=["materials"],
            summary="Скачать файл материала (всегда вложением; материалы мероприятий — без токена)",
            response_class=Response)
async def download(material_id: UUID, request: Request, pool: Pool):
    row = await materials.downloadable(pool, _caller(request), material_id)
    data = await storage(request).get(row["sha256"])
    if data is None:  # the row outlived its file (a storage restored from an older copy)
        raise materials.missing(material_id)
    media_type = next(t.media_type for t in ALLOWED if t.code == row["file_type"])
    return Response(data, media_type=media_type, headers=download_headers(row["file_name"]))


