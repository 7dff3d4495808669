"""Attendance per session (a list the organiser marks, or a check-in code shown at the door), hours credited
from attended sessions, and completion by the event's attendance rule once its last session has ended.

`completed_participants(conn, event_id)` — (person, hours) of those who met the rule — is what certificates
are issued from."""
from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import asyncpg

from metodset_contracts.methodical_events import CompletedWithHours, SessionAttended
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from . import organisers, registrations
from . import repository as repo
from .domain import rules
from .domain.access import READ_ALL

SOURCE = "urn:metodset:events"
completed_participants = repo.completed_participants


def _out(data, event_id: UUID, at: str):
    return outgoing(data, source=SOURCE, subject=f"event/{event_id}", key=str(event_id), time=at)


async def _mark(conn: asyncpg.Connection, event, session, person_ids: list[UUID], method: str, by: str,
                moment: datetime) -> tuple[list[UUID], list[UUID]]:
    regs = await repo.registrations_of(conn, event["id"], person_ids)
    strangers = [str(p) for p in person_ids if p not in regs or regs[p]["status"] != "confirmed"]
    if strangers:
        raise DomainError("personIds", "Не записаны на мероприятие (участие не подтверждено): " + ", ".join(strangers),
                          "not_registered")
    fresh = await repo.mark_attended(conn, session["id"], event["id"], person_ids, method, by)
    await repo.credit_hours(conn, event["id"], fresh)
    at = now()
    await outbox.add(conn, [_out(SessionAttended(event_id=event["id"], session_id=session["id"], person_id=p,
                                                 hours=session["hours"]), event["id"], at) for p in fresh])
    done = await _complete(conn, event, at) if moment >= event["ends_at"] else []
    return fresh, done


async def record(pool: asyncpg.Pool, principal: Principal, event_id: UUID, session_id: UUID,
                 person_ids: list[UUID], at: datetime | None = None) -> tuple[list[UUID], list[UUID]]:
    """The organiser marks who was present at a session; returns (marked now, completed now)."""
    async with pool.acquire() as conn, conn.transaction():
        event = await organisers.managed(conn, principal, event_id, lock=True)
        session = await repo.session(conn, session_id)
        if session is None or session["event_id"] != event_id:
            raise NotFound("sessionId", f"Занятие {session_id} этого мероприятия не найдено")
        _live(event)
        moment = at or datetime.now(UTC)
        if moment < session["starts_at"]:
            raise Conflict("sessionId", "Занятие ещё не началось", "not_started")
        return await _mark(conn, event, session, list(dict.fromkeys(person_ids)), "list", principal.subject, moment)


async def check_in(pool: asyncpg.Pool, principal: Principal, session_id: UUID, code: str, person_id: UUID,
                   at: datetime | None = None) -> bool:
    """A person checks in at the door with the session's code (by whoever acts for them, or the organiser)."""
    moment = at or datetime.now(UTC)
    missing = NotFound("sessionId", f"Занятие {session_id} не найдено", where="path")
    async with pool.acquire() as conn, conn.transaction():
        session = await repo.session(conn, session_id)
        if session is None:
            raise missing
        event = await repo.event(conn, session["event_id"], lock=True)
        _live(event)
        if code.strip().upper() != session["check_in_code"]:
            raise DomainError("code", "Неверный код занятия", "wrong_code")
        if not rules.check_in_open(rules.Session(session["starts_at"], session["ends_at"], session["hours"]), moment):
            raise Conflict("code", "Отметка открыта за час до начала занятия и до его окончания", "closed")
        await registrations.acting_on(conn, principal, event, person_id)
        fresh, _ = await _mark(conn, event, session, [person_id], "check_in", principal.subject, moment)
        return bool(fresh)


def _live(event) -> None:
    if event["status"] == "cancelled":
        raise Conflict(None, "Мероприятие отменено", "cancelled")


async def complete(pool: asyncpg.Pool, principal: Principal, event_id: UUID, at: datetime | None = None) -> list[UUID]:
    """After the last session: everyone confirmed who met the attendance rule is completed with their hours."""
    async with pool.acquire() as conn, conn.transaction():
        event = await organisers.managed(conn, principal, event_id, lock=True)
        _live(event)
        if (at or datetime.now(UTC)) < event["ends_at"]:
            raise Conflict(None, "Мероприятие ещё не закончилось", "not_ended")
        return await _complete(conn, event, now())


async def _complete(conn: asyncpg.Connection, event, at: str) -> list[UUID]:
    done = [r for r in await repo.not_completed(conn, event["id"])
            if rules.completed(r["hours"], event["hours"], event["attendance_percent"])]
    await conn.execute("update methodical_events set completed_at = coalesce(completed_at, now()) where id = $1",
                       event["id"])
    if not done:
        return []
    await repo.mark_completed(conn, [r["id"] for r in done])
    first, last = event["starts_at"].date(), event["ends_at"].date()
    await outbox.add(conn, [_out(CompletedWithHours(
        event_id=event["id"], person_id=r["person_id"], form=event["form"], title=event["title"], hours=r["hours"],
        programme_hours=event["hours"], start_date=first, end_date=last,
        organiser_organisation_id=event["organiser_organisation_id"], organiser_body_id=event["organiser_body_id"],
    ), event["id"], at) for r in done])
    return [r["person_id"] for r in done]


async def person_events(pool: asyncpg.Pool, principal: Principal, person_id: UUID,
                        notices: int) -> tuple[list, int, list]:
    """A person's events, credited hours and latest notices; a person out of the caller's reach looks like one
    with none."""
    async with pool.acquire() as conn:
        if principal.role not in READ_ALL and not (await registrations.jobs(conn, principal, [person_id]))[person_id]:
            return [], 0, []
        rows = await repo.events_of_person(conn, person_id)
        latest = await repo.notices_of_person(conn, person_id, notices)
    return rows, sum(r["hours"] for r in rows if r["completed_at"] is not None), latest
