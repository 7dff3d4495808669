"""The bodies kind of import: «Методические объединения и советы с участниками», one row per member (the body's
columns repeated), handed to the bodies import use case (bodies/import_.py) and its report mapped to the kit's.

«Начало работы» is the body's first working day (for a temporary group also the start of its term),
«Окончание работы» the last day of a temporary group's term. A body the file creates without «Начало работы»
starts on the earliest «Дата включения» of its rows in the file (else today), so its members fit in."""
from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from metodset_contracts.bodies import LEVEL_TITLES, ROLE_TITLES
from metodset_kit.scope import Principal
from metodset_kit.tabular import Catalogue, Column, ColumnType, Kind, Outcome, Row, RowError

from ..bodies import import_ as bodies_import
from ..bodies.import_ import CREATED, ERROR, UNCHANGED, UPDATED
from ..bodies.schemas import ImportMode
from ..domain.identifiers import is_valid_oktmo, legal_inn_problem, normalise_snils, snils_problem
from ..domain.staff_access import PERSON_READERS
from .staff import _reference

BODY_COLUMNS = (
    Column("name", "Наименование", required=True, width=45, example="РМО учителей математики"),
    Column("kind", "Вид", ColumnType.CHOICE, required=True, catalogue=_reference("body_kinds"), validated=False,
           width=40, help="Из справочника видов методических объединений и советов",
           example="районное (городское) методическое объединение (РМО/ГМО)"),
    Column("level", "Уровень", ColumnType.CHOICE, catalogue=Catalogue.of({k.value: t for k, t in LEVEL_TITLES.items()}),
           unknown="Нет такого уровня", width=20, help="Нужен для видов любого уровня (сообщество, временная группа)",
           example=LEVEL_TITLES[next(iter(LEVEL_TITLES))]),
    Column("municipality_oktmo", "ОКТМО муниципалитета", width=16, example="29701000",
           check=lambda v: None if is_valid_oktmo(v) else "ОКТМО — 8 или 11 цифр",
           help="Для муниципального объединения"),
    Column("organisation_inn", "ИНН организации", check=legal_inn_problem, width=14, example="4027012345",
           help="Для объединения организации (ШМО, кафедра, совет ОО)"),
    Column("subject", "Предмет", ColumnType.CHOICE, catalogue=_reference("subjects"), validated=False, width=24,
           help="Обязателен для РМО/ГМО, ШМО и кафедры", example="математика"),
    Column("goal", "Цель", width=40, help="Обязательна для временной группы"),
    Column("created_on", "Начало работы", ColumnType.DATE, width=14, example="01.09.2025",
           help="Первый день работы; для временной группы — начало срока. Пусто — самая ранняя дата включения "
                "участника в файле или сегодня"),
    Column("term_end", "Окончание работы", ColumnType.DATE, width=14,
           help="Последний день срока временной группы"),
    Column("snils", "СНИЛС участника", check=snils_problem, width=16, example="112-233-445 95",
           help="По нему участник находится в реестре; без него — по ФИО и дате рождения"),
    Column("last_name", "Фамилия", width=18, example="Ёлкина"),
    Column("first_name", "Имя", width=14, example="Анна"),
    Column("middle_name", "Отчество", width=18, example="Петровна"),
    Column("birth_date", "Дата рождения", ColumnType.DATE, width=14, example="01.02.1985"),
    Column("role", "Роль", ColumnType.CHOICE, catalogue=Catalogue.of({r.value: t for r, t in ROLE_TITLES.items()}),
           unknown="Нет такой роли", width=24, example="член", help="Обязательна, если указан участник"),
    Column("from", "Дата включения", ColumnType.DATE, width=14, example="01.09.2025",
           help="Пусто — с начала работы объединения"),
    Column("to", "Дата выхода", ColumnType.DATE, width=14, help="Последний день участия; пусто — участвует"),
)
_CAPTIONS = {c.key: c.caption for c in BODY_COLUMNS} | {
    "organisation_id": "ИНН организации", "person_id": "СНИЛС участника", "term_start": "Начало работы"}


def _refusal(principal: Principal) -> str | None:
    if principal.role not in PERSON_READERS:
        return "Загружать объединения с участниками могут региональный координатор, методист муниципалитета и " \
               "администратор организации"
    return None


def _body_key(values: dict) -> tuple:
    return (" ".join(str(values.get("name") or "").split()).casefold(), values.get("kind"),
            values.get("municipality_oktmo"), values.get("organisation_inn"), values.get("subject"))


def prepared(rows: Sequence[Row]) -> list[dict]:
    """The sheet's rows as the use case takes them: СНИЛС as 11 digits, the start of a new body's work."""
    first_joined: dict[tuple, object] = {}
    for row in rows:
        joined = row.values.get("from")
        key = _body_key(row.values)
        if joined is not None and (key not in first_joined or joined < first_joined[key]):
            first_joined[key] = joined
    out = []
    for row in rows:
        values = {**row.values, "row": row.number}
        if values.get("snils"):
            values["snils"] = normalise_snils(str(values["snils"])) or values["snils"]
        if values.get("created_on") is None:
            values["created_on"] = first_joined.get(_body_key(values))
        if values.get("term_end") is not None:
            values["term_start"] = values["created_on"]
        out.append(values)
    return out


async def import_bodies(conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    """The good rows are written, the bad reported (the runner rolls the whole file back in ALL_OR_NOTHING)."""
    result = await bodies_import.import_bodies(conn, principal, prepared(rows), ImportMode.VALID_ROWS)
    counts = result.counts()
    outcome = Outcome(created=counts[CREATED], updated=counts[UPDATED], unchanged=counts[UNCHANGED])
    for r in result.rows:
        if r.status == ERROR:
            outcome.errors += [RowError(r.row, _CAPTIONS.get(e.get("key") or ""), e["message"]) for e in r.errors]
    return outcome


BODIES = Kind("bodies", "Методические объединения и советы с участниками", BODY_COLUMNS, import_bodies,
              chunk=50_000, refusal=_refusal)
