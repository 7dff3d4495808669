"""REST entry points of professional growth: a person's courses, course rule and attestation, the list of
those due for attestation. They only turn requests into use cases (handlers.py)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import decode_cursor, next_cursor

from ...deps import AsOf, Pool
from ...domain.courses import DEFAULT_COURSE_YEARS, KIND_TITLES
from ...domain.staff import full_name
from ...staff.api import Cursor
from ...staff.repository import StaffFilter
from . import handlers
from . import repository as repo
from .schemas import (
    AttestationDueItem,
    AttestationDuePage,
    CategoryAward,
    CategoryPublic,
    CourseCreate,
    CourseFormatIn,
    CourseKindIn,
    CoursePage,
    CoursePublic,
    Growth,
)

router = APIRouter()
TAGS = ["growth"]


def course_years(request: Request) -> int:
    """The region's course rule (COURSE_YEARS): an upgrade course at least every N years."""
    return getattr(request.app.state.settings, "course_years", DEFAULT_COURSE_YEARS)


def course_public(r) -> CoursePublic:
    return CoursePublic(id=r["id"], person_id=r["person_id"], kind=CourseKindIn(r["kind"].upper()),
                        kind_title=KIND_TITLES[r["kind"]], programme=r["programme"],
                        provider_organisation_id=r["provider_organisation_id"], provider=r["provider"],
                        hours=r["hours"], start_date=r["start_date"], end_date=r["end_date"],
                        format=CourseFormatIn(r["format"].upper()) if r["format"] else None,
                        certificate_number=r["certificate_number"])


@router.post("/persons/{person_id}/courses", status_code=201, operation_id="recordCourse", tags=TAGS,
             summary="Записать пройденные курсы (повышение квалификации от 16 часов, переподготовка от 250)",
             response_model=CoursePublic, response_model_by_alias=True)
async def record_course(person_id: UUID, data: CourseCreate, principal: CurrentPrincipal, pool: Pool):
    course_id = await handlers.record_course(pool, principal, person_id, data)
    rows, _ = await handlers.person_courses(pool, principal, person_id, 1000, None)
    return course_public(next(r for r in rows if r["id"] == course_id))


@router.get("/persons/{person_id}/courses", operation_id="personCourses", tags=TAGS,
            summary="Курсы работника, последние первыми (чтение записывается в журнал)",
            response_model=CoursePage, response_model_by_alias=True)
async def person_courses(person_id: UUID, principal: CurrentPrincipal, pool: Pool,
                         limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None):
    seek = decode_cursor(repo.COURSE_ORDER, after) if after is not None else None
    rows, total = await handlers.person_courses(pool, principal, person_id, limit, seek)
    return CoursePage(items=[course_public(r) for r in rows[:limit]],
                      next_cursor=next_cursor(repo.COURSE_ORDER, rows, limit), total_count=total)


def category_public(r, titles: dict) -> CategoryPublic:
    return CategoryPublic(id=r["id"], code=r["category"], name=titles.get(r["category"], r["category"]),
                          awarded_on=r["awarded_on"], order_number=r["order_number"], expires_on=r["expires_on"],
                          current=r["current"])


@router.get("/persons/{person_id}/growth", operation_id="personGrowth", tags=TAGS,
            summary="Курсовая подготовка (когда нужны следующие курсы, просрочены ли) и аттестация работника на дату",
            response_model=Growth, response_model_by_alias=True)
async def person_growth(person_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request):
    day = as_of or date.today()
    view = await handlers.growth(pool, principal, person_id, day, course_years(request))
    history = [category_public(a, view.titles) for a in view.awards]
    # the current award, or on a past day the newest awarded by then (the history is newest first)
    current = next((a for a in history if a.current), history[0] if history else None)
    return Growth(person_id=person_id, as_of=day, last_upgrade_end=view.last_upgrade_end, course_due=view.course_due,
                  course_overdue=view.course_overdue, category=current, category_history=history)


@router.post("/persons/{person_id}/category", status_code=201, operation_id="awardCategory", tags=TAGS,
             summary="Присвоить квалификационную категорию (прежняя запись остаётся в истории)",
             response_model=Growth, response_model_by_alias=True)
async def award_category(person_id: UUID, data: CategoryAward, principal: CurrentPrincipal, pool: Pool,
                         request: Request):
    await handlers.award_category(pool, principal, person_id, data)
    return await person_growth(person_id, principal, pool, None, request)


@router.get("/attestation/due", operation_id="attestationDue", tags=TAGS,
            summary="Кому предстоит аттестация: срок категории истекает в ближайшие N месяцев (и истёкшие)",
            description="Работники на дату в вашей области доступа; порядок: срок, id. Каждая страница "
                        "записывается в журнал доступа к персональным данным.",
            response_model=AttestationDuePage, response_model_by_alias=True)
async def attestation_due(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    within_months: Annotated[int, Query(alias="withinMonths", ge=0, le=120)] = 6,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    day = as_of or date.today()
    seek = decode_cursor(repo.DUE_ORDER, after) if after is not None else None
    page = await handlers.attestation_due(pool, principal, StaffFilter(day, municipality, organisation), within_months,
                                          limit=limit, after=seek)
    items = [AttestationDueItem(person_id=r["person_id"], full_name=full_name(r["last_name"], r["first_name"],
                                                                               r["middle_name"]),
                                category=r["category"], category_name=page.titles.get(r["category"], r["category"]),
                                awarded_on=r["awarded_on"], expires_on=r["expires_on"], expired=r["expires_on"] < day)
             for r in page.rows[:limit]]
    return AttestationDuePage(items=items, next_cursor=next_cursor(repo.DUE_ORDER, page.rows, limit),
                              total_count=page.total)

