"""Suggested route items for a person's current deficits, from what the registry has (domain/route_suggestions.py
decides; this module reads): sites whose topic matches, mentors among the colleagues of the person's
municipalities, courses that others closed the same deficit with (their course records), and the hook for
methodical events (the events service, later).

A mentor is named only if the caller may reach them too (the same scope as their record), and every person
whose diagnostic was read to choose mentors is in the audit entry of the read."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.organisations import SITE_TITLES, SiteKind
from metodset_kit import audit
from metodset_kit.scope import Principal

from ...domain import diagnostics as diagnostics_domain
from ...domain.diagnostics import Deficit, Instrument
from ...domain.experience import Declared, experience
from ...domain.route_suggestions import MentorOffer, Offer, SiteOffer, Suggestion, suggest
from ...domain.staff_access import may_reach_person
from ...staff import repository as staff_repo
from ...staff.handlers import PERSON, _reachable, places
from ..diagnostics import repository as diagnostics_repo

MAX_COURSES_PER_AREA = 3
MAX_MENTOR_CANDIDATES = 200  # colleagues with a diagnostic read per request, the most recently diagnosed first


async def course_offers(conn: asyncpg.Connection, person_id: UUID, deficits: Sequence[Deficit]) -> list[Offer]:
    """Programmes that others completed while on a route of the same deficit area which their latest
    diagnostic since the route's base no longer shows (closed when re-diagnosed, or re-diagnosed after a route
    closed by the facts): the most common first, a few per area; `ref` is the programme's key, so that
    recording that course completes the item (routes.complete_by_fact)."""
    rows = await conn.fetch(
        """select a.area, c.programme_key, min(c.programme) as programme, count(distinct r.person_id) as persons
             from routes r
             cross join lateral jsonb_to_recordset(r.areas) as a(area text, level text)
             join diagnostic_results b on b.id = r.base_result_id
             cross join lateral (select l.deficits from diagnostic_results l
                                  where l.person_id = r.person_id and l.instrument = b.instrument
                                    and l.taken_on > b.taken_on
                                  order by l.taken_on desc, l.created_at desc limit 1) d
             join courses c on c.person_id = r.person_id and c.end_date between r.opened_on and r.closed_on
            where r.closed_on is not null and r.person_id <> $2 and a.area = any($1::text[])
              and not exists (select 1 from jsonb_to_recordset(d.deficits) as x(area text, level text)
                               where x.area = a.area)
            group by a.area, c.programme_key
            order by a.area, persons desc, programme""", [d.area for d in deficits], person_id)
    out, per_area = [], {}
    for r in rows:
        per_area[r["area"]] = per_area.get(r["area"], 0) + 1
        if per_area[r["area"]] <= MAX_COURSES_PER_AREA:
            out.append(Offer(r["area"], r["programme"], r["programme_key"],
                             f"Этот дефицит закрыли после этих курсов: педагогов — {r['persons']}"))
    return out


async def event_offers(conn: asyncpg.Connection, deficits: Sequence[Deficit]) -> list[Offer]:
    """HOOK (events service): upcoming methodical events whose topic matches the area (keywords of the area),
    once the events service publishes them and the registry keeps a projection."""
    return []


async def _sites(conn: asyncpg.Connection, day: date, municipalities: Sequence[str]) -> list[SiteOffer]:
    rows = await conn.fetch(
        """select s.organisation_id, coalesce(o.short_name, o.name) as name, s.kind, s.topic
             from organisation_sites s join organisations o on o.id = s.organisation_id
            where s.topic is not null and s.valid_from <= $1 and coalesce(s.ended_to, s.valid_to, $1) >= $1
              and (o.closed_on is null or o.closed_on >= $1)
            order by (o.municipality_oktmo = any($2)) desc, o.name, s.valid_from""", day, list(municipalities))
    return [SiteOffer(r["organisation_id"], r["name"], SITE_TITLES[SiteKind(r["kind"])], r["topic"]) for r in rows]


async def _colleagues(conn: asyncpg.Connection, person_id: UUID, municipalities: Sequence[str],
                      day: date) -> list[UUID]:
    """Colleagues employed on the day in the municipalities who have a diagnostic, latest diagnosed first."""
    rows = await conn.fetch(
        """select e.person_id, max(d.taken_on) as last
             from employments e join organisations o on o.id = e.organisation_id
             join diagnostic_results d on d.person_id = e.person_id
            where o.municipality_oktmo = any($1) and e.person_id <> $2
              and e.start_date <= $3 and (e.end_date is null or e.end_date >= $3)
            group by e.person_id order by last desc, e.person_id limit $4""",
        list(municipalities), person_id, day, MAX_MENTOR_CANDIDATES)
    return [r["person_id"] for r in rows]


def _short(p: dict) -> str:
    initials = "".join(f" {n[0]}." for n in (p["first_name"], p["middle_name"]) if n)
    return f"{p['last_name']}{initials}"


async def _mentors(conn: asyncpg.Connection, principal: Principal, person_id: UUID, municipalities: Sequence[str],
                   day: date) -> list[MentorOffer]:
    candidates = await _colleagues(conn, person_id, municipalities, day)
    if not candidates:
        return []
    persons = await staff_repo.persons(conn, candidates)
    employments = await staff_repo.employments_of(conn, candidates)
    results = await diagnostics_repo.results_of(conn, candidates)
    pedagogical = await staff_repo.pedagogical_positions(conn)
    out = []
    for pid in candidates:
        p, placed = persons[pid], employments.get(pid, [])
        if not may_reach_person(principal, places(placed), p["registered_municipality"], p["registered_by"], day):
            continue
        declared = Declared(p["experience_before_days"] or 0, p["experience_before_pedagogical_days"] or 0,
                            p["experience_before_on"])
        exp = experience([e.employment for e in placed], pedagogical, day, declared)
        out.append(MentorOffer(pid, _short(p), diagnostics_domain.latest(results.get(pid, []), day),
                               exp.pedagogical_days))
    return out


async def suggestions(pool: asyncpg.Pool, principal: Principal, person_id: UUID) -> tuple[list[Suggestion],
                                                                                          Instrument | None]:
    day = date.today()
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        _, employments = await _reachable(conn, principal, person_id, day)
        results = (await diagnostics_repo.results_of(conn, [person_id])).get(person_id, [])
        last = diagnostics_domain.latest(results, day)
        if last is None or not last.deficits:
            await audit.record_read(conn, principal, PERSON, [str(person_id)], "route.suggestions")
            return [], None
        instrument = await diagnostics_repo.instrument(conn, last.instrument)
        municipalities = sorted({e.municipality_oktmo for e in employments if e.employment.active_on(day)})
        mentors = await _mentors(conn, principal, person_id, municipalities, day)
        found = suggest(last.deficits, instrument, await _sites(conn, day, municipalities), mentors,
                        await course_offers(conn, person_id, last.deficits), await event_offers(conn, last.deficits))
        read = [str(person_id)] + sorted({s.ref for s in found if s.kind.value == "mentoring"})
        await audit.record_read(conn, principal, PERSON, read, "route.suggestions")
    return found, instrument
