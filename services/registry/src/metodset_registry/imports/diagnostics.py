"""The diagnostics kind of import: results as regional diagnostic centres deliver them, one row per person and
diagnostic — the person (matched as the staff import matches: by СНИЛС, else by name and birth date; never
created here), the instrument by name (empty: the reference instrument), the date and one column per area of
the reference instrument («Диагностика профессиональных дефицитов педагогов»).

Idempotent: a result is found by person, instrument and date; the same scores are unchanged, other scores
update it (its deficits derived again, the event published again). A person the caller may not reach is
reported exactly like one that is not in the registry."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import asyncpg

from metodset_contracts.reference import diagnostic_instruments
from metodset_kit import ids, outbox
from metodset_kit.events import now
from metodset_kit.scope import Principal
from metodset_kit.tabular import Column, ColumnType, Kind, Outcome, Row, RowError

from ..domain.diagnostics import DiagnosticsError, Instrument, Result, diagnose, instrument_from
from ..domain.person_match import match_person
from ..domain.staff_access import PERSON_READERS, may_reach_person
from ..domain.staff_rows import PersonLine, check_person, parse_date
from ..growth.diagnostics import repository as repo
from ..growth.diagnostics.handlers import diagnosed_event
from ..staff import repository as staff_repo
from ..staff.handlers import places
from ..staff.import_ import find_persons
from .staff import STAFF_COLUMNS

REFERENCE = instrument_from(diagnostic_instruments()[0])
_PERSON = {c.key: c for c in STAFF_COLUMNS}
COLUMNS = (
    _PERSON["snils"], _PERSON["lastName"], _PERSON["firstName"], _PERSON["middleName"], _PERSON["birthDate"],
    Column("instrument", "Инструмент", help=f"Название инструмента диагностики; пусто — «{REFERENCE.name}»",
           example=REFERENCE.name, width=40),
    Column("date", "Дата диагностики", ColumnType.DATE, required=True, example="15.10.2025", width=14),
    *(Column(a.code, a.title, ColumnType.DECIMAL, help=f"Балл от 0 до {REFERENCE.max_score}", example="62",
             width=16) for a in REFERENCE.areas),
)
_CAPTIONS = {c.key: c.caption for c in COLUMNS}
IMPORT_LOCK = 7_311_000_113  # one diagnostics import at a time: matching reads what the previous one wrote


@dataclass
class DiagnosticLine(PersonLine):
    instrument: str = ""
    taken_on: date | None = None
    scores: dict[str, Decimal] = field(default_factory=dict)


def _refusal(principal: Principal) -> str | None:
    if principal.role not in PERSON_READERS:
        return "Загружать результаты диагностики могут региональный координатор, методист муниципалитета и " \
               "администратор организации"
    return None


def _line(index: int, row: Row, today: date) -> DiagnosticLine:
    line = DiagnosticLine(index=index, row=row.number)
    check_person(line, row.values, today)
    line.instrument = " ".join(str(row.values.get("instrument") or REFERENCE.name).split())
    try:
        line.taken_on = parse_date(row.values.get("date"))
    except ValueError as exc:
        line.fail("date", f"«Дата диагностики»: {exc}")
    line.scores = {a.code: Decimal(str(row.values[a.code])) for a in REFERENCE.areas
                   if row.values.get(a.code) not in (None, "")}
    return line


@dataclass
class Decided:
    outcome: Outcome = field(default_factory=Outcome)
    results: dict[tuple, Result] = field(default_factory=dict)  # (person, instrument, day) → the row's result
    rows: dict[tuple, int] = field(default_factory=dict)


async def import_diagnostics(conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
    today = date.today()
    lines = [_line(i, r, today) for i, r in enumerate(rows)]
    known, by_snils, by_name_and_birth = await find_persons(conn, lines)
    employments = await staff_repo.employments_of(conn, list(known))
    by_name = {i.name.casefold(): i for i in await repo.instruments(conn)}
    decided = Decided()
    for line in lines:
        if not line.errors:
            _decide(line, principal, (by_snils, by_name_and_birth), employments, by_name, decided, today)
        for error in line.errors:
            decided.outcome.errors.append(RowError(line.row, _CAPTIONS.get(error["field"]), error["message"]))
    await _write(conn, principal, decided)
    return decided.outcome


def _decide(line: DiagnosticLine, principal: Principal, known: tuple[dict, dict], employments: dict,
            by_name: dict[str, Instrument], decided: Decided, today: date) -> None:
    found = match_person(line.snils, line.key, line.birth_date, *known)
    if found.problem:
        line.fail("snils", found.problem)
        return
    person = found.person
    if person is None or not may_reach_person(principal, places(employments.get(person["id"], [])),
                                              person["registered_municipality"], person["registered_by"], today):
        line.fail("lastName", "Работник не найден в реестре (ни по СНИЛС, ни по ФИО и дате рождения)")
        return
    instrument = by_name.get(line.instrument.casefold())
    if instrument is None:
        line.fail("instrument", f"Инструмента «{line.instrument}» нет в реестре")
        return
    key = (person["id"], instrument.code, line.taken_on)
    if key in decided.rows:
        line.fail("date", f"Результат этого работника на эту дату уже есть в строке {decided.rows[key]}")
        return
    try:
        decided.results[key] = diagnose(ids.uuid4(), person["id"], instrument, line.taken_on, line.scores, today)
    except DiagnosticsError as exc:
        line.fail("date" if exc.field == "date" else None, str(exc))
        return
    decided.rows[key] = line.row


async def _write(conn: asyncpg.Connection, principal: Principal, decided: Decided) -> None:
    existing = await repo.results_by_key(conn, list(decided.results))
    created, updated = [], []
    for key, result in decided.results.items():
        old = existing.get(key)
        if old is None:
            created.append(result)
        elif old.scores == result.scores:
            decided.outcome.unchanged += 1
        else:
            updated.append(Result(old.id, old.person_id, old.instrument, old.taken_on, result.scores,
                                  result.deficits))
    if created:
        await repo.insert_results(conn, created, "import", principal.subject)
    if updated:
        await repo.update_results(conn, updated, principal.subject)
    if created or updated:
        at = now()
        await outbox.add(conn, [diagnosed_event(r, at) for r in created + updated])
    decided.outcome.created, decided.outcome.updated = len(created), len(updated)


DIAGNOSTICS = Kind("diagnostics", "Результаты диагностики профессиональных дефицитов", COLUMNS, import_diagnostics,
                   refusal=_refusal)
