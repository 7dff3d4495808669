"""Use cases of the staff register: persons, hire, transfer, dismissal, lists, counts and the audit trail.

Each change runs in one transaction with its events (registry.staff.v1: identifiers, codes, dates and the
birth year — never a name, a birth date, a СНИЛС or a contact). Every read of a person's data is audited."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.staff import (
    EmploymentChanged,
    EmploymentEnded,
    EmploymentStarted,
    PersonRegistered,
    PersonUpdated,
)
from metodset_kit import audit, ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import outgoing
from metodset_kit.scope import Principal, Role

from ..domain import staff as domain
from ..domain.experience import Declared, YoungSpecialistRule, declared_from_years, experience
from ..domain.identifiers import format_snils
from ..domain.staff import Employment, StaffRuleError
from ..domain.staff_access import PERSON_READERS, Place, may_count, may_reach_person, may_reach_place
from ..organisations import repository as registry
from . import repository as repo
from .repository import Placed, StaffFilter
from .schemas import ExperienceBefore, Hire, PersonCreate, Transfer

SOURCE = "urn:metodset:registry"
PERSON = "person"  # the audit log's resource name of a person's data
COUNTS_ONLY = "Аналитик и служебная учётная запись видят только численность работников (GET /staff/counts)"


def missing_person(person_id, field: str = "id", where: str = "path") -> NotFound:
    """The one answer for a person that does not exist and for one the caller may not reach."""
    return NotFound(field, f"Работник {person_id} не найден", "not_found", where=where)


def missing_employment(employment_id) -> NotFound:
    return NotFound("id", f"Запись о работе {employment_id} не найдена", "not_found", where="path")


def _rule_error(exc: StaffRuleError) -> DomainError:
    return DomainError(exc.field, str(exc), "invalid")


# ---- events -----------------------------------------------------------------------------------------------

def person_event(person: dict, changed: list[str] | None = None, at: str | None = None):
    if changed is None:
        data = PersonRegistered(person_id=person["id"], version=person["version"],
                                birth_year=person["birth_date"].year,
                                registered_municipality=person["registered_municipality"])
    else:
        data = PersonUpdated(person_id=person["id"], version=person["version"], birth_year=person["birth_date"].year,
                             changed=changed)
    return outgoing(data, source=SOURCE, subject=f"person/{person['id']}", key=str(person["id"]), time=at)


def employment_event(kind, e: Employment, oktmo: str, birth_year: int, at: str | None = None, **extra):
    term = e.current
    data = kind(employment_id=e.id, person_id=e.person_id, version=e.version, organisation_id=e.organisation_id,
                municipality_oktmo=oktmo, position=term.position, subjects=list(term.subjects),
                rate=float(term.rate), main=term.main, start_date=e.start, end_date=e.end, birth_year=birth_year,
                **extra)
    return outgoing(data, source=SOURCE, subject=f"employment/{e.id}", key=str(e.person_id), time=at)


# ---- persons ----------------------------------------------------------------------------------------------

def declared_days(before: ExperienceBefore | None) -> dict:
    if before is None:
        return {"experience_before_days": None, "experience_before_pedagogical_days": None,
                "experience_before_on": None}
    total = before.days if before.years is None else declared_from_years(before.years, before.months or 0,
                                                                         before.days or 0)
    teaching = before.pedagogical_days if before.pedagogical_years is None else declared_from_years(
        before.pedagogical_years, before.pedagogical_months or 0, before.pedagogical_days or 0)
    return {"experience_before_days": total, "experience_before_pedagogical_days": teaching,
            "experience_before_on": before.as_of}


def new_person(fields: dict, principal: Principal, municipality: str | None) -> dict:
    person = {"id": ids.uuid4(), "version": 1, "phone": None, "email": None, "middle_name": None, "snils": None,
              **declared_days(None), **fields, "registered_municipality": municipality,
              "registered_by": principal.subject}
    person["name_key"] = domain.name_key(person["last_name"], person["first_name"], person["middle_name"])
    return person


async def registering_municipality(conn: asyncpg.Connection, principal: Principal) -> str | None:
    if principal.role not in PERSON_READERS:
        raise Forbidden("Регистрировать работников могут региональный координатор, методист муниципалитета и "
                        "администратор организации")
    if principal.role is Role.ORGANISATION_ADMIN:
        places = await repo.organisation_places(conn, [_uuid(principal.organisation)])
        place = places.get(_uuid(principal.organisation))
        return place["municipality_oktmo"] if place else None
    if principal.municipality and not await registry.existing_municipalities(conn, {principal.municipality}):
        raise Forbidden(f"Муниципалитета {principal.municipality} из вашего токена нет в реестре: работников "
                        f"регистрируют в муниципалитете, который есть в реестре")
    return principal.municipality


def _uuid(text: str | None) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:
        return None


async def create_person(pool: asyncpg.Pool, principal: Principal, data: PersonCreate) -> dict:
    fields = data.model_dump(exclude={"experience_before"})
    fields.update(declared_days(data.experience_before))
    try:
        domain.check_birth_date(data.birth_date, date.today())
    except StaffRuleError as exc:
        raise _rule_error(exc) from None
    async with pool.acquire() as conn, conn.transaction():
        person = new_person(fields, principal, await registering_municipality(conn, principal))
        try:
            async with conn.transaction():
                await repo.insert_persons(conn, [person], principal.subject)
        except asyncpg.UniqueViolationError:
            raise Conflict("snils", "Работник с таким СНИЛС уже есть в реестре", "duplicate") from None
        await outbox.add(conn, [person_event(person)])
    return person


@dataclass(frozen=True)
class PersonView:
    person: dict
    employments: list[Placed]  # all of them; the view shows those in effect on `day`
    day: date
    experience_total: int
    experience_pedagogical: int
    young: bool


def places(employments: Sequence[Placed]) -> list[Place]:
    return [Place(p.employment.organisation_id, p.municipality_oktmo, p.employment.start, p.employment.end)
            for p in employments]


async def _reachable(conn: asyncpg.Connection, principal: Principal, person_id: UUID, day: date, *,
                     lock: bool = False, as_of: date | None = None) -> tuple[dict, list[Placed]]:
    """The person and their employments, or the same NotFound whether missing or out of the caller's reach."""
    if principal.role not in PERSON_READERS:
        raise missing_person(person_id)
    found = await repo.persons(conn, [person_id], lock=lock, as_of=as_of)
    person = found.get(person_id)
    if person is None:
        raise missing_person(person_id)
    employments = (await repo.employments_of(conn, [person_id])).get(person_id, [])
    if not may_reach_person(principal, places(employments), person["registered_municipality"],
                            person["registered_by"], day):
        raise missing_person(person_id)
    return person, employments


