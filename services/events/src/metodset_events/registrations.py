"""Registration for a methodical event: on behalf of a person, within the caller's scope, the event's audience,
window, quotas and capacity; the waiting list, promoted in arrival order when a place frees.

Every registration of one event takes the event's row lock first, so concurrent registrations queue up
there: places are counted and given under the lock and capacity is never exceeded; the arrival number comes
from a sequence under the same lock, so the waiting list's order is the order of arrival."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import asyncpg

from metodset_contracts.methodical_events import RegistrationCancelled, RegistrationConfirmed, RegistrationWaitlisted
from metodset_kit import ids, outbox
from metodset_kit.errors import Conflict, Forbidden, NotFound
from metodset_kit.events import Outgoing, now, outgoing
from metodset_kit.scope import Principal

from . import organisers, projection
from . import repository as repo
from .domain import rules
from .domain.access import READ_ALL, jobs_for, may_register
from .domain.rules import Outcome, Reason

SOURCE = "urn:metodset:events"
REGISTRARS = "Записывать на мероприятия могут региональный координатор, методист муниципалитета (своих " \
             "работников), администратор организации (своих работников) и педагог (себя)"
_EVENTS = {"confirmed": RegistrationConfirmed, "cancelled": RegistrationCancelled}


@dataclass(frozen=True)
class Result:
    person_id: UUID
    status: str  # confirmed, pending, waitlisted, refused
    reason: Reason | None = None
    waiting_position: int | None = None

    @property
    def message(self) -> str | None:
        return rules.REASON_TEXTS[self.reason] if self.reason else None


def registration_out(status: str, r, at: str, position: int | None = None) -> Outgoing:
    facts = dict(registration_id=r["id"], event_id=r["event_id"], person_id=r["person_id"],
                 municipality_oktmo=r["municipality_oktmo"], organisation_id=r["organisation_id"])
    data = RegistrationWaitlisted(**facts, position=position) if status == "waitlisted" else _EVENTS[status](**facts)
    return outgoing(data, source=SOURCE, subject=f"registration/{r['id']}", key=str(r["event_id"]), time=at)


def _audience(event) -> rules.Audience:
    return rules.Audience(tuple(event["audience_positions"]), tuple(event["audience_subjects"]),
                          tuple(event["audience_municipalities"]))


async def jobs(conn: asyncpg.Connection, principal: Principal, person_ids: list[UUID]) -> dict[UUID, list | None]:
    """Per person the jobs through which the caller acts for them; None: unknown or out of reach (the same)."""
    employments = await projection.current_employments(conn, person_ids)
    known = await projection.known_persons(conn, person_ids)
    out: dict[UUID, list | None] = {}
    for p in person_ids:
        current = [rules.Job(e["organisation_id"], e["municipality_oktmo"], e["position"], tuple(e["subjects"]))
                   for e in employments[p]]
        reach = jobs_for(principal, p, current)
        out[p] = reach if reach or (p in known and principal.may_manage_region()) else None
    return out


async def register(pool: asyncpg.Pool, principal: Principal, event_id: UUID, person_ids: list[UUID],
                   at: datetime | None = None) -> list[Result]:
    if not may_register(principal):
        raise Forbidden(REGISTRARS)
    person_ids = list(dict.fromkeys(person_ids))
    async with pool.acquire() as conn, conn.transaction():
        reach = await jobs(conn, principal, person_ids)  # the projection, read before queueing for the lock
        event = await repo.event(conn, event_id, lock=True)  # registrations of this event queue up here
        if event is None:
            raise organisers.missing_event(event_id)
        return await _register(conn, principal, event, person_ids, reach, at or datetime.now(UTC))


async def _register(conn: asyncpg.Connection, principal: Principal, event, person_ids: list[UUID],
                    reach: dict[UUID, list | None], moment: datetime) -> list[Result]:
    closed = (Reason.EVENT_CANCELLED if event["status"] == "cancelled"
              else rules.window_refusal(event["registration_opens"], event["registration_closes"], moment))
    existing = await repo.registrations_of(conn, event["id"], person_ids)
    quotas = (await repo.quotas_of(conn, [event["id"]]))[event["id"]]
    state = await repo.standing(conn, event["id"])
    out, events, at = [], [], now()
    for p in person_ids:
        if reach[p] is None:
            out.append(Result(p, "refused", Reason.UNKNOWN_PERSON))
            continue
        if p in existing and existing[p]["status"] in repo.LIVE:  # already on the list: as it stands
            r = existing[p]
            pos = await repo.waiting_position(conn, event["id"], r["arrival"]) if r["status"] == "waitlisted" else None
            out.append(Result(p, r["status"], waiting_position=pos))
            continue
        if closed:
            out.append(Result(p, "refused", closed))
            continue
        job = rules.fitting_job(_audience(event), reach[p])
        if job is None and (reach[p] or _audience(event) != rules.Audience()):
            out.append(Result(p, "refused", Reason.OUTSIDE_AUDIENCE))
            continue
        municipality = job.municipality_oktmo if job else None
        outcome = rules.admit(capacity=event["capacity"], taken=state.held, quota=quotas.get(municipality),
                              quota_used=state.used.get(municipality, 0), requires_approval=event["requires_approval"])
        if outcome is Outcome.REFUSED:
            out.append(Result(p, "refused", Reason.QUOTA_USED))
            continue
        row = await repo.upsert_registration(conn, {
            "id": ids.uuid4(), "event_id": event["id"], "person_id": p, "municipality_oktmo": municipality,
            "organisation_id": job.organisation_id if job else None, "status": outcome.value,
            "registered_by": principal.subject})
        state.take(municipality, outcome)
        if outcome is Outcome.WAITLISTED:  # the last to arrive, under the lock: at the end of the list
            out.append(Result(p, "waitlisted", Reason.FULL, state.waiting))
            events.append(registration_out("waitlisted", row, at, state.waiting))
            continue
        out.append(Result(p, outcome.value))
        if outcome is Outcome.CONFIRMED:
            events.append(registration_out("confirmed", row, at))
    await outbox.add(conn, events)
    return out


async def promote(conn: asyncpg.Connection, event, at: str) -> list[UUID]:
    """Fill the free places from the waiting list in arrival order (inside the event's lock)."""
    if event["status"] == "cancelled":
        return []
    taken = (await repo.counts(conn, [event["id"]]))[event["id"]].held
    moving = rules.promotable(await repo.waiting(conn, event["id"]), event["capacity"], taken)
    if not moving:
        return []
    status = "pending" if event["requires_approval"] else "confirmed"
    await repo.set_status(conn, [r["id"] for r in moving], status)
    await repo.add_notices(conn, moving, "promoted", f"Освободилось место: вы записаны на «{event['title']}»")
    if status == "confirmed":
        await outbox.add(conn, [registration_out("confirmed", r, at) for r in moving])
    return [r["person_id"] for r in moving]


async def acting_on(conn: asyncpg.Connection, principal: Principal, event, person_id: UUID):
    """The person's live registration, if the caller manages the event or acts for the person."""
    reg = (await repo.registrations_of(conn, event["id"], [person_id])).get(person_id)
    missing = NotFound("personId", f"Регистрация работника {person_id} на мероприятие не найдена", where="path")
    if reg is None or reg["status"] not in repo.LIVE:
        raise missing
    if not await organisers.manages(conn, principal, event) and not (await jobs(conn, principal, [person_id]))[
            person_id]:
        raise missing
    return reg


async def cancel_registration(pool: asyncpg.Pool, principal: Principal, event_id: UUID,
                              person_id: UUID) -> list[UUID]:
    """Cancel one registration; returns who moved up into the freed place."""
    if not may_register(principal):
        raise Forbidden(REGISTRARS)
    async with pool.acquire() as conn, conn.transaction():
        event = await repo.event(conn, event_id, lock=True)
        if event is None:
            raise organisers.missing_event(event_id)
        reg = await acting_on(conn, principal, event, person_id)
        await repo.set_status(conn, [reg["id"]], "cancelled")
        at = now()
        await outbox.add(conn, [registration_out("cancelled", reg, at)])
        return await promote(conn, event, at)


async def approve(pool: asyncpg.Pool, principal: Principal, event_id: UUID, person_id: UUID) -> None:
    async with pool.acquire() as conn, conn.transaction():
        event = await organisers.managed(conn, principal, event_id, lock=True)
        reg = await acting_on(conn, principal, event, person_id)
        if reg["status"] != "pending":
            raise Conflict("personId", "Регистрация не ждёт одобрения", "not_pending")
        await repo.set_status(conn, [reg["id"]], "confirmed")
        await outbox.add(conn, [registration_out("confirmed", reg, now())])


async def listing(pool: asyncpg.Pool, principal: Principal, event_id: UUID, limit: int,
                  seek: tuple | None) -> tuple[list, int, bool]:
    """The event's registrations: all to those who manage it or read the region, otherwise those of the
    caller's municipality or organisation."""
    async with pool.acquire() as conn:
        event = await repo.event(conn, event_id)
        if event is None:
            raise organisers.missing_event(event_id)
        everything = principal.role in READ_ALL or await organisers.manages(conn, principal, event)
        scope = None if everything else (principal.municipality, _uuid_or_none(principal.organisation))
        rows, total = await repo.registration_page(conn, event_id, scope, limit, seek)
        return rows[:limit], total, len(rows) > limit


def _uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
