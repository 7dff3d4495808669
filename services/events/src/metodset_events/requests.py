"""Use cases of support requests: an organisation declares a problem, the municipal service assigns a methodist
and records consultations against it, the request closes with an outcome and the requester's rating; reads,
lists, and the response times per municipality.

Scope: an organisation administrator declares and closes their organisation's requests; a municipal methodist
(the municipal service) declares on behalf of, assigns, consults and closes its municipality's; the regional
coordinator everything. Reads: whoever sees the municipality, and the requesting organisation's
administrator; a request out of scope answers like a missing one. Changes go to events.requests.v1 in the same
transaction, ids and codes only."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import asyncpg

from metodset_contracts.requests import (
    RequestAssigned,
    RequestClosed,
    RequestConsulted,
    RequestDeclared,
)
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal, Role

from . import plans_repository
from . import requests_repository as repo
from .domain import requests as rules
from .domain.requests import Request, RequestError
from .plans import SOURCE, known_person
from .requests_repository import Found, RequestFilter
from .requests_schemas import ConsultationCreate, RequestAssign, RequestClose, RequestCreate


def missing(request_id: UUID) -> NotFound:
    return NotFound("id", f"Запрос {request_id} не найден", "not_found", where="path")


def may_read(principal: Principal, r: Request) -> bool:
    return principal.sees_municipality(r.municipality_oktmo) or \
        principal.may_edit_organisation(str(r.organisation_id), r.municipality_oktmo)


def refusal(exc: RequestError) -> DomainError:
    return Conflict(exc.field, str(exc), exc.code) if exc.code in ("closed", "not_assigned") else \
        DomainError(exc.field, str(exc), exc.code)


@dataclass(frozen=True)
class RequestView:
    request: Request
    organisation_name: str | None
    consultations: list[asyncpg.Record]


def _facts(r: Request) -> dict:
    return dict(request_id=r.id, organisation_id=r.organisation_id, municipality_oktmo=r.municipality_oktmo)


def _event(r: Request, data):
    return outgoing(data, source=SOURCE, subject=f"support-requests/{r.id}", key=str(r.id), time=now())


async def _view(conn: asyncpg.Connection, found: Found) -> RequestView:
    consultations = await repo.consultations(conn, [found.request.id])
    return RequestView(found.request, found.organisation_name, consultations.get(found.request.id, []))


async def _found(conn: asyncpg.Connection, principal: Principal, request_id: UUID, *, lock: bool = False) -> Found:
    found = await repo.request(conn, request_id, lock=lock)
    if found is None or not may_read(principal, found.request):
        raise missing(request_id)
    return found


def _for_service(principal: Principal, r: Request, what: str) -> None:
    if not principal.may_manage_municipality(r.municipality_oktmo):
        raise Forbidden(f"{what} может методическая служба муниципалитета организации (методист) или региональный "
                        "координатор")


# ---- writing ------------------------------------------------------------------------------------------------

async def declare(pool: asyncpg.Pool, principal: Principal, data: RequestCreate) -> RequestView:
    async with pool.acquire() as conn, conn.transaction():
        org = await plans_repository.organisation(conn, data.organisation_id)
        if org is None:
            raise DomainError("organisationId", f"Организация {data.organisation_id} не найдена", "unknown")
        if not principal.may_edit_organisation(str(data.organisation_id), org["municipality_oktmo"]):
            raise Forbidden("Заявить проблему можно только от организации вашей области доступа",
                            field="organisationId")
        r = Request(id=uuid.uuid4(), organisation_id=data.organisation_id, municipality_oktmo=org["municipality_oktmo"],
                    topic=data.topic, asked=data.asked, subject=data.subject, declared_at=datetime.now(UTC))
        await repo.insert(conn, r, principal.subject)
        await outbox.add(conn, [_event(r, RequestDeclared(**_facts(r), subject=r.subject, declared_at=r.declared_at))])
        return RequestView(r, org["name"], [])


async def assign(pool: asyncpg.Pool, principal: Principal, request_id: UUID, data: RequestAssign) -> RequestView:
    async with pool.acquire() as conn, conn.transaction():
        found = await _found(conn, principal, request_id, lock=True)
        _for_service(principal, found.request, "Назначить методиста")
        await known_person(conn, data.methodist_id, "methodistId")
        at = datetime.now(UTC)
        try:
            r = rules.assign(found.request, data.methodist_id, at)
        except RequestError as exc:
            raise refusal(exc) from None
        await repo.save(conn, r)
        await outbox.add(conn, [_event(r, RequestAssigned(**_facts(r), methodist_id=data.methodist_id,
                                                          assigned_at=at))])
        return await _view(conn, Found(r, found.organisation_name))


async def consult(pool: asyncpg.Pool, principal: Principal, request_id: UUID, data: ConsultationCreate) -> RequestView:
    async with pool.acquire() as conn, conn.transaction():
        found = await _found(conn, principal, request_id, lock=True)
        _for_service(principal, found.request, "Записать консультацию")
        try:
            r = rules.consulted(found.request, datetime.now(UTC))
        except RequestError as exc:
            raise refusal(exc) from None
        consultation_id = uuid.uuid4()
        await repo.add_consultation(conn, consultation_id, r.id, data, r.methodist_id, principal.subject)
        await repo.save(conn, r)
        await outbox.add(conn, [_event(r, RequestConsulted(
            **_facts(r), consultation_id=consultation_id, form=data.form, held_on=data.held_on, minutes=data.minutes,
            participants=data.participants))])
        return await _view(conn, Found(r, found.organisation_name))


async def close(pool: asyncpg.Pool, principal: Principal, request_id: UUID, data: RequestClose) -> RequestView:
    async with pool.acquire() as conn, conn.transaction():
        found = await _found(conn, principal, request_id, lock=True)
        r = found.request
        if not principal.may_edit_organisation(str(r.organisation_id), r.municipality_oktmo):
            raise Forbidden("Закрыть запрос могут заявившая организация, методическая служба муниципалитета и "
                            "региональный координатор")
        try:
            r = rules.close(r, data.outcome, data.outcome_text, data.rating, datetime.now(UTC))
        except RequestError as exc:
            raise refusal(exc) from None
        await repo.save(conn, r)
        await outbox.add(conn, [_event(r, RequestClosed(**_facts(r), outcome=r.outcome, rating=r.rating,
                                                        closed_at=r.closed_at))])
        return await _view(conn, Found(r, found.organisation_name))


# ---- reading ------------------------------------------------------------------------------------------------

async def read(pool: asyncpg.Pool, principal: Principal, request_id: UUID) -> RequestView:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        return await _view(conn, await _found(conn, principal, request_id))


def scoped(principal: Principal, f: RequestFilter) -> RequestFilter | None:
    """The filter narrowed to what the caller reads; None when the asked municipality or organisation is outside
    it (the list is then empty)."""
    if principal.role is Role.MUNICIPAL_METHODIST:
        if f.municipality not in (None, principal.municipality):
            return None
        return RequestFilter(principal.municipality, f.organisation, f.status, f.declared_from, f.declared_to)
    if principal.role is Role.ORGANISATION_ADMIN:
        if f.organisation not in (None, UUID(principal.organisation)):
            return None
        return RequestFilter(f.municipality, UUID(principal.organisation), f.status, f.declared_from, f.declared_to)
    return f


async def listing(pool: asyncpg.Pool, principal: Principal, f: RequestFilter, limit: int,
                  after: tuple | None) -> tuple[list[RequestView], int, bool]:
    narrowed = scoped(principal, f)
    if narrowed is None:
        return [], 0, False
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repo.page(conn, narrowed, limit + 1, after)
        total = await repo.count(conn, narrowed)
        consultations = await repo.consultations(conn, [x.request.id for x in found[:limit]])
    views = [RequestView(x.request, x.organisation_name, consultations.get(x.request.id, [])) for x in found[:limit]]
    return views, total, len(found) > limit


async def response_times(pool: asyncpg.Pool, principal: Principal, municipalities: list[str] | None,
                         within_days: int, f: RequestFilter) -> list[rules.MunicipalityTimes]:
    """Response times of the requests declared in the period, per municipality; a municipality the caller does
    not see answers like one without requests would not: 404, as a missing one."""
    if municipalities is None:
        if principal.role is Role.MUNICIPAL_METHODIST:
            municipalities = [principal.municipality]
        elif principal.role not in (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE):
            raise Forbidden("Сроки реагирования по муниципалитетам доступны методической службе и региональному уровню")
    for m in municipalities or []:
        if not principal.sees_municipality(m):
            raise NotFound("municipality", f"Муниципалитет {m} не найден", "not_found", where="query")
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        found = await repo.all_of(conn, f)
    if municipalities is not None:
        found = [r for r in found if r.municipality_oktmo in municipalities]
    times = rules.response_times(found, within_days)
    present = {t.municipality_oktmo for t in times}
    empty = [rules.MunicipalityTimes(m, 0, [rules.stage_stats(s, [], within_days) for s in rules.STAGES], None)
             for m in municipalities or [] if m not in present]
    return sorted(times + empty, key=lambda t: t.municipality_oktmo)
