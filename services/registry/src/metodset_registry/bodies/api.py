"""REST entry points of methodical bodies, and of the organisations holding a site status (a municipality's
sites)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query

from metodset_contracts.bodies import ROLE_TITLES, BodyLevel
from metodset_contracts.organisations import SiteKind
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, next_cursor

from ..deps import AsOf, Pool
from ..domain import bodies as rules
from ..domain.bodies import Body as BodyModel
from ..domain.bodies import Composition
from ..organisations import sites_repository
from ..organisations.api import public
from ..organisations.schemas import OrganisationPage
from . import handlers
from . import import_ as bodies_import
from . import repository as repo
from .schemas import (
    BodyClose,
    BodyCreate,
    BodyImportReport,
    BodyPage,
    BodyPublic,
    BodyRowOutcome,
    CompositionApprove,
    CompositionMember,
    CompositionPublic,
    ImportMode,
    MemberAdd,
    MemberLeave,
    MemberPublic,
    PersonRef,
)

router = APIRouter()
Limit = Annotated[int, Query(ge=1, le=5000)]
After = Annotated[str | None, Query(description="nextCursor предыдущей страницы", max_length=MAX_CURSOR_LENGTH)]


def body_public(body: BodyModel, member_count: int, catalogues: rules.Catalogues, as_of: date | None = None,
                composition: CompositionPublic | None = None) -> BodyPublic:
    kind = catalogues.kinds.get(body.kind)
    return BodyPublic(id=body.id, name=body.name, kind=body.kind, kind_title=kind.title if kind else body.kind,
                      group=kind.group if kind else "",
                      level=body.level, level_title=body.level_title, municipality_oktmo=body.municipality_oktmo,
                      organisation_id=body.organisation_id, subject=body.subject,
                      subject_title=catalogues.subjects.get(body.subject) if body.subject else None, goal=body.goal,
                      term_start=body.term_start, term_end=body.term_end, created_on=body.created_on,
                      closed_on=body.closed_on, active=body.active_on(as_of) if as_of else body.active,
                      member_count=member_count, composition=composition)


def member_public(found: handlers.Named) -> MemberPublic:
    m = found.membership
    return MemberPublic(id=m.id, person=PersonRef(id=m.person_id, full_name=found.full_name), role=m.role,
                        role_title=ROLE_TITLES[m.role], from_=m.period.start, to=m.period.end)


def composition_public(composition: Composition, listed: list[handlers.Named] | None) -> CompositionPublic:
    members = None if listed is None else [
        CompositionMember(person=PersonRef(id=n.membership.person_id, full_name=n.full_name), role=n.membership.role,
                          role_title=ROLE_TITLES[n.membership.role]) for n in listed]
    return CompositionPublic(id=composition.id, order_number=composition.order_number,
                             order_date=composition.order_date, academic_year=composition.academic_year,
                             member_count=len(composition.members), members=members)


@router.post("/bodies", status_code=201, operation_id="createBody", tags=["bodies"],
             summary="Создать методическое объединение (совет, объединение, сообщество, временную группу)",
             response_model=BodyPublic, response_model_by_alias=True)
async def create_body(data: BodyCreate, principal: CurrentPrincipal, pool: Pool):
    body, catalogues = await handlers.create_body(pool, principal, data)
    return body_public(body, 0, catalogues)


@router.post("/bodies/batch", operation_id="importBodies", tags=["bodies"],
             summary="Пакетная загрузка объединений с участниками (строки шаблона); отчёт по каждой строке",
             description="Объединение находится по владельцу, виду, наименованию и предмету, иначе создаётся; "
                         "участник — по id или СНИЛС. Повторная загрузка тех же строк ничего не меняет.",
             response_model=BodyImportReport, response_model_by_alias=True)
async def import_bodies(rows: Annotated[list[dict], Body(min_length=1, max_length=50000)],
                        principal: CurrentPrincipal, pool: Pool,
                        mode: Annotated[ImportMode, Query()] = ImportMode.ALL_OR_NOTHING):
    result = await bodies_import.import_bodies(pool, principal, rows, mode)
    counts = result.counts()
    return BodyImportReport(mode=mode, applied=result.applied, created=counts["created"], updated=counts["updated"],
                            unchanged=counts["unchanged"], errors=counts["error"],
                            rows=[BodyRowOutcome(row=r.row, outcome=r.status, body_id=r.body_id,
                                                 member_id=r.member_id, errors=r.errors) for r in result.rows])


@router.get("/bodies", operation_id="listBodies", tags=["bodies"],
            summary="Методические объединения (фильтры: муниципалитет, организация, вид, уровень, работающие), "
                    "постранично по курсору",
            description="Порядок: наименование, id. Муниципалитет отбирает и его объединения, и объединения его "
                        "организаций. Состав (ФИО) здесь не показывается — только число участников на дату.",
            response_model=BodyPage, response_model_by_alias=True)
async def list_bodies(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[list[str] | None, Query(description="Коды ОКТМО", max_length=500)] = None,
    organisation: UUID | None = None, kind: Annotated[str | None, Query(max_length=64)] = None,
    level: BodyLevel | None = None, active: bool | None = None, limit: Limit = 1000, after: After = None,
):
    seek = decode_cursor(repo.BODY_ORDER, after) if after is not None else None
    day = as_of or date.today()
    filters = {"municipalities": municipality, "organisation": organisation, "kind": kind,
               "level": level.value if level else None, "active": active, "as_of": as_of, "day": day}
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repo.bodies(conn, **filters, limit=limit + 1, after=seek)
        total = await repo.count_bodies(conn, **filters)
        titles = await handlers.catalogues(conn)
    cursor = next_cursor(repo.BODY_ORDER, [{"name": b.name, "id": b.id} for b, _ in found], limit)
    return BodyPage(items=[body_public(b, n, titles, as_of) for b, n in found[:limit]], next_cursor=cursor,
                    total_count=total)


@router.get("/bodies/{body_id}", operation_id="getBody", tags=["bodies"],
            summary="Объединение на дату: число участников и утверждённый состав, действующий на эту дату",
            response_model=BodyPublic, response_model_by_alias=True)
async def get_body(body_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf):
    view = await handlers.body_view(pool, principal, body_id, as_of)
    composition = view.composition and composition_public(view.composition, view.composition_members)
    return body_public(view.body, view.member_count, view.catalogues, as_of, composition)


@router.post("/bodies/{body_id}/close", operation_id="closeBody", tags=["bodies"],
             summary="Закрыть объединение: последний день работы; участники выводятся из состава тем же днём",
             response_model=BodyPublic, response_model_by_alias=True)
async def close_body(body_id: UUID, principal: CurrentPrincipal, pool: Pool, data: BodyClose | None = None):
    body, catalogues = await handlers.close_body(pool, principal, body_id, data.closed_on if data else None)
    return body_public(body, 0, catalogues)


@router.get("/bodies/{body_id}/members", operation_id="listBodyMembers", tags=["bodies"],
            summary="Участники объединения на дату (ФИО — только руководителям объединения; чтение записывается "
                    "в журнал аудита)",
            description="Для всех остальных ответ такой же, как для несуществующего объединения (404).",
            response_model=list[MemberPublic], response_model_by_alias=True)
async def list_members(body_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
                       history: Annotated[bool, Query(description="Вся история участия")] = False):
    return [member_public(m) for m in await handlers.members_of(pool, principal, body_id, as_of, history)]


@router.post("/bodies/{body_id}/members", status_code=201, operation_id="addBodyMember", tags=["bodies"],
             summary="Включить педагога в состав объединения с ролью", response_model=MemberPublic,
             response_model_by_alias=True)
async def add_member(body_id: UUID, data: MemberAdd, principal: CurrentPrincipal, pool: Pool):
    return member_public(await handlers.add_member(pool, principal, body_id, data))


@router.post("/bodies/{body_id}/members/{member_id}/leave", operation_id="endBodyMembership", tags=["bodies"],
             summary="Вывести из состава: последний день участия", response_model=MemberPublic,
             response_model_by_alias=True)
async def leave(body_id: UUID, member_id: UUID, data: MemberLeave, principal: CurrentPrincipal, pool: Pool):
    return member_public(await handlers.end_membership(pool, principal, body_id, member_id, data.to))


@router.post("/bodies/{body_id}/compositions", status_code=201, operation_id="approveBodyComposition",
             tags=["bodies"], summary="Утвердить состав на учебный год приказом (без members — состав на дату "
                                      "приказа)", response_model=CompositionPublic, response_model_by_alias=True)
async def approve(body_id: UUID, data: CompositionApprove, principal: CurrentPrincipal, pool: Pool):
    return composition_public(*await handlers.approve_composition(pool, principal, body_id, data))


@router.get("/bodies/{body_id}/compositions", operation_id="listBodyCompositions", tags=["bodies"],
            summary="Утверждённые составы объединения (ФИО — только руководителям объединения)",
            response_model=list[CompositionPublic], response_model_by_alias=True)
async def list_compositions(body_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return [composition_public(c, listed) for c, listed in await handlers.compositions_of(pool, principal, body_id)]


@router.get("/sites", operation_id="listSites", tags=["organisations"],
            summary="Площадки: организации со статусом площадки, действующим на дату, постранично по курсору",
            description="Порядок: ОКТМО муниципалитета, наименование, id (как у списка организаций).",
            response_model=OrganisationPage, response_model_by_alias=True)
async def list_sites(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[list[str] | None, Query(description="Коды ОКТМО", max_length=500)] = None,
    kind: SiteKind | None = None, limit: Limit = 1000, after: After = None,
):
    order = sites_repository.order(as_of)
    seek = decode_cursor(order, after) if after is not None else None
    filters = {"municipalities": municipality, "kind": kind.value if kind else None, "as_of": as_of}
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        orgs = await sites_repository.holders(conn, **filters, limit=limit + 1, after=seek)
        total = await sites_repository.count_holders(conn, **filters)
    cursor = next_cursor(order, [{"municipality_oktmo": o.municipality_oktmo, "name": o.name, "id": o.id}
                                 for o in orgs], limit)
    return OrganisationPage(items=[public(o) for o in orgs[:limit]], next_cursor=cursor, total_count=total)