async def read_person(pool: asyncpg.Pool, principal: Principal, person_id: UUID, as_of: date | None,
                      rule: YoungSpecialistRule, operation: str = "person.get") -> PersonView:
    day = as_of or date.today()
    async with pool.acquire() as conn, conn.transaction():
        person, employments = await _reachable(conn, principal, person_id, day, as_of=as_of)
        pedagogical = await repo.pedagogical_positions(conn)
        await audit.record_read(conn, principal, PERSON, [str(person_id)], operation)
    declared = Declared(person["experience_before_days"] or 0, person["experience_before_pedagogical_days"] or 0,
                        person["experience_before_on"])
    exp = experience([p.employment for p in employments], pedagogical, day, declared)
    return PersonView(person, employments, day, exp.total_days, exp.pedagogical_days,
                      rule.applies(person["birth_date"], exp.pedagogical_days, day))


def shown_snils(snils: str | None) -> str | None:
    return format_snils(snils) if snils else None


async def update_person(pool: asyncpg.Pool, principal: Principal, person_id: UUID, changes: dict) -> dict:
    if "experience_before" in changes:
        before = changes.pop("experience_before")
        changes.update(declared_days(ExperienceBefore(**before) if before else None))
    for required in ("last_name", "first_name", "birth_date"):
        if required in changes and changes[required] is None:
            raise DomainError(required, "Поле не может быть пустым", "missing")
    if changes.get("birth_date"):
        try:
            domain.check_birth_date(changes["birth_date"], date.today())
        except StaffRuleError as exc:
            raise _rule_error(exc) from None
    async with pool.acquire() as conn, conn.transaction():
        person, _ = await _reachable(conn, principal, person_id, date.today(), lock=True)
        changed = domain.changed_person_fields(person, changes)
        if not changed:
            return person
        new = {**person, **{c: changes[c] for c in changed}, "version": person["version"] + 1}
        new["name_key"] = domain.name_key(new["last_name"], new["first_name"], new["middle_name"])
        try:
            async with conn.transaction():
                await repo.save_persons(conn, [new], principal.subject)
        except asyncpg.UniqueViolationError:
            raise Conflict("snils", "Работник с таким СНИЛС уже есть в реестре", "duplicate") from None
        await outbox.add(conn, [person_event(new, [camel(c) for c in changed])])
    return new


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


