"""Use cases of mentoring: start, end, read, list, a mentor's load and the young specialists without a mentor.

Mentors and mentees are persons: the caller must reach them as staff (domain.staff_access), a mentoring is
seen by whoever reaches its organisation (or, without one, its municipality), a refused read answers like a
missing mentoring, and every read of names is audited. Changes go to registry.mentoring.v1 in the same
transaction, with ids and codes only."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.mentoring import MentoringEnded, MentoringStarted
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal

from ...bodies.handlers import reachable, read_names
from ...domain import mentoring as rules
from ...domain.mentoring import Mentoring, MentoringError, MentorOverloaded
from ...domain.routes import ItemKind
from ...domain.staff_access import PERSON_READERS, may_reach_place
from ...staff import repository as staff_repository
from ...staff.handlers import StaffPage, list_staff, scoped_filter
from ...staff.repository import StaffFilter
from ..routes import handlers as routes
from . import repository as repo
from .repository import MentoringFilter
from .schemas import MentoringCreate, MentoringEnd

SOURCE = "urn:metodset:registry"


def missing(mentoring_id: UUID) -> NotFound:
    return NotFound("id", f"Наставничество {mentoring_id} не найдено", "not_found", where="path")


def refusal(exc: MentoringError) -> DomainError:
    if isinstance(exc, MentorOverloaded) or exc.code == "duplicate":
        return Conflict(exc.field, str(exc), exc.code)
    return DomainError(exc.field, str(exc), exc.code)


def event(m: Mentoring):
    facts = dict(mentoring_id=m.id, mentor_id=m.mentor_id, mentee_ids=list(m.mentee_ids), form=m.form,
                 start_date=m.start, organisation_id=m.organisation_id, municipality_oktmo=m.municipality_oktmo)
    data = MentoringStarted(**facts) if m.end is None else MentoringEnded(
        **facts, end_date=m.end, status=m.status, outcome=m.outcome_code)
    return outgoing(data, source=SOURCE, subject=f"mentoring/{m.id}", key=str(m.id), time=now())


@dataclass(frozen=True)
class MentoringView:
    mentoring: Mentoring
    names: dict[UUID, str]
    form_title: str


async def _views(conn: asyncpg.Connection, principal: Principal, found: Sequence[Mentoring],
                 operation: str) -> list[MentoringView]:
    names = await read_names(conn, principal, {p for m in found for p in m.persons()}, operation)
    forms = await repo.forms(conn)
    return [MentoringView(m, names, forms.get(m.form, (m.form, ""))[0]) for m in found]


def visible(principal: Principal, m: Mentoring) -> bool:
    if m.organisation_id is not None:
        return may_reach_place(principal, m.organisation_id, m.municipality_oktmo)
    return principal.role in PERSON_READERS and may_reach_place(principal, uuid.UUID(int=0), m.municipality_oktmo)


# ---- writing ------------------------------------------------------------------------------------------------

async def _place(conn: asyncpg.Connection, principal: Principal, data: MentoringCreate) -> tuple[UUID, str]:
    """The organisation of the mentoring and its municipality: the one asked for, else the first mentee's
    organisation of main employment on the start date."""
    org_id = data.organisation_id
    if org_id is None:
        jobs = (await staff_repository.employments_of(conn, [data.mentee_ids[0]])).get(data.mentee_ids[0], [])
        active = sorted((p for p in jobs if p.employment.active_on(data.start_date)),
                        key=lambda p: not (p.employment.term_on(data.start_date) or p.employment.current).main)
        if not active:
            raise DomainError("organisationId", "Наставляемый не работает на дату начала: укажите организацию",
                              "missing")
        org_id = active[0].employment.organisation_id
    org = (await staff_repository.organisation_places(conn, [org_id])).get(org_id)
    if org is None:
        raise DomainError("organisationId", f"Организация {org_id} не найдена", "unknown")
    if not may_reach_place(principal, org_id, org["municipality_oktmo"]):
        raise Forbidden("Наставничество можно закрепить только в организации вашей области доступа",
                        field="organisationId")
    return org_id, org["municipality_oktmo"]


async def _check_persons(conn: asyncpg.Connection, principal: Principal, data: MentoringCreate) -> None:
    wanted = {data.mentor_id, *data.mentee_ids}
    found = await reachable(conn, principal, wanted, [data.start_date, date.today()])
    if data.mentor_id not in found:
        raise DomainError("mentorId", f"Педагог {data.mentor_id} не найден", "unknown")
    unknown = sorted(str(p) for p in set(data.mentee_ids) - found)
    if unknown:
        raise DomainError("menteeIds", f"Педагоги не найдены: {', '.join(unknown)}", "unknown")


async def start(pool: asyncpg.Pool, principal: Principal, data: MentoringCreate, max_mentees: int) -> MentoringView:
    if principal.role not in PERSON_READERS:
        raise Forbidden("Закреплять наставников могут региональный координатор, методист муниципалитета и "
                        "администратор организации")
    async with pool.acquire() as conn, conn.transaction():
        await _check_persons(conn, principal, data)
        org_id, oktmo = await _place(conn, principal, data)
        await staff_repository.lock_persons(conn, [data.mentor_id, *data.mentee_ids])
        new = Mentoring(id=uuid.uuid4(), mentor_id=data.mentor_id, mentee_ids=tuple(data.mentee_ids),
                        form=data.form, start=data.start_date, municipality_oktmo=oktmo, organisation_id=org_id,
                        programme=data.programme)
        forms = {code: kind for code, (_, kind) in (await repo.forms(conn)).items()}
        try:
            rules.check_new(new, forms, await repo.of_persons(conn, [new.mentor_id, *new.mentee_ids]), max_mentees,
                            date.today())
        except MentoringError as exc:
            raise refusal(exc) from None
        await repo.insert(conn, new, principal.subject)
        await outbox.add(conn, [event(new)])
        [view] = await _views(conn, principal, [new], "mentoring.start")
    return view


async def end(pool: asyncpg.Pool, principal: Principal, mentoring_id: UUID, data: MentoringEnd) -> MentoringView:
    async with pool.acquire() as conn, conn.transaction():
        found = await repo.mentoring(conn, mentoring_id, lock=True)
        if found is None or not visible(principal, found):
            raise missing(mentoring_id)
        try:
            ended = rules.end(found, data.end_date, data.status, data.outcome, data.outcome_text, date.today())
        except MentoringError as exc:
            raise refusal(exc) from None
        await repo.save_end(conn, ended, principal.subject)
        await outbox.add(conn, [event(ended)])
        await _complete_route_items(conn, ended)
        [view] = await _views(conn, principal, [ended], "mentoring.end")
    return view


async def _complete_route_items(conn: asyncpg.Connection, m: Mentoring) -> None:
    """A mentoring carried out completes, on its last day, the open route items of kind mentoring of each
    mentee that name its mentor (as the route's suggestions do: ref is the mentor's id); an item naming no
    mentor, or another one, is completed by hand (routes.complete_by_fact, in this transaction)."""
    if rules.completes_route_items(m):
        for mentee in m.mentee_ids:
            await routes.complete_by_fact(conn, mentee, ItemKind.MENTORING, ref=str(m.mentor_id), on=m.end)


# ---- reading ------------------------------------------------------------------------------------------------

async def read(pool: asyncpg.Pool, principal: Principal, mentoring_id: UUID) -> MentoringView:
    async with pool.acquire() as conn, conn.transaction():
        found = await repo.mentoring(conn, mentoring_id)
        if found is None or not visible(principal, found):
            raise missing(mentoring_id)
        [view] = await _views(conn, principal, [found], "mentoring.get")
    return view


def scoped(principal: Principal, f: MentoringFilter) -> MentoringFilter:
    """The filter narrowed to the caller's municipality or organisation (as the staff list is)."""
    narrowed = scoped_filter(principal, StaffFilter(date.today(), f.municipality, f.organisation))
    return MentoringFilter(narrowed.municipality, narrowed.organisation, f.mentor, f.mentee, f.person, f.status,
                           f.day)


