"""REST entry points of the registry: they only turn requests into use cases."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, HTTPException, Path, Query
from pydantic.alias_generators import to_camel

from metodset_contracts.organisations import KIND_TITLES
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, next_cursor

from ..deps import AsOf, Pool
from ..domain.organisations import Organisation
from . import handlers
from . import repository as repo
from .schemas import (
    BatchRegistered,
    MunicipalityCreate,
    MunicipalityPublic,
    OrganisationClose,
    OrganisationCreate,
    OrganisationPage,
    OrganisationPublic,
    OrganisationReorganise,
    OrganisationUpdate,
)

router = APIRouter()


def public(org: Organisation) -> OrganisationPublic:
    return OrganisationPublic(id=org.id, name=org.name, short_name=org.short_name, kind=org.kind,
                              kind_title=KIND_TITLES[org.kind], municipality_oktmo=org.municipality_oktmo,
                              inn=org.inn, ogrn=org.ogrn, address=org.address, phone=org.phone, email=org.email,
                              website=org.website, version=org.version, active=org.active, closed_on=org.closed_on,
                              status=org.status, parent_id=org.parent_id, successor_id=org.successor_id)


@router.post("/municipalities", status_code=201, operation_id="createMunicipality", tags=["municipalities"],
             summary="Добавить муниципалитет", response_model=MunicipalityPublic, response_model_by_alias=True)
async def create_municipality(data: MunicipalityCreate, principal: CurrentPrincipal, pool: Pool):
    await handlers.create_municipality(pool, principal, data)
    return MunicipalityPublic(oktmo=data.oktmo, name=data.name)


@router.get("/municipalities", operation_id="listMunicipalities", tags=["municipalities"],
            summary="Муниципалитеты региона", response_model=list[MunicipalityPublic])
async def list_municipalities(principal: CurrentPrincipal, pool: Pool,
                              oktmo: Annotated[list[str] | None, Query(max_length=500)] = None):
    async with pool.acquire() as conn:
        rows = await repo.municipalities(conn, oktmo)
    return [MunicipalityPublic(oktmo=r["oktmo"], name=r["name"]) for r in rows]


@router.get("/municipalities/{oktmo}", operation_id="getMunicipality", tags=["municipalities"],
            summary="Муниципалитет по коду ОКТМО", response_model=MunicipalityPublic)
async def get_municipality(oktmo: Annotated[str, Path(max_length=11)], principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn:
        rows = await repo.municipalities(conn, [oktmo])
    if not rows:
        raise NotFound("oktmo", f"Муниципалитет с ОКТМО {oktmo} не найден", "not_found")
    return MunicipalityPublic(oktmo=rows[0]["oktmo"], name=rows[0]["name"])


@router.post("/organisations", status_code=201, operation_id="registerOrganisation", tags=["organisations"],
             summary="Зарегистрировать организацию", response_model=OrganisationPublic)
async def register_organisation(data: OrganisationCreate, principal: CurrentPrincipal, pool: Pool):
    [org] = await handlers.register_organisations(pool, principal, [data])
    return public(org)


@router.post("/organisations/batch", status_code=201, operation_id="registerOrganisations", tags=["organisations"],
             summary="Зарегистрировать организации пакетом (всё или ничего; сообщает обо всех ошибочных строках)",
             response_model=BatchRegistered)
async def register_organisations(rows: Annotated[list[OrganisationCreate], Body(min_length=1, max_length=5000)],
                                 principal: CurrentPrincipal, pool: Pool):
    orgs = await handlers.register_organisations(pool, principal, rows)
    return BatchRegistered(ids=[o.id for o in orgs])


@router.get("/organisations", operation_id="listOrganisations", tags=["organisations"],
            summary="Организации (фильтры: муниципалитеты, вид, действующие), постранично по курсору",
            description="Порядок: ОКТМО муниципалитета, наименование, id. Следующая страница — с after=nextCursor; "
                        "totalCount — число организаций с теми же фильтрами (отдельный count по тем же условиям).",
            response_model=OrganisationPage, response_model_by_alias=True)
async def list_organisations(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[list[str] | None, Query(description="Коды ОКТМО", max_length=500)] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None, active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    after: Annotated[str | None, Query(description="nextCursor предыдущей страницы",
                                       max_length=MAX_CURSOR_LENGTH)] = None,
):
    order = repo.organisation_order(as_of)
    seek = decode_cursor(order, after) if after is not None else None
    filters = {"municipalities": municipality, "kind": kind, "active": active, "as_of": as_of}
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        orgs = await repo.organisations(conn, **filters, limit=limit + 1, after=seek)
        total = await repo.count_organisations(conn, **filters)
    cursor = next_cursor(order, [_key(o) for o in orgs], limit)
    return OrganisationPage(items=[public(o) for o in orgs[:limit]], next_cursor=cursor, total_count=total)


def _key(org: Organisation) -> dict:
    return {"municipality_oktmo": org.municipality_oktmo, "name": org.name, "id": org.id}


@router.get("/organisations/{org_id}", operation_id="getOrganisation", tags=["organisations"],
            summary="Организация", response_model=OrganisationPublic)
async def get_organisation(org_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf):
    async with pool.acquire() as conn:
        org = await repo.organisation(conn, org_id, as_of)
    if org is None:
        when = f" на {as_of.isoformat()}" if as_of else ""
        raise NotFound("id", f"Организация {org_id} не найдена{when}", "not_found", where="path")
    return public(org)


@router.patch("/organisations/{org_id}", operation_id="updateOrganisation", tags=["organisations"],
              summary="Изменить сведения об организации", response_model=OrganisationPublic)
async def update_organisation(org_id: UUID, data: OrganisationUpdate, principal: CurrentPrincipal, pool: Pool):
    changes = data.model_dump(exclude_unset=True)
    for required in ("name", "kind", "municipality_oktmo", "inn"):
        if required in changes and changes[required] is None:
            raise HTTPException(422, detail=[{"loc": ["body", to_camel(required)], "msg": "Поле не может быть пустым",
                                              "type": "missing"}])
    org = await handlers.update_organisation(pool, principal, org_id, changes)
    return public(org)


@router.post("/organisations/{org_id}/close", operation_id="closeOrganisation", tags=["organisations"],
             summary="Закрыть организацию", response_model=OrganisationPublic)
async def close_organisation(org_id: UUID, principal: CurrentPrincipal, pool: Pool,
                             data: OrganisationClose | None = None):
    org = await handlers.close_organisation(pool, principal, org_id, data.closed_on if data else None)
    return public(org)


@router.post("/organisations/{org_id}/reorganise", operation_id="reorganiseOrganisation", tags=["organisations"],
             summary="Реорганизовать организацию: закрыть с переходом к правопреемнику",
             response_model=OrganisationPublic)
async def reorganise_organisation(org_id: UUID, data: OrganisationReorganise, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.reorganise_organisation(pool, principal, org_id, data.successor_id, data.on))
