"""Use cases of methodical bodies, each in one transaction with its outbox events.

Bodies (names, kinds, counts) are public to any authenticated caller, as the organisation directory is;
members are persons, so their names are read only by the body's managers (bodies.may_manage) and every such
read is audited. A refused read of members answers exactly like a missing body."""
from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.bodies import BodyLevel
from metodset_kit import audit, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from ..domain import bodies as rules
from ..domain.bodies import Body, Composition, Membership
from ..domain.periods import Period, PeriodError, PeriodOverlap
from ..domain.staff_access import may_reach_person
from ..staff import handlers as staff_handlers
from ..staff import repository as staff_repository
from . import repository as repo
from .schemas import BodyCreate, CompositionApprove, MemberAdd

SOURCE = "urn:metodset:registry"
PERSON = "person"  # the audit log's resource of a person's data
REFUSED = "Изменять это объединение могут только его руководители: региональный координатор, методист " \
          "муниципалитета или администратор организации"


def refusal(exc: PeriodError) -> DomainError:
    if isinstance(exc, PeriodOverlap):
        return Conflict(exc.field, str(exc), "conflict")
    return DomainError(exc.field, str(exc), "invalid")


def missing(body_id: UUID) -> NotFound:
    return NotFound("id", f"Объединение {body_id} не найдено", where="path")


def events(body_id: UUID, facts: Sequence) -> list:
    at = now()
    return [outgoing(f, source=SOURCE, subject=f"body/{body_id}", key=str(body_id), time=at) for f in facts]


async def owner_municipality(conn: asyncpg.Connection, body: Body) -> str | None:
    if body.organisation_id is None:
        return body.municipality_oktmo
    found = await repo.organisation_municipality(conn, body.organisation_id)
    return found[0] if found else None


async def manages(conn: asyncpg.Connection, principal: Principal, body: Body) -> bool:
    return rules.may_manage(principal, body, await owner_municipality(conn, body))


async def catalogues(conn: asyncpg.Connection) -> rules.Catalogues:
    """The region's catalogues of body kinds and subjects (the reference ones and the region's own items)."""
    kinds = await repo.catalogue_items(conn, "body_kinds")
    subjects = await repo.catalogue_items(conn, "subjects")
    if not kinds or not subjects:  # a database without the seed: the reference catalogues
        return rules.reference()
    return rules.Catalogues({r["code"]: rules.kind_from(r["code"], r["title"], _extra(r["extra"])) for r in kinds},
                            {r["code"]: r["title"] for r in subjects})