# ---- employments ------------------------------------------------------------------------------------------

async def check_codes(conn: asyncpg.Connection, position: str | None, subjects: Sequence[str] | None) -> None:
    if position is not None and position not in await repo.catalogue_codes(conn, "positions"):
        raise DomainError("position", f"Должности «{position}» нет в справочнике должностей", "unknown")
    if subjects:
        known = await repo.catalogue_codes(conn, "subjects")
        unknown = [s for s in subjects if s not in known]
        if unknown:
            raise DomainError("subjects", f"Предметов {', '.join(unknown)} нет в справочнике предметов", "unknown")


async def hire(pool: asyncpg.Pool, principal: Principal, data: Hire) -> Placed:
    if principal.role not in PERSON_READERS:
        raise Forbidden("Принимать на работу могут региональный координатор, методист муниципалитета и "
                        "администратор организации")
    async with pool.acquire() as conn, conn.transaction():
        org = (await repo.organisation_places(conn, [data.organisation_id])).get(data.organisation_id)
        if org is None:
            raise DomainError("organisationId", f"Организация {data.organisation_id} не найдена", "unknown")
        if not may_reach_place(principal, data.organisation_id, org["municipality_oktmo"]):
            raise Forbidden("Принимать на работу можно только в организации вашей области доступа",
                            field="organisationId")
        if org["closed_on"] is not None and org["closed_on"] < data.start_date:
            raise DomainError("organisationId", "Организация закрыта: приём после даты закрытия невозможен", "closed")
        await check_codes(conn, data.position, data.subjects)
        await repo.lock_persons(conn, [data.person_id])
        person, employments = await _reachable(conn, principal, data.person_id, date.today())
        try:
            e = domain.hire(ids.uuid4(), data.person_id, data.organisation_id, data.start_date, data.position,
                            data.subjects, data.rate, data.main, date.today(), [p.employment for p in employments])
        except StaffRuleError as exc:
            raise _rule_error(exc) from None
        await repo.insert_employments(conn, [e], principal.subject)
        await outbox.add(conn, [employment_event(EmploymentStarted, e, org["municipality_oktmo"],
                                                 person["birth_date"].year)])
    return Placed(e, org["municipality_oktmo"], org["name"])


async def _change_employment(pool: asyncpg.Pool, principal: Principal, employment_id: UUID, change) -> Placed:
    if principal.role not in PERSON_READERS:
        raise missing_employment(employment_id)
    async with pool.acquire() as conn, conn.transaction():
        placed = await repo.employment(conn, employment_id)
        if placed is None or not may_reach_place(principal, placed.employment.organisation_id,
                                                 placed.municipality_oktmo):
            raise missing_employment(employment_id)
        await repo.lock_persons(conn, [placed.employment.person_id])
        placed = await repo.employment(conn, employment_id, lock=True)
        person = (await repo.persons(conn, [placed.employment.person_id]))[placed.employment.person_id]
        others = (await repo.employments_of(conn, [person["id"]])).get(person["id"], [])
        try:
            new, event = await change(conn, placed.employment, [p.employment for p in others])
        except StaffRuleError as exc:
            raise _rule_error(exc) from None
        await outbox.add(conn, [_event(event, new, placed.municipality_oktmo, person)])
    return Placed(new, placed.municipality_oktmo, placed.organisation_name)


