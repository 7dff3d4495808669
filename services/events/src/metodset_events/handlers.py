"""Use cases of methodical events: schedule, change, cancel, read and list. Each change runs in one transaction
with its events on events.methodical.v1; the registered get a notice of a change or a cancellation."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg
from pydantic.alias_generators import to_camel

from metodset_contracts.methodical_events import EventCancelled, EventChanged, EventScheduled, SessionFacts
from metodset_contracts.reference import catalogue
from metodset_kit import ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from . import organisers, registrations
from . import repository as repo
from .domain import rules
from .domain.access import may_manage
from .schemas import EventChange, EventCreate

SOURCE = "urn:metodset:events"


def _sessions(data) -> list[dict]:
    return [{"id": ids.uuid4(), "starts_at": s.starts_at, "ends_at": s.ends_at, "hours": s.hours,
             "check_in_code": secrets.token_hex(3).upper()} for s in data]


def _check(sessions: list[dict], capacity: int, opens: datetime, closes: datetime, percent: int,
           quotas: dict[str, int]) -> None:
    try:
        rules.check_schedule([rules.Session(s["starts_at"], s["ends_at"], s["hours"]) for s in sessions],
                             capacity, opens, closes, percent)
        rules.check_quotas(quotas)
    except rules.RuleError as exc:
        raise DomainError(exc.field, str(exc)) from None


def _quotas(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for q in items:
        if q.municipality_oktmo in out:
            raise DomainError("quotas", f"Квота муниципалитета {q.municipality_oktmo} указана дважды")
        out[q.municipality_oktmo] = q.places
    return out


def _span(sessions: list[dict]) -> dict:
    starts = min(s["starts_at"] for s in sessions)
    return {"starts_at": starts, "ends_at": max(s["ends_at"] for s in sessions), "starts_key": starts.isoformat(),
            "hours": sum(s["hours"] for s in sessions)}


def event_facts(event, sessions) -> dict:
    return dict(event_id=event["id"], version=event["version"], form=event["form"], title=event["title"],
                level=event["level"], organiser_organisation_id=event["organiser_organisation_id"],
                organiser_body_id=event["organiser_body_id"], municipality_oktmo=event["municipality_oktmo"],
                format=event["format"], capacity=event["capacity"], hours=event["hours"],
                sessions=[SessionFacts(session_id=s["id"], starts_at=s["starts_at"], ends_at=s["ends_at"],
                                       hours=s["hours"]) for s in sessions])


def event_out(data, event_id: UUID, at: str):
    return outgoing(data, source=SOURCE, subject=f"event/{event_id}", key=str(event_id), time=at)


async def schedule(pool: asyncpg.Pool, principal: Principal, data: EventCreate) -> UUID:
    if data.form not in catalogue("event_forms").codes():
        raise DomainError("form", f"Нет такой формы мероприятия: {data.form}", "unknown")
    sessions, quotas = _sessions(data.sessions), _quotas(data.quotas)
    _check(sessions, data.capacity, data.registration_opens, data.registration_closes, data.attendance_percent, quotas)
    async with pool.acquire() as conn, conn.transaction():
        organiser, _ = await organisers.resolve(conn, data.organiser_id)
        if not may_manage(principal, organiser):
            raise Forbidden(organisers.MANAGERS)
        row = {"id": ids.uuid4(), "form": data.form, "title": data.title, "topic": data.topic,
               "level": data.level.value, "organiser_organisation_id": organiser.organisation_id,
               "organiser_body_id": organiser.body_id, "municipality_oktmo": organiser.municipality_oktmo,
               "audience_positions": data.audience.positions, "audience_subjects": data.audience.subjects,
               "audience_municipalities": data.audience.municipalities, "format": data.format.value,
               "place": data.place, "capacity": data.capacity, "registration_opens": data.registration_opens,
               "registration_closes": data.registration_closes, "requires_approval": data.requires_approval,
               "attendance_percent": data.attendance_percent, "created_by": principal.subject, **_span(sessions)}
        await repo.insert_event(conn, row, sessions, quotas)
        event = await repo.event(conn, row["id"])
        stored = (await repo.sessions_of(conn, [row["id"]]))[row["id"]]
        await outbox.add(conn, [event_out(EventScheduled(**event_facts(event, stored)), row["id"], now())])
    return row["id"]


_SIMPLE = {"title": "title", "topic": "topic", "place": "place", "capacity": "capacity",
           "registration_opens": "registration_opens", "registration_closes": "registration_closes",
           "attendance_percent": "attendance_percent"}


def _changes(data: EventChange, event) -> dict:
    changes = {column: getattr(data, field) for field, column in _SIMPLE.items()
               if field in data.model_fields_set and getattr(data, field) is not None}
    if data.format is not None:
        changes["format"] = data.format.value
    if data.audience is not None:
        changes.update(audience_positions=data.audience.positions, audience_subjects=data.audience.subjects,
                       audience_municipalities=data.audience.municipalities)
    return {c: v for c, v in changes.items() if event[c] != v}


async def change(pool: asyncpg.Pool, principal: Principal, event_id: UUID, data: EventChange) -> list[UUID]:
    """Apply a change; the registered get a notice. Returns who moved up from the waiting list (more places)."""
    async with pool.acquire() as conn, conn.transaction():
        event = await organisers.managed(conn, principal, event_id, lock=True)
        if event["status"] == "cancelled":
            raise Conflict(None, "Мероприятие отменено: изменить его нельзя", "cancelled")
        changes = _changes(data, event)
        sessions = (await repo.sessions_of(conn, [event_id]))[event_id]
        new_sessions = _sessions(data.sessions) if data.sessions is not None else None
        quotas = _quotas(data.quotas) if data.quotas is not None else (await repo.quotas_of(conn, [event_id]))[event_id]
        merged = {**dict(event), **changes}
        _check(new_sessions or [dict(s) for s in sessions], merged["capacity"], merged["registration_opens"],
               merged["registration_closes"], merged["attendance_percent"], quotas)
        held = (await repo.counts(conn, [event_id]))[event_id].held
        if merged["capacity"] < held:
            raise Conflict("capacity", f"Мест не может быть меньше, чем уже занято ({held})", "below_taken")
        names = sorted({*(to_camel(c) for c in changes), *(["sessions"] if new_sessions else []),
                        *(["quotas"] if data.quotas is not None else [])})
        if new_sessions is not None:
            if await conn.fetchval("select exists(select 1 from event_attendance where event_id = $1)", event_id):
                raise Conflict("sessions", "Посещаемость уже отмечена: занятия заменить нельзя", "attended")
            await repo.replace_sessions(conn, event_id, new_sessions)
            changes.update(_span(new_sessions))
        if data.quotas is not None:
            await repo.replace_quotas(conn, event_id, quotas)
        if not names:
            return []
        await repo.update_event(conn, event_id, changes)
        event = await repo.event(conn, event_id)
        at = now()
        stored = (await repo.sessions_of(conn, [event_id]))[event_id]
        await outbox.add(conn, [event_out(EventChanged(**event_facts(event, stored), changed=names), event_id, at)])
        await repo.add_notices(conn, await repo.live_registrations(conn, event_id), "changed",
                               f"Мероприятие «{event['title']}» изменено: {', '.join(names)}")
        return await registrations.promote(conn, event, at)


async def cancel(pool: asyncpg.Pool, principal: Principal, event_id: UUID) -> None:
    async with pool.acquire() as conn, conn.transaction():
        event = await organisers.managed(conn, principal, event_id, lock=True)
        if event["status"] == "cancelled":
            return
        await repo.update_event(conn, event_id, {"status": "cancelled"})
        event = await repo.event(conn, event_id)
        at = now()
        sessions = (await repo.sessions_of(conn, [event_id]))[event_id]
        live = await repo.live_registrations(conn, event_id)
        await repo.add_notices(conn, live, "cancelled", f"Мероприятие «{event['title']}» отменено")
        await repo.set_status(conn, [r["id"] for r in live], "cancelled")
        await outbox.add(conn, [event_out(EventCancelled(**event_facts(event, sessions)), event_id, at),
                                *(registrations.registration_out("cancelled", r, at) for r in live)])


@dataclass(frozen=True)
class EventView:
    event: asyncpg.Record
    sessions: list
    quotas: dict[str, int]
    quota_used: dict[str, int]
    counts: repo.Counts
    organiser_name: str | None
    manager: bool


async def read(pool: asyncpg.Pool, principal: Principal, event_id: UUID) -> EventView:
    """Events are public to any authenticated caller; check-in codes only to those who manage the event."""
    async with pool.acquire() as conn:
        event = await repo.event(conn, event_id)
        if event is None:
            raise organisers.missing_event(event_id)
        [view] = await _views(conn, principal, [event])
        return view


async def listing(pool: asyncpg.Pool, principal: Principal, f: repo.EventFilter, limit: int,
                  seek: tuple | None) -> tuple[list[EventView], int, bool]:
    async with pool.acquire() as conn:
        rows, total = await repo.list_events(conn, f, limit, seek)
        return await _views(conn, principal, rows[:limit]), total, len(rows) > limit


async def _views(conn: asyncpg.Connection, principal: Principal, events: list) -> list[EventView]:
    event_ids = [e["id"] for e in events]
    sessions, quotas, counts = (await repo.sessions_of(conn, event_ids), await repo.quotas_of(conn, event_ids),
                                await repo.counts(conn, event_ids))
    names = await _organiser_names(conn, events)
    out = []
    for e in events:
        used = await repo.quota_usage(conn, e["id"]) if quotas[e["id"]] else {}
        out.append(EventView(e, sessions[e["id"]], quotas[e["id"]], used, counts[e["id"]],
                             names.get(e["organiser_organisation_id"] or e["organiser_body_id"]),
                             await organisers.manages(conn, principal, e)))
    return out


async def _organiser_names(conn: asyncpg.Connection, events: list) -> dict[UUID, str]:
    ids_ = [e["organiser_organisation_id"] or e["organiser_body_id"] for e in events]
    rows = await conn.fetch("select organisation_id id, name from registry_organisations"
                            " where organisation_id = any($1::uuid[]) union all select body_id, name"
                            " from registry_bodies where body_id = any($1::uuid[])", ids_)
    return {r["id"]: r["name"] for r in rows}
