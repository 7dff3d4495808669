"""The courses kind of import: the template's columns (the issue's captions, in its order) and a batch handler.

A row is one completed course of a registered person, found the way the staff import finds persons (СНИЛС,
else full name and birth date: staff.import_.find_persons and domain.person_match) and only within the
caller's scope; a person the file names but the registry does not know is a bad row (courses never register
persons). The same course (person, programme, end date, certificate number) again is unchanged
(courses.record_courses), so the same file twice changes nothing and publishes nothing the second time."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import asyncpg

from metodset_contracts.courses import CourseKind
from metodset_kit.scope import Principal, Role
from metodset_kit.tabular import Catalogue, Column, ColumnType, Kind, Outcome, Row, RowError

from ..domain.courses import KIND_TITLES
from ..domain.identifiers import is_valid_legal_inn, normalise_snils, snils_problem
from ..domain.person_match import match_person
from ..domain.staff import name_key
from ..domain.staff_access import PERSON_READERS, may_reach_person
from ..growth.courses import handlers as courses
from ..staff import repository as staff_repository
from ..staff.handlers import places
from ..staff.import_ import find_persons

IMPORT_LOCK = 7_311_000_112  # one courses chunk at a time: idempotency reads what the previous one wrote

COURSE_COLUMNS = (
    Column("snils", "СНИЛС", check=snils_problem, width=16, example="112-233-445 95",
           help="11 цифр или ХХХ-ХХХ-ХХХ YY; без него работник ищется по ФИО и дате рождения"),
    Column("lastName", "Фамилия", required=True, example="Ёлкина"),
    Column("firstName", "Имя", required=True, example="Анна"),
    Column("middleName", "Отчество", example="Петровна"),
    Column("birthDate", "Дата рождения", ColumnType.DATE, required=True, example="01.02.1985", width=14),
    Column("programme", "Программа", required=True, width=50,
           example="Реализация требований обновлённых ФГОС ООО в работе учителя"),
    Column("provider", "Организация, проводившая обучение", width=40, example="КГАОУ ДПО «КИРО»",
           help="Название или ИНН (10 цифр) организации; по ИНН она находится в реестре"),
    Column("hours", "Часы", ColumnType.INTEGER, required=True, example="36", width=8,
           help="Повышение квалификации — не менее 16, переподготовка — не менее 250"),
    Column("startDate", "Дата начала", ColumnType.DATE, required=True, example="10.02.2025", width=14),
    Column("endDate", "Дата окончания", ColumnType.DATE, required=True, example="21.02.2025", width=14),
    Column("certificateNumber", "Номер удостоверения", example="402412345678", width=20),
    Column("kind", "Вид", ColumnType.CHOICE, required=True, catalogue=Catalogue.of(
        [(k.value, t) for k, t in KIND_TITLES.items()]), unknown="Нет такого вида обучения",
        example=KIND_TITLES[CourseKind.UPGRADE], width=30),
)
_CAPTIONS = {c.key: c.caption for c in COURSE_COLUMNS}
_FIELDS = {"programme": "programme", "hours": "hours", "endDate": "endDate", "startDate": "startDate"}


@dataclass
class CourseLine:
    """A row: whom it names (the matching reads key, birth_date, snils) and the course; errors stop it."""

    row: Row
    snils: str | None
    errors: list[str] = field(default_factory=list)

    @cached_property
    def key(self) -> str:
        v = self.row.values
        return name_key(v["lastName"], v["firstName"], v.get("middleName"))

    @property
    def birth_date(self) -> date:
        return self.row.values["birthDate"]


def _refusal(principal: Principal) -> str | None:
    if principal.role not in PERSON_READERS:
        return courses.WRITERS
    return None


async def import_courses(conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
    lines = [CourseLine(r, normalise_snils(r.values["snils"]) if r.values.get("snils") else None) for r in rows]
    _, by_snils, by_name = await find_persons(conn, lines)
    outcome, facts, used = Outcome(), [], []
    persons = {}
    for line in lines:
        found = match_person(line.snils, line.key, line.birth_date, by_snils, by_name)
        if found.problem or found.person is None:
            outcome.errors.append(RowError(line.row.number, _CAPTIONS["snils"], found.problem or
                                           "Работник не найден в реестре (ни по СНИЛС, ни по ФИО и дате рождения): "
                                           "сначала загрузите работников"))
            continue
        persons[line.row.number] = found.person
    everyone = principal.role is Role.REGIONAL_COORDINATOR  # reaches every person: no employments to read
    employments = {} if everyone else await staff_repository.employments_of(
        conn, list({p["id"] for p in persons.values()}))
    providers = await staff_repository.organisations_by_inn(conn, [
        v for v in (str(r.values.get("provider") or "").strip() for r in rows) if is_valid_legal_inn(v)])
    today = date.today()
    for line in lines:
        person = persons.get(line.row.number)
        if person is None:
            continue
        if not everyone and not may_reach_person(principal, places(employments.get(person["id"], [])),
                                person["registered_municipality"], person["registered_by"], today):
            outcome.errors.append(RowError(line.row.number, _CAPTIONS["snils"], "Работник вне вашей области доступа"))
            continue
        facts.append(_fact(line.row, person["id"], providers))
        used.append(line.row.number)
    for number, done in zip(used, await courses.record_courses(conn, facts, principal.subject, today), strict=True):
        if done.outcome == "error":
            outcome.errors.append(RowError(number, _CAPTIONS.get(done.field), done.message))
        elif done.outcome == "created":
            outcome.created += 1
        else:
            outcome.unchanged += 1
    return outcome


def _fact(row: Row, person_id, providers: dict) -> dict:
    v = row.values
    provider = str(v.get("provider") or "").strip() or None
    org = providers.get(provider) if provider else None
    return {"person_id": person_id, "kind": v["kind"], "programme": v["programme"], "hours": v["hours"],
            "start_date": v["startDate"], "end_date": v["endDate"],
            "provider_organisation_id": org["id"] if org else None, "provider": None if org else provider,
            "certificate_number": (str(v.get("certificateNumber") or "").strip() or None)}


COURSES = Kind("courses", "Курсы повышения квалификации", COURSE_COLUMNS, import_courses, refusal=_refusal)