async def listing(pool: asyncpg.Pool, principal: Principal, f: MentoringFilter, limit: int,
                  after: tuple | None) -> tuple[list[MentoringView], int, bool]:
    """A page of mentorings (views), the count with the same filters, and whether another page follows."""
    f = scoped(principal, f)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        found = await repo.page(conn, f, limit + 1, after)
        total = await repo.count(conn, f)
        views = await _views(conn, principal, found[:limit], "mentoring.list")
    return views, total, len(found) > limit


async def mentor_load(pool: asyncpg.Pool, principal: Principal, mentor_id: UUID, day: date) -> int:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        if principal.role not in PERSON_READERS or not await reachable(conn, principal, {mentor_id}, [day]):
            raise NotFound("id", f"Работник {mentor_id} не найден", "not_found", where="path")
        return await repo.mentor_load(conn, mentor_id, day)


async def young_without_mentor(pool: asyncpg.Pool, principal: Principal, f: StaffFilter, *, limit: int,
                               after: tuple | None, order) -> StaffPage:
    """Young specialists employed on the day in scope whom no mentoring active that day has as a mentee;
    the page is audited like a staff list."""
    return await list_staff(pool, principal, f, limit=limit, after=after, order=order,
                            operation="staff.young_without_mentor",
                            query=(repo.young_without_mentor, repo.count_young_without_mentor))
