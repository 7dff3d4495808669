"""Batch use case of bodies with members (a sheet's rows, wired to xlsx/csv files by the import jobs).

A row is a body (found by owner, kind, name in any case and subject among working bodies — or a closed one
that started on the row's `createdOn`, as an export writes it —, else created)
and at most one member (a person found by id, by СНИЛС, else by full name and birth date — compared as the staff
import compares them: case, ё/е and spaces do not count). Idempotent: a row already in the register changes
nothing and emits nothing. Modes: ALL_OR_NOTHING writes nothing when any row is bad; VALID_ROWS writes the
good rows and reports the bad ones. Each row runs in a savepoint, so a bad row leaves no trace."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

import asyncpg
from pydantic import ValidationError
from pydantic.alias_generators import to_camel, to_snake

from metodset_kit import outbox
from metodset_kit.errors import DomainError, Forbidden
from metodset_kit.messages import russian
from metodset_kit.scope import Principal
from metodset_kit.tabular import Catalogue
from metodset_kit.tabular.cells import suggestion

from ..domain import bodies as rules
from ..domain.bodies import Body, Membership
from ..domain.periods import Period, PeriodError
from ..domain.staff import full_name, name_key
from ..staff import repository as staff_repository
from . import handlers
from . import repository as repo
from .schemas import BodyCreate, BodyImportRow, ImportMode

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"


@dataclass
class RowResult:
    row: int  # the row's index in the batch
    status: str = UNCHANGED
    body_id: UUID | None = None
    member_id: UUID | None = None
    errors: list[dict] = field(default_factory=list)  # {"field": camelCase name, "message": Russian text}


@dataclass
class ImportResult:
    applied: bool  # False: ALL_OR_NOTHING met a bad row and wrote nothing
    rows: list[RowResult]

    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.rows)
        return {s: found.get(s, 0) for s in (CREATED, UPDATED, UNCHANGED, ERROR)}


class _Rollback(Exception):
    """ALL_OR_NOTHING with a bad row: undo every row of the batch."""


async def import_bodies(db: asyncpg.Pool | asyncpg.Connection, principal: Principal,
                        rows: Sequence, mode: ImportMode | str = ImportMode.ALL_OR_NOTHING) -> ImportResult:
    """Rows: BodyImportRow, mappings of its fields, or sheet rows (`number`, `values`)."""
    mode = ImportMode(mode)
    results: list[RowResult] = []
    try:
        if isinstance(db, asyncpg.Pool):
            async with db.acquire() as conn:
                await _run(conn, principal, rows, mode, results)
        else:
            await _run(db, principal, rows, mode, results)
    except _Rollback:
        return ImportResult(applied=False, rows=results)
    return ImportResult(applied=True, rows=results)


async def _run(conn: asyncpg.Connection, principal: Principal, rows, mode: ImportMode, results: list) -> None:
    async with conn.transaction():
        found = await handlers.catalogues(conn)
        for i, raw in enumerate(rows):
            result = RowResult(_number(raw, i))
            try:
                async with conn.transaction():  # a savepoint: a bad row leaves nothing behind
                    await _row(conn, principal, _parsed(raw), result, found)
            except DomainError as exc:
                result.status, result.errors = ERROR, [_error(exc.field, exc.message)]
            except _Invalid as exc:
                result.status, result.errors = ERROR, exc.errors
            results.append(result)
        if mode is ImportMode.ALL_OR_NOTHING and any(r.status == ERROR for r in results):
            raise _Rollback


def _error(field: str | None, message: str) -> dict:
    """`field` as the REST API names it (camelCase), `key` as the row does (snake_case, a sheet column's key)."""
    return {"field": field, "key": field and to_snake(field), "message": message}


class _Invalid(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _values(raw) -> Mapping:
    """A row's values: a mapping, or a sheet row (the kit's tabular Row: `number` and `values`)."""
    return raw.values if hasattr(raw, "number") else raw


def _number(raw, index: int) -> int:
    if isinstance(raw, BodyImportRow):
        return raw.row if raw.row is not None else index
    if hasattr(raw, "number"):
        return raw.number
    number = raw.get("row")
    return number if isinstance(number, int) else index


def _parsed(raw) -> BodyImportRow:
    if isinstance(raw, BodyImportRow):
        return raw
    try:
        return BodyImportRow.model_validate(dict(_values(raw)))
    except ValidationError as exc:
        raise _Invalid([_error(".".join(to_camel(str(p)) for p in e["loc"]) or None, russian(e))
                        for e in exc.errors()]) from None


def _code(value: str | None, titles: Mapping[str, str], field: str, what: str) -> str | None:
    """A catalogue code given as the code or as its Russian title (any case, spaces folded)."""
    if value is None or value in titles:
        return value
    wanted = " ".join(value.split()).lower()
    found = next((code for code, title in titles.items() if title.lower() == wanted), None)
    if found is None:
        near = suggestion(Catalogue.of(titles), value)
        hint = f"; возможно, «{near}»" if near else ""
        raise DomainError(field, f"{what} «{value}» не найден в справочнике{hint}", "unknown")
    return found


async def _row(conn: asyncpg.Connection, principal: Principal, row: BodyImportRow, result: RowResult,
               catalogues: rules.Catalogues) -> None:
    fields = row.model_dump(include=set(BodyCreate.model_fields))
    fields["kind"] = _code(row.kind, {c: k.title for c, k in catalogues.kinds.items()}, "kind", "Вид объединения")
    fields["subject"] = _code(row.subject, catalogues.subjects, "subject", "Предмет")
    if row.organisation_inn is not None and row.organisation_id is None:
        fields["organisation_id"] = await repo.organisation_by_inn(conn, row.organisation_inn)
        if fields["organisation_id"] is None:
            raise DomainError("organisationInn", f"Действующая организация с ИНН {row.organisation_inn} не найдена",
                              "unknown")
    try:
        data = BodyCreate.model_validate(fields)
    except ValidationError as exc:
        raise _Invalid([_error(to_camel(str(e["loc"][0])) if e["loc"] else None, russian(e))
                        for e in exc.errors()]) from None
    wanted = handlers.body_from(data, date.today(), catalogues)
    body = await repo.find_body(conn, wanted, row.created_on)
    if body is not None:  # locked, as every change of a body's members is: one chair, one person at a time
        body = await repo.body(conn, body.id, lock=True)
    if body is None:
        await handlers.insert_body(conn, principal, wanted, catalogues)
        body, result.status = wanted, CREATED
    elif not await handlers.manages(conn, principal, body):
        raise Forbidden(handlers.REFUSED)
    result.body_id = body.id
    if not row.has_member:
        return
    person = await _person(conn, principal, row, body)
    member, changed = await _member(conn, principal, body, person, row)
    result.member_id = member.id
    if changed and result.status == UNCHANGED:
        result.status = UPDATED


async def _person(conn: asyncpg.Connection, principal: Principal, row: BodyImportRow, body: Body) -> UUID:
    """The member's person, by id or СНИЛС, among the persons the caller may reach (else: not found)."""
    days = [row.from_ or body.created_on, date.today()]
    if row.person_id is not None:
        if not await handlers.reachable(conn, principal, {row.person_id}, days):
            raise handlers.missing_person(row.person_id)
        return row.person_id
    if row.snils is None:
        return await _person_by_name(conn, principal, row, days)
    found = await repo.persons_by_snils(conn, {row.snils})
    if row.snils not in found or not await handlers.reachable(conn, principal, {found[row.snils]}, days):
        raise DomainError("snils", f"Педагог со СНИЛС {row.snils} не найден в реестре", "unknown")
    return found[row.snils]


async def _person_by_name(conn: asyncpg.Connection, principal: Principal, row: BodyImportRow,
                          days: list[date]) -> UUID:
    """Without a СНИЛС: the one reachable person with this full name and birth date."""
    if not row.first_name:
        raise DomainError("firstName", "Укажите имя участника (или его СНИЛС)", "missing")
    if row.birth_date is None:
        raise DomainError("birthDate", "Укажите дату рождения участника (или его СНИЛС)", "missing")
    key = name_key(row.last_name or "", row.first_name, row.middle_name)
    candidates = {p["id"] for p in await staff_repository.persons_by_name(conn, [key], [row.birth_date])}
    found = await handlers.reachable(conn, principal, candidates, days) if candidates else set()
    who = f"{full_name(row.last_name or '', row.first_name, row.middle_name)}, {row.birth_date:%d.%m.%Y}"
    if not found:
        raise DomainError("lastName", f"Педагог {who} не найден в реестре", "unknown")
    if len(found) > 1:
        raise DomainError("snils", f"В реестре несколько педагогов {who}: укажите СНИЛС", "ambiguous")
    return found.pop()


async def _member(conn: asyncpg.Connection, principal: Principal, body: Body, person: UUID,
                  row: BodyImportRow) -> tuple[Membership, bool]:
    """The membership the row means: already recorded (unchanged, or ended by the row's `to`) or new."""
    start = row.from_ or body.created_on
    same = next((m for m in await repo.members(conn, body.id)
                 if m.person_id == person and m.role is row.role and m.period.start == start), None)
    if same is None:
        member = Membership(id=uuid4(), body_id=body.id, person_id=person, role=row.role, period=Period(start, row.to))
        await handlers.join(conn, principal, body, member)
        return member, True
    if same.period.end == row.to:
        return same, False
    if same.period.end is not None:
        raise DomainError("to", f"Участие уже закончено {same.period.end.isoformat()}; изменить дату выхода нельзя",
                          "conflict")
    try:
        new, fact = rules.leave(same, row.to)
    except PeriodError as exc:
        raise handlers.refusal(exc) from None
    await repo.end_members(conn, [new])
    await outbox.add(conn, handlers.events(body.id, [fact]))
    return new, True
