"""Use cases of the registry: each runs in one transaction with its outbox events."""
from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.organisations import MunicipalityRegistered
from metodset_kit import ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound, RowsRejected
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from ..domain import organisations as domain
from ..domain import write_rules
from ..domain.organisations import ClosingDateError, Organisation, OrganisationClosedError
from . import repository as repo
from .schemas import MunicipalityCreate, OrganisationCreate

SOURCE = "urn:metodset:registry"
FORBIDDEN_MUNICIPALITY = "Муниципальный методист может регистрировать организации только своего муниципалитета"


async def create_municipality(pool: asyncpg.Pool, principal: Principal, data: MunicipalityCreate) -> None:
    if not principal.may_manage_region():
        raise Forbidden("Создавать муниципалитеты может только региональный координатор")
    async with pool.acquire() as conn, conn.transaction():
        if not await repo.add_municipality(conn, data.oktmo, data.name):
            raise Conflict("oktmo", f"Муниципалитет с ОКТМО {data.oktmo} уже есть в реестре", "duplicate")
        await outbox.add(conn, [_municipality_event(data.oktmo, data.name)])


def _municipality_event(oktmo: str, name: str):
    return outgoing(MunicipalityRegistered(oktmo=oktmo, name=name), source=SOURCE, subject=f"municipality/{oktmo}",
                    key=oktmo)