def _event(event: tuple, e: Employment, oktmo: str, person: dict):
    kind, extra = event
    return employment_event(kind, e, oktmo, person["birth_date"].year, **extra)


async def transfer(pool: asyncpg.Pool, principal: Principal, employment_id: UUID, data: Transfer) -> Placed:
    async def change(conn, e: Employment, others):
        await check_codes(conn, data.position, data.subjects)
        moved, changed = domain.transfer(e, data.effective_date, position=data.position, subjects=data.subjects,
                                         rate=data.rate, main=data.main, others=others)
        await repo.save_transfers(conn, [moved], principal.subject)
        return moved, (EmploymentChanged, {"effective_date": data.effective_date, "changed": changed})

    return await _change_employment(pool, principal, employment_id, change)


async def dismiss(pool: asyncpg.Pool, principal: Principal, employment_id: UUID, end: date) -> Placed:
    async def change(conn, e: Employment, _others):
        ended = domain.dismiss(e, end, date.today())
        await repo.save_dismissal(conn, ended, principal.subject)
        return ended, (EmploymentEnded, {})

    return await _change_employment(pool, principal, employment_id, change)


# ---- lists and counts -------------------------------------------------------------------------------------

def scoped_filter(principal: Principal, f: StaffFilter) -> StaffFilter:
    """The list's filter narrowed to the caller's scope; Forbidden for a list outside it."""
    if principal.role is Role.REGIONAL_COORDINATOR:
        return f
    if principal.role is Role.MUNICIPAL_METHODIST:
        if f.municipality not in (None, principal.municipality):
            raise Forbidden("Методист видит работников только своего муниципалитета", field="municipality")
        return replace(f, municipality=principal.municipality)
    if principal.role is Role.ORGANISATION_ADMIN:
        own = _uuid(principal.organisation)
        if f.organisation not in (None, own):
            raise Forbidden("Администратор видит работников только своей организации", field="organisation")
        return replace(f, organisation=own)
    raise Forbidden(COUNTS_ONLY)


@dataclass(frozen=True)
class StaffPage:
    rows: list[asyncpg.Record]
    employments: dict[UUID, list[asyncpg.Record]]
    total: int


async def list_staff(pool: asyncpg.Pool, principal: Principal, f: StaffFilter, *, limit: int,
                     after: tuple | None, order, operation: str = "staff.list",
                     query=(repo.staff, repo.count_staff)) -> StaffPage:
    """A page of staff; `query` (rows, count) narrows the list further (e.g. young without a mentor)."""
    f = scoped_filter(principal, f)
    rows_of, count_of = query
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        rows = await rows_of(conn, f, limit + 1, after, order)
        total = await count_of(conn, f)
        ids = [r["id"] for r in rows[:limit]]
        shown: dict[UUID, list] = {}
        for e in await repo.page_employments(conn, ids, f.day):
            if (f.municipality in (None, e["municipality_oktmo"])
                    and f.organisation in (None, e["organisation_id"])):
                shown.setdefault(e["person_id"], []).append(e)
        await audit.record_read(conn, principal, PERSON, [str(i) for i in ids], operation)
    return StaffPage(rows, shown, total)


