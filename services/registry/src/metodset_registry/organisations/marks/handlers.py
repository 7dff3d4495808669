"""Use cases of the marks on organisations (flags, site statuses), each in one transaction with its outbox events."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit import ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal

from ...domain import flags as flag_rules
from ...domain import sites as site_rules
from ...domain import write_rules
from ...domain.flags import Flag
from ...domain.periods import Period, PeriodError, PeriodOverlap
from ...domain.sites import Site
from .. import repository as repo
from ..handlers import events_of, locked_organisation
from ..schemas import FlagSet, SiteGrant
from . import repository as marks_repo

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


@dataclass(frozen=True)
class _Marks:
    """What differs between flags and site statuses; the use cases below are the same for both."""

    field: str  # the write rule's name for them
    closed: str  # refusal to add one to a closed organisation
    path_name: str  # the id's name in the path, and what it is called when missing
    missing: str
    load: Callable[..., Awaitable[list]]
    insert: Callable[..., Awaitable[None]]
    store_end: Callable[..., Awaitable[None]]
    add_rule: Callable  # (mark, existing, oktmo) -> fact
    end_rule: Callable  # (mark, last_day, oktmo) -> (ended mark, fact)
    active_on: Callable


FLAGS = _Marks(write_rules.FLAGS, "Организация закрыта; признаки не устанавливаются", "flagId", "Признак",
               marks_repo.flags, marks_repo.insert_flag, marks_repo.clear_flag, flag_rules.set_flag,
               flag_rules.clear_flag, flag_rules.active_on)
SITES = _Marks(write_rules.SITES, "Организация закрыта; статусы площадок не присваиваются", "siteId",
               "Статус площадки", marks_repo.sites, marks_repo.insert_site, marks_repo.end_site, site_rules.grant,
               site_rules.end, site_rules.active_on)


async def _add(pool: asyncpg.Pool, principal: Principal, org_id: UUID, marks: _Marks, build):
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, marks.field)
        if not org.active:
            raise Conflict("id", marks.closed, "closed")
        mark = build(org)
        try:
            fact = marks.add_rule(mark, await marks.load(conn, org.id), org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks.insert(conn, mark)
        await outbox.add(conn, events_of(org, [fact]))
        return mark


async def _end(pool: asyncpg.Pool, principal: Principal, org_id: UUID, mark_id: UUID, last_day: date,
               marks: _Marks):
    async with pool.acquire() as conn, conn.transaction():
        org = await _locked(conn, principal, org_id, marks.field)
        mark = next((m for m in await marks.load(conn, org.id) if m.id == mark_id), None)
        if mark is None:
            raise NotFound(marks.path_name, f"{marks.missing} {mark_id} у организации {org_id} не найден",
                           where="path")
        try:
            ended, fact = marks.end_rule(mark, last_day, org.municipality_oktmo)
        except PeriodError as exc:
            raise _period_error(exc) from None
        await marks.store_end(conn, ended)
        await outbox.add(conn, events_of(org, [fact]))
        return ended


async def _read(pool: asyncpg.Pool, org_id: UUID, as_of: date | None, marks: _Marks) -> list:
    async with pool.acquire() as conn:
        await _existing(conn, org_id)
        found = await marks.load(conn, org_id)
    return marks.active_on(found, as_of) if as_of else found


async def set_flag(pool: asyncpg.Pool, principal: Principal, org_id: UUID, data: FlagSet) -> Flag:
    return await _add(pool, principal, org_id, FLAGS, lambda org: Flag(
        id=ids.uuid4(), organisation_id=org.id, kind=data.kind, period=Period(data.from_, data.to),
        source=data.source, set_to=data.to))


async def clear_flag(pool: asyncpg.Pool, principal: Principal, org_id: UUID, flag_id: UUID, last_day: date) -> Flag:
    return await _end(pool, principal, org_id, flag_id, last_day, FLAGS)


async def flags(pool: asyncpg.Pool, org_id: UUID, as_of: date | None) -> list[Flag]:
    return await _read(pool, org_id, as_of, FLAGS)


async def grant_site(pool: asyncpg.Pool, principal: Principal, org_id: UUID, data: SiteGrant) -> Site:
    return await _add(pool, principal, org_id, SITES, lambda org: Site(
        id=ids.uuid4(), organisation_id=org.id, kind=data.kind, level=data.level,
        period=Period(data.from_, data.to), order_number=data.order.number, order_date=data.order.date_,
        topic=data.topic, granted_to=data.to))


async def end_site(pool: asyncpg.Pool, principal: Principal, org_id: UUID, site_id: UUID, last_day: date) -> Site:
    return await _end(pool, principal, org_id, site_id, last_day, SITES)


async def sites(pool: asyncpg.Pool, org_id: UUID, as_of: date | None) -> list[Site]:
    return await _read(pool, org_id, as_of, SITES)
