"""Use cases of the bank of practices, each in one transaction with its outbox events (events.practices.v1).

Reading the bank: any authenticated caller. Writing: the coordinator any practice, a municipal methodist the
practices of their municipality's organisations (the organisation's municipality from the registry
projection, copied onto the practice when it is identified)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from metodset_contracts.practices import LEVEL_TITLES, STATUS_TITLES, PracticeStatus
from metodset_contracts.reference import catalogue
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from . import practices_repository as repo
from . import projection
from . import repository as events_repository
from .domain import practices as rules
from .domain.practices import Practice, PracticeRuleError
from .practices_schemas import PracticeCreate, PracticePublic

SOURCE = "urn:metodset:events"
REFUSED = "Вести практики может региональный координатор или методист муниципалитета организации практики"


def missing(practice_id: UUID) -> NotFound:
    return NotFound("id", f"Практика {practice_id} не найдена", where="path")


def refusal(exc: PracticeRuleError) -> DomainError:
    cls = Conflict if exc.code in ("transition", "duplicate", "no_event") else DomainError
    return cls(exc.field, str(exc), exc.code)


def _events(practice_id: UUID, facts: Sequence) -> list:
    at = now()
    return [outgoing(f, source=SOURCE, subject=f"practice/{practice_id}", key=str(practice_id), time=at)
            for f in facts]


def public(row: asyncpg.Record, event_ids: list[UUID], materials=None) -> PracticePublic:
    subjects = catalogue("subjects").titles()
    level, status = row["level"], row["status"]
    return PracticePublic(
        id=row["id"], title=row["title"], description=row["description"], author_ids=list(row["author_ids"]),
        organisation_id=row["organisation_id"], municipality_oktmo=row["municipality_oktmo"], subject=row["subject"],
        subject_title=subjects.get(row["subject"]) if row["subject"] else None, level=level,
        level_title=LEVEL_TITLES[rules.PracticeLevel(level)], status=status,
        status_title=STATUS_TITLES[PracticeStatus(status)], event_ids=event_ids, version=row["version"],
        created_at=row["created_at"], updated_at=row["updated_at"],
        rank=row.get("rank"), snippet=row.get("snippet"), materials=materials)


async def _organisation_municipality(conn: asyncpg.Connection, organisation_id: UUID) -> str:
    found = await projection.organisation(conn, organisation_id)
    if found is None or not found["active"]:
        raise DomainError("organisationId", f"Действующая организация {organisation_id} не найдена", "unknown")
    return found["municipality_oktmo"]


async def identify(pool: asyncpg.Pool, principal: Principal, data: PracticeCreate) -> PracticePublic:
    if data.subject is not None and data.subject not in catalogue("subjects").titles():
        raise DomainError("subject", f"Предмет {data.subject} не найден в справочнике subjects", "unknown")
    async with pool.acquire() as conn, conn.transaction():
        oktmo = await _organisation_municipality(conn, data.organisation_id)
        if not rules.may_manage(principal, oktmo):
            raise Forbidden(REFUSED)
        practice = Practice(id=uuid.uuid4(), title=data.title, organisation_id=data.organisation_id,
                            municipality_oktmo=oktmo, level=data.level, description=data.description,
                            author_ids=tuple(data.author_ids), subject=data.subject)
        try:
            fact = rules.identify(practice)
        except PracticeRuleError as exc:
            raise refusal(exc) from None
        row = await repo.insert(conn, practice, principal.subject)
        await outbox.add(conn, _events(practice.id, [fact]))
        return public(row, [])


async def _locked(conn: asyncpg.Connection, principal: Principal, practice_id: UUID) -> Practice:
    row = await repo.row(conn, practice_id, lock=True)
    if row is None:
        raise missing(practice_id)
    practice = repo.practice_of(row, (await repo.events_of(conn, [row["id"]]))[row["id"]])
    if not rules.may_manage(principal, practice.municipality_oktmo):
        raise Forbidden(REFUSED)
    return practice


async def change_status(pool: asyncpg.Pool, principal: Principal, practice_id: UUID,
                        to: PracticeStatus) -> PracticePublic:
    async with pool.acquire() as conn, conn.transaction():
        practice = await _locked(conn, principal, practice_id)
        try:
            new, fact = rules.change_status(practice, to)
        except PracticeRuleError as exc:
            raise refusal(exc) from None
        row = await repo.update_status(conn, new)
        await outbox.add(conn, _events(new.id, [fact]))
        return public(row, list(new.event_ids))


async def disseminate(pool: asyncpg.Pool, principal: Principal, practice_id: UUID, event_id: UUID) -> PracticePublic:
    """Link a methodical event of the service where the practice was presented."""
    async with pool.acquire() as conn, conn.transaction():
        practice = await _locked(conn, principal, practice_id)
        if await events_repository.event(conn, event_id) is None:
            raise DomainError("eventId", f"Мероприятие {event_id} не найдено", "unknown")
        try:
            new, facts = rules.disseminate(practice, event_id)
        except PracticeRuleError as exc:
            raise refusal(exc) from None
        await repo.add_event(conn, new.id, event_id, principal.subject)
        row = await repo.update_status(conn, new)
        await outbox.add(conn, _events(new.id, facts))
        return public(row, list(new.event_ids))


async def practice_row(conn: asyncpg.Connection, practice_id: UUID) -> asyncpg.Record:
    row = await repo.row(conn, practice_id)
    if row is None:
        raise missing(practice_id)
    return row
