"""Use cases of deficit diagnostics: instruments (the regional coordinator manages them), a person's results
and the deficits they show. A person's results are personal data: the same scope as the person's record
(staff.handlers._reachable: a refused person answers exactly like a missing one) and every read audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.growth import DeficitFact, DeficitsDiagnosed
from metodset_kit import audit, ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden
from metodset_kit.events import outgoing
from metodset_kit.scope import Principal

from ...domain import diagnostics as domain
from ...domain.diagnostics import DiagnosticsError, Instrument, Result
from ...staff.handlers import PERSON, SOURCE, _reachable
from . import repository as repo


def diagnosed_event(r: Result, at: str | None = None):
    data = DeficitsDiagnosed(result_id=r.id, person_id=r.person_id, instrument=r.instrument,
                             diagnosed_on=r.taken_on,
                             deficits=[DeficitFact(area=d.area, level=d.level) for d in r.deficits])
    return outgoing(data, source=SOURCE, subject=f"person/{r.person_id}", key=str(r.person_id), time=at)


def _error(exc: DiagnosticsError) -> DomainError:
    return DomainError(exc.field, str(exc), "invalid")


async def instruments(pool: asyncpg.Pool) -> list[Instrument]:
    async with pool.acquire() as conn:
        return await repo.instruments(conn)


async def add_instrument(pool: asyncpg.Pool, principal: Principal, raw: dict) -> Instrument:
    if not principal.may_manage_region():
        raise Forbidden("Инструменты диагностики ведёт региональный координатор")
    try:
        instrument = domain.instrument_from(raw)
    except DiagnosticsError as exc:
        raise _error(exc) from None
    async with pool.acquire() as conn:
        if not await repo.add_instrument(conn, instrument, principal.subject):
            raise Conflict("code", f"Инструмент с кодом {instrument.code} или названием «{instrument.name}» уже есть",
                           "duplicate")
    return instrument


async def instrument_or_error(conn: asyncpg.Connection, code: str) -> Instrument:
    found = await repo.instrument(conn, code)
    if found is None:
        raise DomainError("instrument", f"Инструмента диагностики «{code}» нет", "unknown")
    return found


async def record(pool: asyncpg.Pool, principal: Principal, person_id: UUID, instrument_code: str, taken_on: date,
                 scores: dict) -> tuple[Result, Instrument]:
    async with pool.acquire() as conn, conn.transaction():
        await _reachable(conn, principal, person_id, date.today(), lock=True)
        instrument = await instrument_or_error(conn, instrument_code)
        try:
            result = domain.diagnose(ids.uuid4(), person_id, instrument, taken_on, scores, date.today())
        except DiagnosticsError as exc:
            raise _error(exc) from None
        if await repo.results_by_key(conn, [(person_id, instrument.code, taken_on)]):
            raise Conflict("date", f"Результат этого инструмента на {taken_on:%d.%m.%Y} уже записан", "duplicate")
        await repo.insert_results(conn, [result], "manual", principal.subject)
        await outbox.add(conn, [diagnosed_event(result)])
    return result, instrument


@dataclass(frozen=True)
class Diagnostics:
    results: list[Result]  # in the order taken
    instruments: dict[str, Instrument]


async def read(pool: asyncpg.Pool, principal: Principal, person_id: UUID, operation: str) -> Diagnostics:
    """A person's results with their instruments, audited as `operation`."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        await _reachable(conn, principal, person_id, date.today())
        results = (await repo.results_of(conn, [person_id])).get(person_id, [])
        known = {i.code: i for i in await repo.instruments(conn)}
        await audit.record_read(conn, principal, PERSON, [str(person_id)], operation)
    return Diagnostics(results, known)


async def deficits(pool: asyncpg.Pool, principal: Principal, person_id: UUID,
                   as_of: date | None) -> tuple[Result | None, Instrument | None]:
    """The latest result on or before the day (today by default) and its instrument: its deficits are the
    person's deficits on that day."""
    found = await read(pool, principal, person_id, "deficits.get")
    last = domain.latest(found.results, as_of or date.today())
    return last, found.instruments.get(last.instrument) if last else None
