"""REST entry points of methodical events: they only turn requests into use cases."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request

from metodset_contracts.methodical_events import EventLevel
from metodset_contracts.reference import catalogue
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor

from . import attendance, handlers, registrations
from . import repository as repo
from .schemas import (
    NOTICES,
    AttendanceOutcome,
    AttendanceRequest,
    AudienceIn,
    CancelOutcome,
    CheckIn,
    Completion,
    EventChange,
    EventCreate,
    EventPage,
    EventPublic,
    Notice,
    PersonEvent,
    PersonEvents,
    QuotaPublic,
    RegisterRequest,
    RegistrationPage,
    RegistrationPublic,
    RegistrationResult,
    SessionPublic,
)

router = APIRouter()
TAGS = ["methodical events"]


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)]


def public(v: handlers.EventView) -> EventPublic:
    e = v.event
    return EventPublic(
        id=e["id"], title=e["title"], form=e["form"],
        form_title=catalogue("event_forms").titles().get(e["form"], e["form"]),
        topic=e["topic"], level=e["level"], organiser_organisation_id=e["organiser_organisation_id"],
        organiser_body_id=e["organiser_body_id"], organiser_name=v.organiser_name,
        municipality_oktmo=e["municipality_oktmo"],
        audience=AudienceIn(positions=e["audience_positions"], subjects=e["audience_subjects"],
                            municipalities=e["audience_municipalities"]),
        format=e["format"], place=e["place"],
        sessions=[SessionPublic(id=s["id"], position=s["position"], starts_at=s["starts_at"], ends_at=s["ends_at"],
                                hours=s["hours"], check_in_code=s["check_in_code"] if v.manager else None)
                  for s in v.sessions],
        hours=e["hours"], capacity=e["capacity"], places_left=max(0, e["capacity"] - v.counts.held),
        waiting=v.counts.waiting,
        quotas=[QuotaPublic(municipality_oktmo=m, places=p, used=v.quota_used.get(m, 0)) for m, p in v.quotas.items()],
        registration_opens=e["registration_opens"], registration_closes=e["registration_closes"],
        requires_approval=e["requires_approval"], attendance_percent=e["attendance_percent"], status=e["status"],
        version=e["version"])


@router.post("/events", status_code=201, operation_id="scheduleEvent", tags=TAGS,
             summary="Запланировать методическое мероприятие", response_model=EventPublic,
             response_model_by_alias=True)
async def schedule_event(data: EventCreate, principal: CurrentPrincipal, pool: Pool):
    event_id = await handlers.schedule(pool, principal, data)
    return public(await handlers.read(pool, principal, event_id))


@router.get("/events", operation_id="listEvents", tags=TAGS,
            summary="Мероприятия (календарь): фильтры по датам, муниципалитету, уровню, форме; страница по курсору",
            response_model=EventPage, response_model_by_alias=True)
async def list_events(
    principal: CurrentPrincipal, pool: Pool,
    starts_from: Annotated[date | None, Query(alias="from", description="Заканчиваются не раньше этого дня")] = None,
    to: Annotated[date | None, Query(description="Начинаются не позже этого дня")] = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{8}(\d{3})?$")] = None,
    level: EventLevel | None = None, form: Annotated[str | None, Query(max_length=64)] = None,
    organiser: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50, after: Cursor = None,
):
    seek = decode_cursor(repo.ORDER, after) if after is not None else None
    f = repo.EventFilter(starts_from, to, municipality, level.value if level else None, form, organiser)
    views, total, more = await handlers.listing(pool, principal, f, limit, seek)
    cursor = encode_cursor(repo.ORDER, repo.ORDER.values(views[-1].event)) if more else None
    return EventPage(items=[public(v) for v in views], next_cursor=cursor, total_count=total)


@router.get("/events/{event_id}", operation_id="getEvent", tags=TAGS, summary="Мероприятие",
            response_model=EventPublic, response_model_by_alias=True)
async def get_event(event_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return public(await handlers.read(pool, principal, event_id))


@router.patch("/events/{event_id}", operation_id="changeEvent", tags=TAGS,
              summary="Изменить мероприятие (записанные получают уведомление)", response_model=EventPublic,
              response_model_by_alias=True)
async def change_event(event_id: UUID, data: EventChange, principal: CurrentPrincipal, pool: Pool):
    await handlers.change(pool, principal, event_id, data)
    return public(await handlers.read(pool, principal, event_id))


@router.post("/events/{event_id}/cancel", operation_id="cancelEvent", tags=TAGS,
             summary="Отменить мероприятие (регистрации отменяются, записанные получают уведомление)",
             response_model=EventPublic, response_model_by_alias=True)
async def cancel_event(event_id: UUID, principal: CurrentPrincipal, pool: Pool):
    await handlers.cancel(pool, principal, event_id)
    return public(await handlers.read(pool, principal, event_id))


@router.post("/events/{event_id}/registrations", operation_id="registerParticipants", tags=TAGS,
             summary="Записать работников: по каждому — подтверждено, ожидает одобрения, лист ожидания или отказ "
                     "с причиной", response_model=list[RegistrationResult], response_model_by_alias=True)
async def register(event_id: UUID, data: RegisterRequest, principal: CurrentPrincipal, pool: Pool):
    results = await registrations.register(pool, principal, event_id, data.person_ids)
    return [RegistrationResult(person_id=r.person_id, status=r.status, reason=r.reason.value if r.reason else None,
                               message=r.message, waiting_position=r.waiting_position) for r in results]


@router.get("/events/{event_id}/registrations", operation_id="listRegistrations", tags=TAGS,
            summary="Регистрации на мероприятие (организатору — все, иначе — своей области доступа)",
            response_model=RegistrationPage, response_model_by_alias=True)
async def list_registrations(event_id: UUID, principal: CurrentPrincipal, pool: Pool,
                             limit: Annotated[int, Query(ge=1, le=1000)] = 100, after: Cursor = None):
    seek = decode_cursor(repo.REGISTRATION_ORDER, after) if after is not None else None
    rows, total, more = await registrations.listing(pool, principal, event_id, limit, seek)
    cursor = encode_cursor(repo.REGISTRATION_ORDER, repo.REGISTRATION_ORDER.values(rows[-1])) if more else None
    return RegistrationPage(next_cursor=cursor, total_count=total, items=[
        RegistrationPublic(id=r["id"], person_id=r["person_id"], status=r["status"],
                           municipality_oktmo=r["municipality_oktmo"], organisation_id=r["organisation_id"],
                           registered_at=r["registered_at"], hours=r["hours"],
                           completed=r["completed_at"] is not None,
                           certificate_issued_at=r["certificate_issued_at"]) for r in rows])


@router.delete("/events/{event_id}/registrations/{person_id}", operation_id="cancelRegistration", tags=TAGS,
               summary="Отменить регистрацию (место переходит первому в листе ожидания)",
               response_model=CancelOutcome, response_model_by_alias=True)
async def cancel_registration(event_id: UUID, person_id: UUID, principal: CurrentPrincipal, pool: Pool):
    promoted = await registrations.cancel_registration(pool, principal, event_id, person_id)
    return CancelOutcome(cancelled=True, promoted=promoted)


@router.post("/events/{event_id}/registrations/{person_id}/approve", operation_id="approveRegistration",
             tags=TAGS, summary="Одобрить регистрацию (мероприятие с одобрением организатора)", status_code=204)
async def approve_registration(event_id: UUID, person_id: UUID, principal: CurrentPrincipal, pool: Pool):
    await registrations.approve(pool, principal, event_id, person_id)


@router.post("/events/{event_id}/attendance", operation_id="recordAttendance", tags=TAGS,
             summary="Отметить присутствовавших на занятии (список организатора)",
             response_model=AttendanceOutcome, response_model_by_alias=True)
async def record_attendance(event_id: UUID, data: AttendanceRequest, principal: CurrentPrincipal, pool: Pool):
    marked, completed = await attendance.record(pool, principal, event_id, data.session_id, data.person_ids)
    return AttendanceOutcome(marked=marked, completed=completed)


@router.post("/sessions/{session_id}/check-in", operation_id="checkIn", tags=TAGS,
             summary="Отметка у входа по коду занятия", response_model=AttendanceOutcome,
             response_model_by_alias=True)
async def check_in(session_id: UUID, data: CheckIn, principal: CurrentPrincipal, pool: Pool):
    fresh = await attendance.check_in(pool, principal, session_id, data.code, data.person_id)
    return AttendanceOutcome(marked=[data.person_id] if fresh else [], completed=[])


@router.post("/events/{event_id}/complete", operation_id="completeEvent", tags=TAGS,
             summary="Подвести итог после последнего занятия: кто выполнил правило посещаемости",
             response_model=Completion, response_model_by_alias=True)
async def complete_event(event_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return Completion(completed=await attendance.complete(pool, principal, event_id))


@router.get("/persons/{person_id}/events", operation_id="personEvents", tags=TAGS,
            summary="Мероприятия работника и зачтённые часы", response_model=PersonEvents,
            response_model_by_alias=True)
async def person_events(person_id: UUID, principal: CurrentPrincipal, pool: Pool):
    rows, hours, notices = await attendance.person_events(pool, principal, person_id, NOTICES)
    return PersonEvents(person_id=person_id, hours=hours, notices=[
        Notice(id=n["id"], event_id=n["event_id"], kind=n["kind"], message=n["message"], created_at=n["created_at"])
        for n in notices], items=[
        PersonEvent(event_id=r["event_id"], title=r["title"], form=r["form"], level=r["level"],
                    starts_at=r["starts_at"], ends_at=r["ends_at"], status=r["status"], event_status=r["event_status"],
                    hours=r["hours"], programme_hours=r["programme_hours"], completed=r["completed_at"] is not None)
        for r in rows])
