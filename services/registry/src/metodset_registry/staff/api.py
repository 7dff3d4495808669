"""REST entry points of the staff register: persons, employments, staff lists and counts, the audit trail,
catalogues and the batch import. They only turn requests into use cases."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query, Request

from metodset_kit import audit
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor, next_cursor

from ..deps import AsOf, Pool
from ..domain.experience import YoungSpecialistRule, years
from . import handlers
from . import import_ as staff_import
from . import repository as repo
from .repository import Placed, StaffFilter
from .schemas import (
    AuditEntry,
    AuditPage,
    CatalogueItem,
    CatalogueItemCreate,
    CountRow,
    Dismiss,
    EmploymentPublic,
    Experience,
    GroupBy,
    Hire,
    ImportMode,
    ImportReport,
    PersonCreate,
    PersonPublic,
    PersonUpdate,
    StaffCounts,
    StaffItem,
    StaffPage,
    StaffRow,
    Transfer,
)

router = APIRouter()
TAGS = ["staff"]
COURSE_OVERDUE = "true — нет курсов повышения квалификации за последние N лет (COURSE_YEARS, 3), false — есть"
Cursor = Annotated[str | None, Query(description="nextCursor предыдущей страницы", max_length=MAX_CURSOR_LENGTH)]


def young_rule(request: Request) -> YoungSpecialistRule:
    """The region's rule from the settings (YOUNG_SPECIALIST_MAX_YEARS, YOUNG_SPECIALIST_MAX_AGE)."""
    settings = request.app.state.settings
    return YoungSpecialistRule(getattr(settings, "young_specialist_max_years", 3),
                               getattr(settings, "young_specialist_max_age", 35))


def employment_public(titles: dict, placed: Placed | None = None, *, row=None,
                      day: date | None = None) -> EmploymentPublic:
    """From a domain employment (its state on `day`, else the current one) or from a list row."""
    positions, subjects = titles["positions"], titles["subjects"]
    if row is not None:
        fields = {k: row[k] for k in ("id", "person_id", "organisation_id", "municipality_oktmo", "position", "rate",
                                      "main", "start_date", "end_date", "version", "organisation_name")}
        fields.update(subjects=list(row["subjects"]))
    else:
        e = placed.employment
        term = (e.term_on(day) if day else None) or e.current
        fields = dict(id=e.id, person_id=e.person_id, organisation_id=e.organisation_id,
                      municipality_oktmo=placed.municipality_oktmo, position=term.position,
                      subjects=list(term.subjects), rate=term.rate, main=term.main, start_date=e.start,
                      end_date=e.end, version=e.version, organisation_name=placed.organisation_name)
    return EmploymentPublic(**fields, position_title=positions.get(fields["position"], fields["position"]),
                            subject_titles=[subjects.get(s, s) for s in fields["subjects"]])


def person_public(view: handlers.PersonView, titles: dict) -> PersonPublic:
    p = view.person
    shown = [e for e in view.employments if e.employment.active_on(view.day)]
    return PersonPublic(
        id=p["id"], version=p["version"], full_name=handlers.domain.full_name(p["last_name"], p["first_name"],
                                                                             p["middle_name"]),
        last_name=p["last_name"], first_name=p["first_name"], middle_name=p["middle_name"],
        birth_date=p["birth_date"], snils=handlers.shown_snils(p["snils"]), phone=p["phone"], email=p["email"],
        registered_municipality=p["registered_municipality"],
        experience=Experience(total=years(view.experience_total), pedagogical=years(view.experience_pedagogical),
                              total_days=view.experience_total, pedagogical_days=view.experience_pedagogical),
        young_specialist=view.young,
        employments=[employment_public(titles, e, day=view.day) for e in shown])


@router.post("/persons", status_code=201, operation_id="createPerson", tags=TAGS, summary="Зарегистрировать работника",
             response_model=PersonPublic, response_model_by_alias=True)
async def create_person(data: PersonCreate, principal: CurrentPrincipal, pool: Pool, request: Request):
    person = await handlers.create_person(pool, principal, data)
    view = await handlers.read_person(pool, principal, person["id"], None, young_rule(request), "person.create")
    return person_public(view, await handlers.titles(pool))


@router.get("/persons/{person_id}", operation_id="getPerson", tags=TAGS,
            summary="Работник: персональные данные, стаж, места работы на дату (чтение записывается в журнал)",
            response_model=PersonPublic, response_model_by_alias=True)
async def get_person(person_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request):
    view = await handlers.read_person(pool, principal, person_id, as_of, young_rule(request))
    return person_public(view, await handlers.titles(pool))


@router.patch("/persons/{person_id}", operation_id="updatePerson", tags=TAGS, summary="Изменить сведения о работнике",
              response_model=PersonPublic, response_model_by_alias=True)
async def update_person(person_id: UUID, data: PersonUpdate, principal: CurrentPrincipal, pool: Pool,
                        request: Request):
    await handlers.update_person(pool, principal, person_id, data.model_dump(exclude_unset=True))
    view = await handlers.read_person(pool, principal, person_id, None, young_rule(request), "person.update")
    return person_public(view, await handlers.titles(pool))


@router.post("/employments", status_code=201, operation_id="hire", tags=TAGS, summary="Принять на работу",
             response_model=EmploymentPublic, response_model_by_alias=True)
async def hire(data: Hire, principal: CurrentPrincipal, pool: Pool):
    return employment_public(await handlers.titles(pool), await handlers.hire(pool, principal, data))


@router.post("/employments/{employment_id}/transfer", operation_id="transfer", tags=TAGS,
             summary="Перевести: новые должность, предметы, ставка или вид занятости с даты",
             response_model=EmploymentPublic, response_model_by_alias=True)
