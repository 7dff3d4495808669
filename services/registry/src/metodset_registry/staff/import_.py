"""Batch import of staff rows (a person and one employment each), the use case the xlsx import calls.

Set-based: the rows are checked in memory, everything they refer to is read with one query per kind (the
catalogues, organisations by ИНН, persons by СНИЛС and by normalised name with birth date, their
employments), and the result is written with COPY. A person is matched by СНИЛС, else by normalised full name
plus birth date; the same name and birth date with another СНИЛС is reported as a likely duplicate, never
merged. An employment is matched by person, organisation, start date and position; the same data is
unchanged, so the same rows twice change nothing and publish nothing the second time."""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from metodset_contracts.staff import EmploymentChanged, EmploymentStarted
from metodset_kit import ids, outbox
from metodset_kit.errors import Forbidden
from metodset_kit.events import now
from metodset_kit.scope import Principal

from ..domain import staff as domain
from ..domain.person_match import match_person
from ..domain.staff import Employment, StaffRuleError
from ..domain.staff_access import PERSON_READERS, may_reach_place
from ..domain.staff_rows import Catalogue, StaffLine, check_row
from . import repository as repo
from .handlers import camel, employment_event, new_person, person_event, registering_municipality
from .schemas import ImportMode, ImportReport, RowOutcome

PROGRESS_STEP = 5000
Progress = Callable[[int, int], Awaitable[None]]
IMPORT_LOCK = 7_311_000_105  # one staff import at a time: matching reads what the previous one wrote
_NAMES = ("last_name", "first_name", "middle_name", "birth_date")


@dataclass
class Work:
    """What the import has decided so far: persons (found and new), employments, the changes of each row."""

    by_snils: dict[str, dict]
    by_name: dict[tuple, list[dict]]
    employments: dict[uuid.UUID, list[Employment]]
    municipality: str | None
    principal: Principal
    new_ids: set = field(default_factory=set)
    created_by_row: dict[uuid.UUID, int] = field(default_factory=dict)  # new person → the row that introduced it
    person_changes: dict[int, tuple[dict, dict]] = field(default_factory=dict)  # row index → (person, changes)
    hired: dict[int, Employment] = field(default_factory=dict)
    moved: dict[int, tuple[Employment, list[str]]] = field(default_factory=dict)
    person_of: dict[int, dict] = field(default_factory=dict)
    matched: dict[int, Employment] = field(default_factory=dict)  # row index → its employment


def _raw(row) -> dict:
    return row.model_dump(by_alias=True, exclude_unset=True) if hasattr(row, "model_dump") else dict(row)


async def import_staff(target: asyncpg.Pool | asyncpg.Connection, principal: Principal, rows: Sequence,
                       mode: ImportMode | str = ImportMode.ALL_OR_NOTHING,
                       progress: Progress | None = None) -> ImportReport:
    """Check every row, then write (ALL_OR_NOTHING: only if none is bad; VALID_ROWS: the good ones) with one
    event per created or changed record. A connection given runs inside the caller's transaction.

    Rows are mappings (or models) with the camelCase keys of StaffRow: lastName, firstName, middleName,
    birthDate, snils, organisationInn, position, subjects, rate, main, startDate and optionally `row` (the
    number the user sees; errors name it and the field). `progress(done, total)`, when given, is awaited as
    rows are decided (every PROGRESS_STEP) and once more when everything is written."""
    if principal.role not in PERSON_READERS:
        raise Forbidden("Загружать работников могут региональный координатор, методист муниципалитета и "
                        "администратор организации")
    mode = ImportMode(mode)
    raws = [_raw(r) for r in rows]
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as conn, conn.transaction():
            return await _run(conn, principal, raws, mode, progress)
    async with target.transaction():
        return await _run(target, principal, raws, mode, progress)