def _extra(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


# --- writing ---------------------------------------------------------------------------------------------


def body_from(data: BodyCreate, today: date, catalogues: rules.Catalogues) -> Body:
    """A new body from a request; its level from its kind when the kind fixes it; spaces in its name folded
    (a sheet's «РМО  учителей» is the same body as «РМО учителей»)."""
    try:
        level = rules.level_for(rules.kind_of(data.kind, catalogues), data.level)
    except PeriodError as exc:
        raise refusal(exc) from None
    return Body(id=uuid.uuid4(), name=" ".join(data.name.split()), kind=data.kind, level=level,
                created_on=data.created_on or today,
                municipality_oktmo=data.municipality_oktmo, organisation_id=data.organisation_id,
                subject=data.subject, goal=data.goal, term_start=data.term_start, term_end=data.term_end)


async def check_owner(conn: asyncpg.Connection, principal: Principal, body: Body) -> None:
    """The owner exists and the caller may manage its bodies."""
    if body.level is BodyLevel.MUNICIPAL and not await conn.fetchval(
            "select true from municipalities where oktmo = $1", body.municipality_oktmo):
        raise DomainError("municipalityOktmo", f"Муниципалитет с ОКТМО {body.municipality_oktmo} не найден", "unknown")
    if body.level is BodyLevel.ORGANISATION:
        found = await repo.organisation_municipality(conn, body.organisation_id)
        if found is None or not found[1]:
            raise DomainError("organisationId", f"Действующая организация {body.organisation_id} не найдена",
                              "unknown")
    if not await manages(conn, principal, body):
        raise Forbidden("Создавать объединения этого уровня вы не можете: региональные — региональный координатор, "
                        "муниципальные — методист муниципалитета, объединения организации — её администратор")


async def insert_body(conn: asyncpg.Connection, principal: Principal, body: Body,
                      catalogues: rules.Catalogues) -> None:
    try:
        fact = rules.create(body, date.today(), catalogues)
    except PeriodError as exc:
        raise refusal(exc) from None
    await check_owner(conn, principal, body)
    try:
        async with conn.transaction():
            await repo.insert_body(conn, body, principal.subject)
    except asyncpg.UniqueViolationError:
        raise Conflict("name", f"У этого владельца уже работает объединение «{body.name}» того же вида",
                       "duplicate") from None
    await outbox.add(conn, events(body.id, [fact]))


async def create_body(pool: asyncpg.Pool, principal: Principal, data: BodyCreate) -> tuple[Body, rules.Catalogues]:
    async with pool.acquire() as conn, conn.transaction():
        found = await catalogues(conn)
        body = body_from(data, date.today(), found)
        await insert_body(conn, principal, body, found)
    return body, found


async def locked(conn: asyncpg.Connection, principal: Principal, body_id: UUID) -> Body:
    body = await repo.body(conn, body_id, lock=True)
    if body is None:
        raise missing(body_id)
    if not await manages(conn, principal, body):
        raise Forbidden(REFUSED)
    return body


async def close_body(pool: asyncpg.Pool, principal: Principal, body_id: UUID,
                     on: date | None) -> tuple[Body, rules.Catalogues]:
    async with pool.acquire() as conn, conn.transaction():
        body = await locked(conn, principal, body_id)
        today = date.today()
        try:
            new, fact, left = rules.close(body, on or today, today, await repo.members(conn, body.id))
        except PeriodError as exc:
            raise refusal(exc) from None
        await repo.close_body(conn, new)
        await repo.end_members(conn, [m for m, _ in left])
        await outbox.add(conn, events(body.id, [fact, *(f for _, f in left)]))
        return new, await catalogues(conn)


async def reachable(conn: asyncpg.Connection, principal: Principal, ids: set[UUID],
                    days: Sequence[date]) -> set[UUID]:
    """The persons the caller may reach as staff (domain.staff_access) on any of the days: only they may be
    made members by this caller. Anybody else answers exactly like a person that does not exist."""
    people = await staff_repository.persons(conn, list(ids))
    jobs = await staff_repository.employments_of(conn, list(people))
    return {pid for pid, p in people.items()
            if any(may_reach_person(principal, staff_handlers.places(jobs.get(pid, [])), p["registered_municipality"],
                                    p["registered_by"], day) for day in days)}


def missing_person(person_id: UUID, field: str = "personId") -> DomainError:
    return DomainError(field, f"Педагог {person_id} не найден", "unknown")


async def join(conn: asyncpg.Connection, principal: Principal, body: Body, member: Membership) -> None:
    if not await reachable(conn, principal, {member.person_id}, [member.period.start, date.today()]):
        raise missing_person(member.person_id)
    try:
        fact = rules.join(body, member, await repo.members(conn, body.id))
    except PeriodError as exc:
        raise refusal(exc) from None
    await repo.insert_member(conn, member, principal.subject)
    await outbox.add(conn, events(body.id, [fact]))


@dataclass(frozen=True)
class Named:
    """A membership with the person's full name (read by a manager, audited)."""

    membership: Membership
    full_name: str | None


async def named(conn: asyncpg.Connection, principal: Principal, members: Sequence[Membership],
                operation: str) -> list[Named]:
    names = await read_names(conn, principal, {m.person_id for m in members}, operation)
    return [Named(m, names.get(m.person_id)) for m in members]


async def read_names(conn: asyncpg.Connection, principal: Principal, ids: set[UUID],
                     operation: str) -> dict[UUID, str]:
    """Persons' names for a caller already allowed to read them; the read is written to the audit log with the
    operation that read them (body.members, body.compositions, ...)."""
    if not ids:
        return {}
    await audit.record_read(conn, principal, PERSON, sorted(str(i) for i in ids), operation)
    return await repo.full_names(conn, ids)


async def add_member(pool: asyncpg.Pool, principal: Principal, body_id: UUID, data: MemberAdd) -> Named:
    async with pool.acquire() as conn, conn.transaction():
        body = await locked(conn, principal, body_id)
        member = Membership(id=uuid.uuid4(), body_id=body.id, person_id=data.person_id, role=data.role,
                            period=Period(data.from_, data.to))
        await join(conn, principal, body, member)
        [found] = await named(conn, principal, [member], "body.member_add")
        return found


async def end_membership(pool: asyncpg.Pool, principal: Principal, body_id: UUID, member_id: UUID,
                         last_day: date) -> Named:
    async with pool.acquire() as conn, conn.transaction():
        body = await locked(conn, principal, body_id)
        member = next((m for m in await repo.members(conn, body.id) if m.id == member_id), None)
        if member is None:
            raise NotFound("memberId", f"Участник {member_id} объединения {body_id} не найден", where="path")
        try:
            new, fact = rules.leave(member, last_day)
        except PeriodError as exc:
            raise refusal(exc) from None
        await repo.end_members(conn, [new])
        await outbox.add(conn, events(body.id, [fact]))
        [found] = await named(conn, principal, [new], "body.member_leave")
        return found


async def approve_composition(pool: asyncpg.Pool, principal: Principal, body_id: UUID,
                              data: CompositionApprove) -> tuple[Composition, list[Named] | None]:
    async with pool.acquire() as conn, conn.transaction():
        body = await locked(conn, principal, body_id)
        members = await repo.members(conn, body.id)
        listed = tuple(rules.ApprovedMember(person_id=m.person_id, role=m.role) for m in data.members) \
            if data.members is not None else rules.composition_of(members, data.order_date)
        try:
            composition = Composition(id=uuid.uuid4(), body_id=body.id, order_number=data.order_number,
                                      order_date=data.order_date, academic_year=rules.academic_year(
                                          data.academic_year), members=listed)
            fact = rules.approve(body, composition, date.today())
        except PeriodError as exc:
            raise refusal(exc) from None
        people = {m.person_id for m in listed}
        unknown = people - await reachable(conn, principal, people, [data.order_date, date.today()])
        if unknown:
            raise DomainError("members", f"Педагоги не найдены: {', '.join(sorted(map(str, unknown)))}", "unknown")
        try:
            async with conn.transaction():
                await repo.insert_composition(conn, composition, principal.subject)
        except asyncpg.UniqueViolationError:
            raise Conflict("orderNumber", f"Приказ № {data.order_number} от {data.order_date.isoformat()} уже "
                                          "утвердил состав этого объединения", "duplicate") from None
        await outbox.add(conn, events(body.id, [fact]))
        return composition, await composition_names(conn, principal, composition, "body.composition_approve")


async def composition_names(conn: asyncpg.Connection, principal: Principal, composition: Composition,
                            operation: str) -> list[Named]:
    ids = {m.person_id for m in composition.members}
    return _listed(composition, await read_names(conn, principal, ids, operation))


def _listed(composition: Composition, names: dict[UUID, str]) -> list[Named]:
    return [Named(Membership(id=composition.id, body_id=composition.body_id, person_id=m.person_id, role=m.role,
                             period=Period(composition.order_date)), names.get(m.person_id))
            for m in composition.members]


# --- reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyView:
    body: Body
    member_count: int
    day: date
    catalogues: rules.Catalogues
    composition: Composition | None = None
    composition_members: list[Named] | None = None  # with names: for managers only


async def body_view(pool: asyncpg.Pool, principal: Principal, body_id: UUID, as_of: date | None) -> BodyView:
    """A body as of a day (it must exist by then): its member count and the composition in force."""
    day = as_of or date.today()
    async with pool.acquire() as conn, conn.transaction():
        body = await repo.body(conn, body_id)
        if body is None or body.created_on > day:
            raise missing(body_id)
        members = rules.active_on(await repo.members(conn, body.id), day)
        composition = rules.approved_on(await repo.compositions(conn, body.id), day)
        listed = None
        if composition is not None and await manages(conn, principal, body):
            listed = await composition_names(conn, principal, composition, "body.get")
        return BodyView(body, len(members), day, await catalogues(conn), composition, listed)


async def members_of(pool: asyncpg.Pool, principal: Principal, body_id: UUID, as_of: date | None,
                     history: bool) -> list[Named]:
    """The members on a day (or every membership ever, `history`), with names: managers only, audited; for
    anybody else the body answers as missing."""
    async with pool.acquire() as conn, conn.transaction():
        body = await repo.body(conn, body_id)
        day = as_of or date.today()
        if body is None or body.created_on > day or not await manages(conn, principal, body):
            raise missing(body_id)
        found = await repo.members(conn, body.id)
        return await named(conn, principal, found if history else rules.active_on(found, day), "body.members")


async def compositions_of(pool: asyncpg.Pool, principal: Principal,
                          body_id: UUID) -> list[tuple[Composition, list[Named] | None]]:
    async with pool.acquire() as conn, conn.transaction():
        body = await repo.body(conn, body_id)
        if body is None:
            raise missing(body_id)
        found = await repo.compositions(conn, body.id)
        if not await manages(conn, principal, body):
            return [(c, None) for c in found]
        names = await read_names(conn, principal, {m.person_id for c in found for m in c.members}, "body.compositions")
        return [(c, _listed(c, names)) for c in found]