async def transfer(employment_id: UUID, data: Transfer, principal: CurrentPrincipal, pool: Pool):
    return employment_public(await handlers.titles(pool), await handlers.transfer(pool, principal, employment_id, data))


@router.post("/employments/{employment_id}/dismiss", operation_id="dismiss", tags=TAGS, summary="Уволить",
             response_model=EmploymentPublic, response_model_by_alias=True)
async def dismiss(employment_id: UUID, data: Dismiss, principal: CurrentPrincipal, pool: Pool):
    placed = await handlers.dismiss(pool, principal, employment_id, data.end_date)
    return employment_public(await handlers.titles(pool), placed)


@router.get("/staff", operation_id="listStaff", tags=TAGS,
            summary="Работники на дату (фильтры: муниципалитет, организация, должность, предмет, молодой специалист)",
            description="Порядок: ФИО, id. Каждая страница записывается в журнал доступа к персональным данным.",
            response_model=StaffPage, response_model_by_alias=True)
async def list_staff(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    position: Annotated[str | None, Query(max_length=64)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    young_specialist: Annotated[bool | None, Query(alias="youngSpecialist")] = None,
    course_overdue: Annotated[bool | None, Query(alias="courseOverdue", description=COURSE_OVERDUE)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    order = repo.staff_order(as_of)
    seek = decode_cursor(order, after) if after is not None else None
    f = replace(_filter(request, as_of, municipality, organisation, position, subject, young_specialist),
                course_overdue=course_overdue, course_years=getattr(request.app.state.settings, "course_years", 3))
    page = await handlers.list_staff(pool, principal, f,
                                     limit=limit, after=seek, order=order)
    return staff_page(page, await handlers.titles(pool), order, limit)


def staff_page(page: handlers.StaffPage, titles: dict, order, limit: int) -> StaffPage:
    items = [StaffItem(id=r["id"], full_name=handlers.domain.full_name(r["last_name"], r["first_name"],
                                                                       r["middle_name"]),
                       last_name=r["last_name"], first_name=r["first_name"], middle_name=r["middle_name"],
                       birth_date=r["birth_date"], young_specialist=r["young"],
                       employments=[employment_public(titles, row=e) for e in page.employments.get(r["id"], [])])
             for r in page.rows[:limit]]
    return StaffPage(items=items, next_cursor=next_cursor(order, page.rows, limit), total_count=page.total)


def _filter(request: Request, as_of, municipality, organisation, position, subject, young) -> StaffFilter:
    rule = young_rule(request)
    return StaffFilter(as_of or date.today(), municipality, organisation, position, subject, young, rule.max_years,
                       rule.max_age)


@router.get("/staff/counts", operation_id="staffCounts", tags=TAGS,
            summary="Численность работников на дату по группам (никаких персональных данных)",
            response_model=StaffCounts, response_model_by_alias=True)
async def staff_counts(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request,
    group_by: Annotated[GroupBy, Query(alias="groupBy")] = GroupBy.POSITION,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    position: Annotated[str | None, Query(max_length=64)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    young_specialist: Annotated[bool | None, Query(alias="youngSpecialist")] = None,
):
    f = _filter(request, as_of, municipality, organisation, position, subject, young_specialist)
    total, groups = await handlers.staff_counts(pool, principal, f, group_by.value)
    return StaffCounts(total=total, group_by=group_by,
                       groups=[CountRow(key=k, title=t, count=c) for k, t, c in groups])


@router.get("/audit-log", operation_id="auditLog", tags=TAGS,
            summary="Журнал чтения персональных данных (новые записи первыми); только региональный координатор",
            response_model=AuditPage, response_model_by_alias=True)
async def audit_log(principal: CurrentPrincipal, pool: Pool, person_id: Annotated[UUID | None, Query(
        alias="personId")] = None, limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None):
    seek = decode_cursor(audit.ORDER, after)[0] if after is not None else None
    rows, total = await handlers.audit_trail(pool, principal, person_id, seek, limit + 1)
    cursor = encode_cursor(audit.ORDER, [rows[limit - 1]["id"]]) if len(rows) > limit else None
    return AuditPage(items=[AuditEntry(**dict(r)) for r in rows[:limit]], next_cursor=cursor, total_count=total)


@router.get("/catalogues/{name}", operation_id="getCatalogue", tags=["catalogues"],
            summary="Справочник (positions, subjects, body_kinds, categories) с элементами региона",
            response_model=list[CatalogueItem], response_model_by_alias=True)
async def get_catalogue(name: str, principal: CurrentPrincipal, pool: Pool):
    return [CatalogueItem(**dict(r)) for r in await handlers.catalogue(pool, name)]


@router.post("/catalogues/{name}/items", status_code=201, operation_id="addCatalogueItem", tags=["catalogues"],
             summary="Добавить элемент справочника (региональный координатор)",
             response_model=CatalogueItem, response_model_by_alias=True)
async def add_catalogue_item(name: str, data: CatalogueItemCreate, principal: CurrentPrincipal, pool: Pool):
    await handlers.add_catalogue_item(pool, principal, name, data.code, data.title, data.extra)
    return CatalogueItem(code=data.code, title=data.title, extra=data.extra, origin="region")


@router.post("/staff/batch", operation_id="importStaff", tags=TAGS,
             summary="Пакетная загрузка работников с местами работы (строки шаблона); отчёт по каждой строке",
             response_model=ImportReport, response_model_by_alias=True)
async def import_staff(rows: Annotated[list[StaffRow], Body(min_length=1, max_length=50000)],
                       principal: CurrentPrincipal, pool: Pool,
                       mode: Annotated[ImportMode, Query()] = ImportMode.ALL_OR_NOTHING):
    return await staff_import.import_staff(pool, principal, rows, mode)
