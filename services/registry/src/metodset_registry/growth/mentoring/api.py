"""REST entry points of mentoring: start and end a mentoring, read and list them, a mentor's load, and the
young specialists without a mentor. They only turn requests into use cases."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from metodset_contracts.mentoring import OUTCOME_TITLES, STATUS_TITLES, MentoringStatus
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import decode_cursor, encode_cursor

from ...deps import AsOf, Pool
from ...staff import handlers as staff_handlers
from ...staff import repository as staff_repository
from ...staff.api import Cursor, _filter, staff_page
from ...staff.schemas import StaffPage
from . import handlers
from .repository import ORDER, MentoringFilter
from .schemas import MentoringCreate, MentoringEnd, MentoringPage, MentoringPublic, MentorLoad, NamedPerson, Outcome

router = APIRouter()
TAGS = ["mentoring"]
DEFAULT_MAX_MENTEES = 3


def max_mentees(request: Request) -> int:
    """The region's maximum of a mentor's simultaneous mentees (MENTOR_MAX_MENTEES)."""
    return getattr(request.app.state.settings, "mentor_max_mentees", DEFAULT_MAX_MENTEES)


def public(view: handlers.MentoringView) -> MentoringPublic:
    m = view.mentoring
    outcome = None if m.outcome_code is None else Outcome(code=m.outcome_code, title=OUTCOME_TITLES[m.outcome_code],
                                                          text=m.outcome)
    return MentoringPublic(
        id=m.id, mentor=NamedPerson(id=m.mentor_id, full_name=view.names.get(m.mentor_id)),
        mentees=[NamedPerson(id=p, full_name=view.names.get(p)) for p in m.mentee_ids], form=m.form,
        form_title=view.form_title, programme=m.programme, organisation_id=m.organisation_id,
        municipality_oktmo=m.municipality_oktmo, start_date=m.start, end_date=m.end, status=m.status,
        status_title=STATUS_TITLES[m.status], outcome=outcome, version=m.version)


@router.post("/mentoring", status_code=201, operation_id="startMentoring", tags=TAGS,
             summary="Закрепить наставника за наставляемым (парой) или группой",
             response_model=MentoringPublic, response_model_by_alias=True)
async def start_mentoring(data: MentoringCreate, principal: CurrentPrincipal, pool: Pool, request: Request):
    return public(await handlers.start(pool, principal, data, max_mentees(request)))


@router.get("/mentoring", operation_id="listMentoring", tags=TAGS,
            summary="Наставничество в области доступа (фильтры; asOf — действующее на дату), страница по курсору",
            description="Имена наставников и наставляемых — персональные данные: чтение записывается в журнал.",
            response_model=MentoringPage, response_model_by_alias=True)
async def list_mentoring(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    mentor_id: Annotated[UUID | None, Query(alias="mentorId")] = None,
    mentee_id: Annotated[UUID | None, Query(alias="menteeId")] = None,
    person_id: Annotated[UUID | None, Query(alias="personId", description="Наставник или наставляемый")] = None,
    status: MentoringStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    seek = decode_cursor(ORDER, after) if after is not None else None
    f = MentoringFilter(municipality, organisation, mentor_id, mentee_id, person_id, status, as_of)
    views, total, more = await handlers.listing(pool, principal, f, limit, seek)
    cursor = encode_cursor(ORDER, [views[-1].mentoring.id]) if more else None
    return MentoringPage(items=[public(v) for v in views], next_cursor=cursor, total_count=total)


@router.get("/mentoring/{mentoring_id}", operation_id="getMentoring", tags=TAGS, summary="Наставничество",
            response_model=MentoringPublic, response_model_by_alias=True)
async def get_mentoring(mentoring_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, mentoring_id))


@router.post("/mentoring/{mentoring_id}/end", operation_id="endMentoring", tags=TAGS,
             summary="Завершить (completed) или прекратить (terminated) наставничество с итогом",
             response_model=MentoringPublic, response_model_by_alias=True)
async def end_mentoring(mentoring_id: UUID, data: MentoringEnd, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.end(pool, principal, mentoring_id, data))


@router.get("/persons/{person_id}/mentor-load", operation_id="mentorLoad", tags=TAGS,
            summary="Нагрузка наставника: наставляемых в действующем на дату наставничестве",
            response_model=MentorLoad, response_model_by_alias=True)
async def mentor_load(person_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request):
    day = as_of or date.today()
    count = await handlers.mentor_load(pool, principal, person_id, day)
    return MentorLoad(mentor_id=person_id, as_of=day, mentees=count, max_mentees=max_mentees(request))


@router.get("/staff/young-without-mentor", operation_id="youngWithoutMentor", tags=TAGS,
            summary="Молодые специалисты без действующего на дату наставничества, страница по курсору",
            description="Порядок: ФИО, id. Каждая страница записывается в журнал доступа к персональным данным.",
            response_model=StaffPage, response_model_by_alias=True)
async def young_without_mentor(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None,
):
    order = staff_repository.staff_order(as_of)
    seek = decode_cursor(order, after) if after is not None else None
    f = _filter(request, as_of, municipality, organisation, None, None, True)
    page = await handlers.young_without_mentor(pool, principal, f, limit=limit, after=seek, order=order)
    return staff_page(page, await staff_handlers.titles(pool), order, limit)
