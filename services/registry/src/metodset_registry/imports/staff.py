"""The staff kind of import: the template's columns (the issue's captions, in its order) and a batch handler
that hands the typed rows to the staff import use case (staff/import_.py: matching persons by СНИЛС or by name
and birth date, employments, events) and maps its per-row report to the kit's."""
from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from metodset_contracts.reference import catalogue
from metodset_kit.scope import Principal
from metodset_kit.tabular import Catalogue, Column, ColumnType, Kind, Outcome, Row, RowError

from ..domain.staff_access import PERSON_READERS
from ..staff import import_ as staff_import
from ..staff.schemas import ImportMode


def _reference(name: str) -> Catalogue:
    return Catalogue.of([(i.code, i.title) for i in catalogue(name).items])


STAFF_COLUMNS = (
    Column("lastName", "Фамилия", required=True, example="Ёлкина"),
    Column("firstName", "Имя", required=True, example="Анна"),
    Column("middleName", "Отчество", example="Петровна"),
    Column("birthDate", "Дата рождения", ColumnType.DATE, required=True, example="01.02.1985", width=14),
    Column("snils", "СНИЛС", help="11 цифр или ХХХ-ХХХ-ХХХ YY; по нему работник находится при повторной загрузке "
                                  "(без него — по ФИО и дате рождения)", example="112-233-445 95", width=16),
    Column("organisationInn", "ИНН организации", required=True, help="ИНН места работы (10 цифр)",
           example="4027012345", width=14),
    Column("position", "Должность", ColumnType.CHOICE, required=True, catalogue=_reference("positions"),
           validated=False, example="учитель", width=30),
    Column("subjects", "Предметы", ColumnType.CHOICES, catalogue=_reference("subjects"), validated=False,
           help="Через «;»", example="математика; физика", width=30),
    Column("rate", "Ставка", ColumnType.DECIMAL, help="От 0,05 до 2, по умолчанию 1", example="1", width=10),
    Column("startDate", "Дата приёма", ColumnType.DATE, required=True, example="01.09.2020", width=14),
    Column("main", "Основное место работы", ColumnType.BOOL, help="По умолчанию «да»", example="да", width=14),
)
_CAPTIONS = {c.key: c.caption for c in STAFF_COLUMNS}


def _refusal(principal: Principal) -> str | None:
    if principal.role not in PERSON_READERS:
        return "Загружать работников могут региональный координатор, методист муниципалитета и администратор " \
               "организации"
    return None


async def import_staff(conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    """The good rows are written, the bad reported (the runner rolls the whole file back in ALL_OR_NOTHING)."""
    raws = [{**r.values, "row": r.number} for r in rows]
    report = await staff_import.import_staff(conn, principal, raws, ImportMode.VALID_ROWS)
    outcome = Outcome(created=report.created, updated=report.updated, unchanged=report.unchanged)
    for row in report.rows:
        for error in row.errors:
            outcome.errors.append(RowError(row.row, _CAPTIONS.get(error.get("field")), error["message"]))
    return outcome


STAFF = Kind("staff", "Работники", STAFF_COLUMNS, import_staff, refusal=_refusal)