async def _run(conn: asyncpg.Connection, principal: Principal, raws: list[dict], mode: ImportMode,
               progress: Progress | None) -> ImportReport:
    await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
    today = date.today()
    positions = Catalogue.of({c: r["title"] for c, r in (await repo.catalogue_codes(conn, "positions")).items()})
    subjects = Catalogue.of({c: r["title"] for c, r in (await repo.catalogue_codes(conn, "subjects")).items()})
    lines = [check_row(i, raw, positions, subjects, today) for i, raw in enumerate(raws)]
    orgs = await _organisations(conn, principal, lines)
    work = await _lookups(conn, principal, lines)
    for line in lines:
        if not line.errors:
            _person(line, work)
        if not line.errors:
            _employment(line, work, orgs[line.inn]["id"], today)
        if progress and (line.index + 1) % PROGRESS_STEP == 0:
            await progress(line.index + 1, len(lines))
    bad = any(line.errors for line in lines)
    applied = not bad or mode is ImportMode.VALID_ROWS
    good = [line for line in lines if not line.errors] if applied else []
    outcomes = {line.index: _outcome(line, work) for line in lines}
    if good:
        await _write(conn, principal, good, work, orgs)
    if not applied:  # nothing is written: the good rows would have been, say so without ids of phantoms
        outcomes = {i: o if o.outcome == "error" else RowOutcome(row=o.row, outcome="skipped")
                    for i, o in outcomes.items()}
    rows = [outcomes[line.index] for line in lines]
    if progress:
        await progress(len(lines), len(lines))
    count = {k: sum(1 for o in rows if o.outcome == k) for k in ("created", "updated", "unchanged", "error")}
    return ImportReport(mode=mode, applied=applied, created=count["created"], updated=count["updated"],
                        unchanged=count["unchanged"], errors=count["error"], rows=rows)


async def _organisations(conn: asyncpg.Connection, principal: Principal, lines: list[StaffLine]) -> dict:
    orgs = await repo.organisations_by_inn(conn, list({line.inn for line in lines if line.inn}))
    for line in lines:
        org = orgs.get(line.inn)
        if not line.inn or any(e["field"] == "organisationInn" for e in line.errors):
            continue
        if org is None:
            line.fail("organisationInn", f"Действующая организация с ИНН {line.inn} не найдена в реестре")
        elif not may_reach_place(principal, org["id"], org["municipality_oktmo"]):
            line.fail("organisationInn", f"Организация с ИНН {line.inn} вне вашей области доступа")
    return orgs


async def find_persons(conn: asyncpg.Connection, lines: Sequence) -> tuple[dict, dict[str, dict], dict]:
    """The persons the good lines may mean (each line has key, birth_date, snils), locked: by id, by СНИЛС and by
    (name key, birth date), one query each way — for domain.person_match.match_person."""
    ok = [line for line in lines if not line.errors]
    known = {p["id"]: p for p in await repo.persons_by_name(conn, [line.key for line in ok],
                                                               [line.birth_date for line in ok])}
    for p in (await repo.persons_by_snils(conn, list({line.snils for line in ok if line.snils}))).values():
        known.setdefault(p["id"], p)  # one dict per person, whichever way it was found
    by_name: dict[tuple, list[dict]] = {}
    for p in known.values():
        by_name.setdefault((p["name_key"], p["birth_date"]), []).append(p)
    await repo.lock_persons(conn, list(known))
    return known, {p["snils"]: p for p in known.values() if p["snils"]}, by_name


async def _lookups(conn: asyncpg.Connection, principal: Principal, lines: list[StaffLine]) -> Work:
    known, by_snils, by_name = await find_persons(conn, lines)
    found = await repo.employments_of(conn, list(known))
    return Work(by_snils, by_name,
                {k: [p.employment for p in v] for k, v in found.items()},
                await registering_municipality(conn, principal), principal)


def _person(line: StaffLine, work: Work) -> None:
    """Find the row's person (or plan a new one); report a likely duplicate instead of merging."""
    ident = (line.key, line.birth_date)
    found = match_person(line.snils, line.key, line.birth_date, work.by_snils, work.by_name)
    if found.problem:
        line.fail("snils", found.problem)
        return
    if found.how == "snils":
        _rename(line, found.person, work)
        return
    if found.person is not None:
        person = found.person
        if line.snils:  # found by name and birth date without a СНИЛС: the row completes it
            _change(line, person, {"snils": line.snils}, work)
            work.by_snils[line.snils] = person
        work.person_of[line.index] = person
        return
    person = new_person({"last_name": line.last_name, "first_name": line.first_name,
                         "middle_name": line.middle_name, "birth_date": line.birth_date, "snils": line.snils},
                        work.principal, work.municipality)
    work.new_ids.add(person["id"])
    work.created_by_row[person["id"]] = line.index
    work.by_name.setdefault(ident, []).append(person)
    if line.snils:
        work.by_snils[line.snils] = person
    work.person_of[line.index] = person


def _rename(line: StaffLine, person: dict, work: Work) -> None:
    """Matched by СНИЛС: a real change of the name (not only case or ё) or of the birth date is an update."""
    if person["id"] in work.new_ids and (person["name_key"], person["birth_date"]) != (line.key, line.birth_date):
        row = work.created_by_row[person["id"]] + 1
        line.fail("snils", f"Этот СНИЛС уже указан в строке {row} для другого работника")
        return
    changes = {}
    if person["name_key"] != line.key:
        changes.update(last_name=line.last_name, first_name=line.first_name, middle_name=line.middle_name)
    if person["birth_date"] != line.birth_date:
        changes["birth_date"] = line.birth_date
    if changes:
        _change(line, person, changes, work)
    work.person_of[line.index] = person