async def announce_municipalities(pool: asyncpg.Pool) -> int:
    """Announce the municipalities created before the event existed (once; at every start, usually none)."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await repo.claim_unannounced(conn)
        if rows:
            await outbox.add(conn, [_municipality_event(r["oktmo"], r["name"]) for r in rows])
    return len(rows)


async def start_announcing(app, stack) -> None:  # noqa: ARG001 - a ServiceSpec starter
    await announce_municipalities(app.state.pool)


def _org_from(data: OrganisationCreate, org_id: UUID) -> Organisation:
    return Organisation(id=org_id, name=data.name, short_name=data.short_name, kind=data.kind,
                        municipality_oktmo=data.municipality_oktmo, inn=data.inn, ogrn=data.ogrn,
                        address=data.address, phone=data.phone, email=data.email, website=data.website,
                        parent_id=data.parent_id)


def _events(orgs: Sequence[Organisation], facts) -> list:
    at = now()
    keys = [str(o.id) for o in orgs]
    return [outgoing(f, source=SOURCE, subject="organisation/" + key, key=key, time=at, event_id=event_id)
            for key, f, event_id in zip(keys, facts, ids.uuid7s(len(keys)), strict=True)]


async def register_organisations(pool: asyncpg.Pool, principal: Principal,
                                 rows: Sequence[OrganisationCreate]) -> list[Organisation]:
    """Register organisations all or nothing; every bad row is reported with its index and field."""
    if not write_rules.may_register(principal.role):
        raise Forbidden(write_rules.registration_refusal(principal.role))
    problems: list[dict] = []
    for i, row in enumerate(rows):
        if not principal.may_manage_municipality(row.municipality_oktmo):
            problems.append(_row_error(i, "municipalityOktmo", FORBIDDEN_MUNICIPALITY, "forbidden"))
    if problems and len(problems) == len(rows):
        raise Forbidden(FORBIDDEN_MUNICIPALITY)
    orgs = [_org_from(r, org_id) for r, org_id in zip(rows, ids.uuid7s(len(rows)), strict=True)]
    async with pool.acquire() as conn, conn.transaction():
        problems += await _parent_problems(conn, orgs)
        known = await repo.existing_municipalities(conn, {o.municipality_oktmo for o in orgs})
        repeated = {inn for inn, n in Counter(o.inn for o in orgs).items() if n > 1}
        if not problems and not repeated and len(known) == len({o.municipality_oktmo for o in orgs}) \
                and await _inserted(conn, orgs):
            await outbox.add(conn, _events(orgs, [domain.register(o) for o in orgs]))
            return orgs
        # something is wrong: look at every row, so that the answer names all of them
        taken = await repo.active_inns(conn, {o.inn for o in orgs})
        for i, o in enumerate(orgs):
            if o.municipality_oktmo not in known:
                problems.append(_row_error(i, "municipalityOktmo",
                                           f"Муниципалитет с ОКТМО {o.municipality_oktmo} не найден", "unknown"))
            if o.inn in taken or o.inn in repeated:
                problems.append(_row_error(i, "inn", f"Действующая организация с ИНН {o.inn} уже есть", "duplicate"))
        if problems:
            raise _rejected(problems, single=len(rows) == 1)
        raise Conflict("inn", "Действующая организация с таким ИНН уже есть", "duplicate")  # taken meanwhile


async def _inserted(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> bool:
    """Insert optimistically: the unique index checks every ИНН at once, and only a refusal costs a look
    at each row. False when an ИНН is taken (the savepoint undoes the partial insert)."""
    try:
        async with conn.transaction(), _constraints_named():
            await repo.insert_organisations(conn, orgs)
    except Conflict:
        return False
    return True


@contextlib.asynccontextmanager
async def _constraints_named():
    """A concurrent request may take an ИНН or remove nothing we checked; the database has the last word."""
    try:
        yield
    except asyncpg.UniqueViolationError:
        raise Conflict("inn", "Действующая организация с таким ИНН уже есть", "duplicate") from None
    except asyncpg.ForeignKeyViolationError:
        raise DomainError("municipalityOktmo", "Муниципалитет не найден", "unknown") from None
    except asyncpg.CheckViolationError as exc:
        raise DomainError(None, f"Значение не прошло проверку базы данных: {exc.constraint_name}", "invalid") from None


async def _parent_problems(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> list[dict]:
    wanted = {o.parent_id for o in orgs if o.parent_id}
    if not wanted:
        return []
    chain = await repo.parent_chain(conn, wanted)
    problems = []
    for i, o in enumerate(orgs):
        reason = o.parent_id and domain.parent_problem(o.id, o.municipality_oktmo, o.parent_id, chain)
        if reason:
            problems.append(_row_error(i, "parentId", reason, "invalid"))
    return problems


async def _check_parent(conn: asyncpg.Connection, org_id: UUID, municipality_oktmo: str, parent_id: UUID) -> None:
    reason = domain.parent_problem(org_id, municipality_oktmo, parent_id, await repo.parent_chain(conn, {parent_id}))
    if reason:
        raise DomainError("parentId", reason, "invalid")


def _row_error(index: int, field: str, msg: str, code: str) -> dict:
    return {"loc": ["body", index, field], "msg": msg, "type": code}


def _rejected(problems: list[dict], single: bool) -> Exception:
    if single:  # a single registration reports like any other request: the field, not a row
        p = problems[0]
        cls = Conflict if p["type"] == "duplicate" else DomainError
        return cls(p["loc"][-1], p["msg"], p["type"])
    return RowsRejected(sorted(problems, key=lambda p: p["loc"][1]))


def _check_write_rules(principal: Principal, fields: list[str]) -> None:
    refused = write_rules.refused(principal.role, fields)
    if refused:
        raise Forbidden(write_rules.refusal_message(principal.role, refused),
                        write_rules.refusal_detail(principal.role, refused))


async def locked_organisation(conn: asyncpg.Connection, principal: Principal, org_id: UUID,
                              written) -> Organisation:
    """The organisation, locked for this transaction, once the caller may write `written(org)` of it."""
    org = await repo.organisation_for_update(conn, org_id)
    if org is None:
        raise NotFound("id", f"Организация {org_id} не найдена", "not_found", where="path")
    _check_write_rules(principal, written(org))
    if not principal.may_edit_organisation(str(org.id), org.municipality_oktmo):
        raise Forbidden("Организация вне вашей области доступа")
    return org


def events_of_many(orgs: Sequence[Organisation], facts: Sequence) -> list:
    """One event per organisation, each with its own fact (a batch's registrations or changes)."""
    return _events(orgs, facts) if orgs else []


def events_of(org: Organisation, facts: Sequence) -> list:
    return _events([org] * len(facts), facts)


async def _change(pool: asyncpg.Pool, principal: Principal, org_id: UUID, written, change) -> Organisation:
    """Run one change of an organisation: `written(org)` names the fields it would write."""
    async with pool.acquire() as conn, conn.transaction():
        org = await locked_organisation(conn, principal, org_id, written)
        try:
            new, fact = await change(conn, org)
        except OrganisationClosedError:
            raise Conflict("id", "Организация закрыта; изменения не принимаются", "closed") from None
        if fact is not None:
            async with _constraints_named():
                await repo.save(conn, new)
            await outbox.add(conn, _events([new], [fact]))
        return new


async def update_organisation(pool: asyncpg.Pool, principal: Principal, org_id: UUID, changes: dict) -> Organisation:
    async def change(conn, org: Organisation):
        if changes.get("municipality_oktmo", org.municipality_oktmo) != org.municipality_oktmo:
            target = changes["municipality_oktmo"]
            if not principal.may_manage_municipality(target):
                raise Forbidden(FORBIDDEN_MUNICIPALITY)
            if not await repo.existing_municipalities(conn, {target}):
                raise DomainError("municipalityOktmo", f"Муниципалитет с ОКТМО {target} не найден", "unknown")
        oktmo = changes.get("municipality_oktmo", org.municipality_oktmo)
        parent_id = changes.get("parent_id", org.parent_id)
        if parent_id and (parent_id != org.parent_id or oktmo != org.municipality_oktmo):
            await _check_parent(conn, org.id, oktmo, parent_id)
        if "inn" in changes and await repo.active_inns(conn, {changes["inn"]}, except_id=org.id):
            raise Conflict("inn", f"Действующая организация с ИНН {changes['inn']} уже есть", "duplicate")
        return domain.update(org, changes)

    return await _change(pool, principal, org_id, lambda org: domain.changed_fields(org, changes), change)


async def close_organisation(pool: asyncpg.Pool, principal: Principal, org_id: UUID, on: date | None) -> Organisation:
    async def change(conn, org: Organisation):
        if not principal.may_manage_municipality(org.municipality_oktmo):
            raise Forbidden("Закрыть организацию может региональный координатор или методист муниципалитета")
        today = date.today()
        try:
            return domain.close(org, on or today, today)
        except ClosingDateError as exc:
            raise DomainError("closedOn", str(exc), "invalid") from None

    return await _change(pool, principal, org_id, lambda _: [write_rules.STATUS], change)


async def reorganise_organisation(pool: asyncpg.Pool, principal: Principal, org_id: UUID, successor_id: UUID,
                                  on: date | None) -> Organisation:
    async def change(conn, org: Organisation):
        if not principal.may_manage_municipality(org.municipality_oktmo):
            raise Forbidden("Реорганизовать организацию может региональный координатор или методист муниципалитета")
        successor = await repo.organisation(conn, successor_id)
        if successor is None or not successor.active:
            raise DomainError("successorId", f"Правопреемник {successor_id} не найден среди действующих организаций",
                              "invalid")
        today = date.today()
        try:
            return domain.reorganise(org, successor_id, on or today, today)
        except ClosingDateError as exc:
            raise DomainError("on", str(exc), "invalid") from None
        except domain.ParentError as exc:
            raise DomainError("successorId", str(exc), "invalid") from None

    return await _change(pool, principal, org_id, lambda _: [write_rules.STATUS], change)

