"""Use cases of professional growth: course records, a person's course rule and attestation, categories.

Each change runs in one transaction with its events on registry.staff.v1 (course completed, category awarded:
identifiers, codes, hours and dates — never a name or a certificate number). Every read of a person's data
is audited like the staff's (resource `person`)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.courses import CategoryAwarded, CourseCompleted, CourseKind
from metodset_kit import audit, ids, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden
from metodset_kit.events import outgoing
from metodset_kit.scope import Principal

from ...domain import attestation, courses
from ...domain.courses import CourseFacts, CourseFormat, CourseRuleError
from ...domain.staff_access import PERSON_READERS
from ...staff.handlers import PERSON, SOURCE, _reachable, scoped_filter
from ...staff.repository import StaffFilter
from ..routes import handlers as routes
from . import repository as repo

WRITERS = "Записывать курсы и аттестацию могут региональный координатор, методист муниципалитета и " \
          "администратор организации"


def course_event(row: dict, at: str | None = None):
    data = CourseCompleted(course_id=row["id"], person_id=row["person_id"], kind=row["kind"],
                           programme=row["programme"], hours=row["hours"], start_date=row["start_date"],
                           end_date=row["end_date"], provider_organisation_id=row["provider_organisation_id"])
    return outgoing(data, source=SOURCE, subject=f"course/{row['id']}", key=str(row["person_id"]), time=at)


@dataclass(frozen=True)
class Recorded:
    """What became of one fact: created, unchanged (the same course is on record) or error (the rule broken)."""

    outcome: str
    course_id: UUID | None = None
    field: str | None = None
    message: str | None = None


def facts_of(d: dict) -> CourseFacts:
    return CourseFacts(kind=CourseKind(d["kind"]), programme=d["programme"], hours=d["hours"],
                       start_date=d["start_date"], end_date=d["end_date"],
                       provider_organisation_id=d.get("provider_organisation_id"), provider=d.get("provider"),
                       format=CourseFormat(d["format"]) if d.get("format") else None,
                       certificate_number=d.get("certificate_number"))


async def record_courses(conn: asyncpg.Connection, facts: Sequence[dict], by: str = "registry",
                         today: date | None = None) -> list[Recorded]:
    """Record completed courses of persons already registered and reached by the caller (the REST use case,
    the xlsx import and — later — the consumer of the events service's completed programmes call this).

    Each fact: person_id, kind (upgrade/retraining), programme, hours, start_date, end_date and optionally
    provider_organisation_id, provider (text), format, certificate_number. The same course (person, programme,
    end date, certificate number) already recorded — or twice in `facts` — is unchanged. One event per course
    created; run inside the caller's transaction."""
    today = today or date.today()
    known = await repo.existing_keys(conn, list({f["person_id"] for f in facts}))
    out, new = [], []
    for f in facts:
        c = facts_of(f)
        try:
            courses.check_course(c, today)
        except CourseRuleError as exc:
            out.append(Recorded("error", field=exc.field, message=str(exc)))
            continue
        key = (f["person_id"], *c.key())
        if key in known:
            out.append(Recorded("unchanged", known[key]["id"]))
            continue
        row = {"id": ids.uuid4(), "person_id": f["person_id"], "kind": c.kind.value,
               "programme": " ".join(c.programme.split()), "programme_key": c.key()[0],
               "provider_organisation_id": c.provider_organisation_id, "provider": c.provider, "hours": c.hours,
               "start_date": c.start_date, "end_date": c.end_date, "format": c.format.value if c.format else None,
               "certificate_number": c.certificate_number, "recorded_by": by}
        known[key] = row
        new.append(row)
        out.append(Recorded("created", row["id"]))
    if new:
        await repo.insert_courses(conn, new)
        await outbox.add(conn, [course_event(r) for r in new])
        await routes.complete_courses(conn, new)  # a course on the person's route is done by this fact
    return out


def _writer(principal: Principal) -> None:
    if principal.role not in PERSON_READERS:
        raise Forbidden(WRITERS)


async def record_course(pool: asyncpg.Pool, principal: Principal, person_id: UUID, data) -> UUID:
    """One course from the REST API: the rules as DomainError (naming the field), the same course as Conflict."""
    _writer(principal)
    fact = {"person_id": person_id, "kind": data.kind.value.lower(), "programme": data.programme,
            "provider_organisation_id": data.provider_organisation_id, "provider": data.provider,
            "hours": data.hours, "start_date": data.start_date, "end_date": data.end_date,
            "format": data.format.value.lower() if data.format else None,
            "certificate_number": data.certificate_number}
    async with pool.acquire() as conn, conn.transaction():
        await _reachable(conn, principal, person_id, date.today(), lock=True)
        if data.provider_organisation_id is not None and not await repo.organisation_names(
                conn, [data.provider_organisation_id]):
            raise DomainError("providerOrganisationId", f"Организация {data.provider_organisation_id} не найдена",
                              "unknown")
        [done] = await record_courses(conn, [fact], principal.subject)
    if done.outcome == "error":
        raise DomainError(done.field, done.message, "invalid")
    if done.outcome == "unchanged":
        raise Conflict("certificateNumber", "Эти курсы уже записаны (та же программа, дата окончания и номер "
                                            "удостоверения)", "duplicate")
    return done.course_id


async def person_courses(pool: asyncpg.Pool, principal: Principal, person_id: UUID, limit: int,
                         after: tuple | None) -> tuple[list[asyncpg.Record], int]:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        await _reachable(conn, principal, person_id, date.today())
        rows = await repo.person_courses(conn, person_id, limit + 1, after)
        total = await repo.count_courses(conn, person_id)
        await audit.record_read(conn, principal, PERSON, [str(person_id)], "person.courses")
    return rows, total


@dataclass(frozen=True)
class GrowthView:
    last_upgrade_end: date | None
    course_due: date | None
    course_overdue: bool
    awards: list[asyncpg.Record]
    titles: dict[str, str]


async def growth(pool: asyncpg.Pool, principal: Principal, person_id: UUID, day: date, years: int) -> GrowthView:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        await _reachable(conn, principal, person_id, day)
        last = await repo.last_upgrade_end(conn, person_id, day)
        awards = [a for a in await repo.awards(conn, person_id) if a["awarded_on"] <= day]
        titles = {c: r["title"] for c, r in (await repo.categories(conn)).items()}
        await audit.record_read(conn, principal, PERSON, [str(person_id)], "person.growth")
    return GrowthView(last, courses.course_due(last, years), courses.course_overdue(last, day, years), awards, titles)


async def award_category(pool: asyncpg.Pool, principal: Principal, person_id: UUID, data) -> UUID:
    _writer(principal)
    async with pool.acquire() as conn, conn.transaction():
        await _reachable(conn, principal, person_id, date.today(), lock=True)
        catalogue = {c: dict(r["extra"]) for c, r in (await repo.categories(conn)).items()}
        history = await repo.awards(conn, person_id)
        current = next((a for a in history if a["current"]), None)
        try:
            new = attestation.award(data.category, data.awarded_on, data.order_number, catalogue,
                                    _award(current) if current else None, date.today())
        except attestation.AttestationRuleError as exc:
            raise DomainError(exc.field, str(exc), "invalid") from None
        award_id = ids.uuid4()
        await repo.insert_award(conn, award_id, person_id, new, principal.subject, current["id"] if current else None)
        event = CategoryAwarded(award_id=award_id, person_id=person_id, category=new.category,
                                awarded_on=new.awarded_on, expires_on=new.expires_on,
                                previous_category=current["category"] if current else None)
        await outbox.add(conn, [outgoing(event, source=SOURCE, subject=f"person/{person_id}", key=str(person_id))])
    return award_id


def _award(r) -> attestation.Award:
    return attestation.Award(r["category"], r["awarded_on"], r["order_number"], r["expires_on"])


@dataclass(frozen=True)
class DuePage:
    rows: list[asyncpg.Record]
    total: int
    titles: dict[str, str]


async def attestation_due(pool: asyncpg.Pool, principal: Principal, f: StaffFilter, within_months: int, *,
                          limit: int, after: tuple | None) -> DuePage:
    """Persons employed on the day in the caller's scope whose current category expires within N months of it
    (or has expired), by expiry; the page is audited like a staff list."""
    f = scoped_filter(principal, replace(f, young=None))
    horizon = attestation.due_horizon(f.day, within_months)
    args = [f.day, f.municipality, f.organisation, f.position, f.subject, horizon]
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        rows = await repo.due(conn, args, limit + 1, after)
        total = await repo.count_due(conn, args)
        titles = {c: r["title"] for c, r in (await repo.categories(conn)).items()}
        await audit.record_read(conn, principal, PERSON, [str(r["person_id"]) for r in rows[:limit]],
                                "attestation.due")
    return DuePage(rows, total, titles)