def _change(line: StaffLine, person: dict, changes: dict, work: Work) -> None:
    if person["id"] in work.new_ids:
        person.update(changes)
        return
    work.person_changes[line.index] = (person, changes)


def _employment(line: StaffLine, work: Work, organisation_id: uuid.UUID, today: date) -> None:
    person = work.person_of[line.index]
    mine = work.employments.setdefault(person["id"], [])
    match = next((e for e in mine if e.organisation_id == organisation_id and e.start == line.start_date
                  and line.position in (e.terms[0].position, e.current.position)), None)
    try:
        if match is None:
            e = domain.hire(ids.uuid4(), person["id"], organisation_id, line.start_date, line.position,
                            line.subjects, line.rate, line.main, today, mine)
            mine.append(e)
            work.hired[line.index] = work.matched[line.index] = e
            return
        work.matched[line.index] = match
        wanted = domain.Term(match.current.valid_from, None, line.position, line.subjects, line.rate, line.main)
        if line.position != match.current.position or match.current.same_state(wanted) or match.end is not None:
            return  # the row describes this employment as it is, or a state it has since moved on from
        moved, changed = domain.transfer(match, today, subjects=line.subjects, rate=line.rate, main=line.main,
                                         others=mine)
        mine[mine.index(match)] = work.matched[line.index] = moved
        work.moved[line.index] = (moved, changed)
    except StaffRuleError as exc:
        line.fail(_field(exc.field), str(exc))


def _field(name: str) -> str:
    return {"effectiveDate": "startDate"}.get(name, name)


def _outcome(line: StaffLine, work: Work) -> RowOutcome:
    if line.errors:
        return RowOutcome(row=line.row, outcome="error", errors=line.errors)
    person = work.person_of[line.index]
    employment = work.matched.get(line.index)
    if line.index in work.hired or work.created_by_row.get(person["id"]) == line.index:
        outcome = "created"
    elif line.index in work.moved or line.index in work.person_changes:
        outcome = "updated"
    else:
        outcome = "unchanged"
    return RowOutcome(row=line.row, outcome=outcome, person_id=person["id"],
                      employment_id=employment.id if employment else None)


async def _write(conn: asyncpg.Connection, principal: Principal, good: list[StaffLine], work: Work,
                 orgs: dict) -> None:
    at = now()
    by = principal.subject
    used = {work.person_of[line.index]["id"] for line in good}
    new_used = work.new_ids & used
    created = {p["id"]: p for ps in work.by_name.values() for p in ps if p["id"] in new_used}
    for p in created.values():
        p["name_key"] = domain.name_key(p["last_name"], p["first_name"], p["middle_name"])
    changed: dict[uuid.UUID, tuple[dict, set]] = {}
    for line in good:
        if line.index in work.person_changes:
            person, changes = work.person_changes[line.index]
            new, fields = changed.get(person["id"], ({**person, "version": person["version"] + 1}, set()))
            new.update(changes)
            changed[person["id"]] = (new, fields | {f for f in changes if changes[f] != person[f]})
    changed = {k: v for k, v in changed.items() if v[1]}
    for new, _ in changed.values():
        new["name_key"] = domain.name_key(new["last_name"], new["first_name"], new["middle_name"])
    events = [person_event(p, at=at) for p in created.values()]
    events += [person_event(new, sorted(camel(f) for f in fields), at=at) for new, fields in changed.values()]
    if created:
        await repo.insert_persons(conn, list(created.values()), by)
    if changed:
        await repo.save_persons(conn, [new for new, _ in changed.values()], by)
    hired = [work.hired[line.index] for line in good if line.index in work.hired]
    moved = [work.moved[line.index] for line in good if line.index in work.moved]
    if hired:
        await repo.insert_employments(conn, hired, by)
    if moved:
        await repo.save_transfers(conn, [m for m, _ in moved], by)
    births = {p["id"]: p["birth_date"].year for p in work.person_of.values()}
    for pid, (new, _) in changed.items():
        births[pid] = new["birth_date"].year
    oktmo = {o["id"]: o["municipality_oktmo"] for o in orgs.values()}
    events += [employment_event(EmploymentStarted, e, oktmo[e.organisation_id], births[e.person_id], at)
               for e in hired]
    events += [employment_event(EmploymentChanged, e, oktmo[e.organisation_id], births[e.person_id], at,
                                effective_date=e.current.valid_from, changed=c) for e, c in moved]
    if events:
        await outbox.add(conn, events)

