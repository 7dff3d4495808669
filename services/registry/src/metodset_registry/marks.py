"""Use cases of the marks on organisations (flags, site statuses), each in one transaction with its outbox events."""
from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal

from . import marks_repository as marks_repo
from . import repository as repo
from .domain import flags as flag_rules
from .domain import sites as site_rules
from .domain import write_rules
from .domain.flags import Flag
from .domain.periods import Period, PeriodError, PeriodOverlap
from .domain.sites import Site
from .handlers import events_of, locked_organisation
from .schemas import FlagSet, SiteGrant

OUT_OF_SCOPE = "Муниципальный методист может изменять только организации своего муниципалитета"


async def _locked(conn, principal: Principal, org_id: UUID, what: str):
    org = await locked_organisation(conn, principal, org_id, lambda _: [what])
    if not principal.may_manage_municipality(org.municipality_oktmo):
        raise Forbidden(OUT_OF_SCOPE)
    return org


def _period_error(exc: PeriodError) -> DomainError:
    if isinstance(exc, PeriodOverlap):
        return Conflict(exc.field, str(exc), "overlap")
    return DomainError(exc.field, str(exc), "invalid")


async def _existing(conn, org_id: UUID):
    if await repo.organisation(conn, org_id) is None:
        raise NotFound("id", f"Организация {org_id} не найдена", where="path")


async def set_flag(pool: asyncpg.Pool, principal: Principal, org_id: UUID, data: FlagSet) -> Flag:
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, write_rules.FLAGS)
        if not org.active:
            raise Conflict("id", "Организация закрыта; признаки не устанавливаются", "closed")
        flag = Flag(id=uuid.uuid4(), organisation_id=org.id, kind=data.kind,
                    period=Period(data.from_, data.to), source=data.source, set_to=data.to)
        try:
            fact = flag_rules.set_flag(flag, await marks_repo.flags(conn, org.id), org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks_repo.insert_flag(conn, flag)
        await outbox.add(conn, events_of(org, [fact]))
        return flag


async def clear_flag(pool: asyncpg.Pool, principal: Principal, org_id: UUID, flag_id: UUID, last_day: date) -> Flag:
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, write_rules.FLAGS)
        flag = next((f for f in await marks_repo.flags(conn, org.id) if f.id == flag_id), None)
        if flag is None:
            raise NotFound("flagId", f"Признак {flag_id} у организации {org_id} не найден", where="path")
        try:
            new, fact = flag_rules.clear_flag(flag, last_day, org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks_repo.clear_flag(conn, new)
        await outbox.add(conn, events_of(org, [fact]))
        return new


async def flags(pool: asyncpg.Pool, org_id: UUID, as_of: date | None) -> list[Flag]:
    async with pool.acquire() as conn:
        await _existing(conn, org_id)
        found = await marks_repo.flags(conn, org_id)
    return flag_rules.active_on(found, as_of) if as_of else found


async def grant_site(pool: asyncpg.Pool, principal: Principal, org_id: UUID, data: SiteGrant) -> Site:
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, write_rules.SITES)
        if not org.active:
            raise Conflict("id", "Организация закрыта; статусы площадок не присваиваются", "closed")
        site = Site(id=uuid.uuid4(), organisation_id=org.id, kind=data.kind, level=data.level,
                    period=Period(data.from_, data.to), order_number=data.order.number,
                    order_date=data.order.date_, topic=data.topic, granted_to=data.to)
        try:
            fact = site_rules.grant(site, await marks_repo.sites(conn, org.id), org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks_repo.insert_site(conn, site)
        await outbox.add(conn, events_of(org, [fact]))
        return site


async def end_site(pool: asyncpg.Pool, principal: Principal, org_id: UUID, site_id: UUID, last_day: date) -> Site:
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, write_rules.SITES)
        site = next((s for s in await marks_repo.sites(conn, org.id) if s.id == site_id), None)
        if site is None:
            raise NotFound("siteId", f"Статус площадки {site_id} у организации {org_id} не найден", where="path")
        try:
            new, fact = site_rules.end(site, last_day, org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks_repo.end_site(conn, new)
        await outbox.add(conn, events_of(org, [fact]))
        return new


async def sites(pool: asyncpg.Pool, org_id: UUID, as_of: date | None) -> list[Site]:
    async with pool.acquire() as conn:
        await _existing(conn, org_id)
        found = await marks_repo.sites(conn, org_id)
    return site_rules.active_on(found, as_of) if as_of else found