async def export_staff(pool: asyncpg.Pool, principal: Principal, f: StaffFilter) -> list[dict]:
    """The staff in the caller's scope as rows of the import template (one per employment in effect on the
    day; codes, СНИЛС as 11 digits), for the xlsx export; the read is audited as `staff.export`."""
    f = scoped_filter(principal, f)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        rows = await repo.export_rows(conn, f)
        await audit.record_read(conn, principal, PERSON, sorted({str(r["person_id"]) for r in rows}), "staff.export")
    return [{"lastName": r["last_name"], "firstName": r["first_name"], "middleName": r["middle_name"],
             "birthDate": r["birth_date"], "snils": r["snils"], "organisationInn": r["organisation_inn"],
             "position": r["position"], "subjects": list(r["subjects"]), "rate": r["rate"],
             "startDate": r["start_date"], "main": r["main"]} for r in rows]


async def staff_counts(pool: asyncpg.Pool, principal: Principal, f: StaffFilter, group_by: str) -> tuple[int, list]:
    if principal.role in (Role.MUNICIPAL_METHODIST, Role.ORGANISATION_ADMIN):
        f = scoped_filter(principal, f)  # their own municipality or organisation, Forbidden beyond it
    elif not may_count(principal, f.municipality):
        raise Forbidden("Численность работников вам недоступна")
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        total = await repo.count_staff(conn, f)
        groups = await repo.staff_counts(conn, f, group_by)
        titles = await _titles(conn, group_by, [g["key"] for g in groups])
    return total, [(g["key"], titles.get(g["key"]), g["count"]) for g in groups]


async def _titles(conn: asyncpg.Connection, group_by: str, keys: list) -> dict:
    if group_by in ("position", "subject"):
        return {c: r["title"] for c, r in (await repo.catalogue_codes(conn, f"{group_by}s")).items()}
    if group_by == "organisation":
        orgs = await repo.organisation_places(conn, [UUID(k) for k in keys if k])
        return {str(k): v["name"] for k, v in orgs.items()}
    return {"true": "Молодые специалисты", "false": "Остальные"}


async def audit_trail(pool: asyncpg.Pool, principal: Principal, person_id: UUID | None, after: int | None,
                      limit: int) -> tuple[list[asyncpg.Record], int]:
    """A page of the trail (newest first) and how many entries it has in all."""
    if principal.role is not Role.REGIONAL_COORDINATOR:
        raise Forbidden("Журнал доступа к персональным данным читает только региональный координатор")
    which = {"resource": PERSON if person_id else None, "resource_id": str(person_id) if person_id else None}
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        return await audit.entries(conn, **which, after=after, limit=limit), await audit.count(conn, **which)


async def titles(pool: asyncpg.Pool) -> dict[str, dict[str, str]]:
    """Titles of positions and subjects as the region has them (the reference items and its own)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch("select catalogue, code, title from catalogue_items "
                                "where catalogue in ('positions', 'subjects')")
    out: dict[str, dict[str, str]] = {"positions": {}, "subjects": {}}
    for r in rows:
        out[r["catalogue"]][r["code"]] = r["title"]
    return out


# ---- catalogues -------------------------------------------------------------------------------------------

CATALOGUES = ("positions", "subjects", "body_kinds", "mentoring_forms", "categories")


def check_catalogue(name: str) -> None:
    if name not in CATALOGUES:
        raise NotFound("name", f"Справочника «{name}» нет; есть: {', '.join(CATALOGUES)}", "not_found", where="path")


async def catalogue(pool: asyncpg.Pool, name: str) -> list[asyncpg.Record]:
    check_catalogue(name)
    async with pool.acquire() as conn:
        return await repo.catalogue(conn, name)


async def add_catalogue_item(pool: asyncpg.Pool, principal: Principal, name: str, code: str, title: str,
                             extra: dict) -> None:
    check_catalogue(name)
    if not principal.may_manage_region():
        raise Forbidden("Дополнять справочники может только региональный координатор")
    async with pool.acquire() as conn:
        try:
            added = await repo.add_catalogue_item(conn, name, code, title, extra, principal.subject)
        except asyncpg.UniqueViolationError:
            added = False
    if not added:
        raise Conflict("code", f"В справочнике «{name}» уже есть элемент с кодом {code} или названием «{title}»",
                       "duplicate")
