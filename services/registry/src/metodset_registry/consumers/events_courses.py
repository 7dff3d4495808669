"""The registry's consumer of `events.methodical.v1`: a programme of 16 hours or more that a person completed
at a methodical event becomes a course record (an upgrade course), once, through `courses.record_courses`.

Persons and organisations the registry does not know are skipped (the event may name a person the registry
has since lost, or a body as organiser); a rule the fact breaks is logged, not retried."""
from __future__ import annotations

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.catalogue import METHODICAL_EVENTS_TOPIC
from metodset_contracts.courses import CourseKind
from metodset_contracts.methodical_events import CompletedWithHours
from metodset_kit import logging as log
from metodset_kit.consumer import Projection

from ..growth.courses.handlers import record_courses

COURSE_MIN_HOURS = 16
_FORMATS = {"in_person": "full_time", "online": "distance", "hybrid": "mixed"}


def course_fact(c: CompletedWithHours, known_organisations: set) -> dict:
    provider = c.organiser_organisation_id if c.organiser_organisation_id in known_organisations else None
    return {"person_id": c.person_id, "kind": CourseKind.UPGRADE.value, "programme": c.title,
            "hours": c.programme_hours, "start_date": c.start_date, "end_date": c.end_date,
            "provider_organisation_id": provider}


async def apply_completed(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    done = [event_type(e.type).model.model_validate(e.data) for e in events]
    done = [c for c in done if c.programme_hours >= COURSE_MIN_HOURS]
    if not done:
        return
    persons = {r["id"] for r in await conn.fetch("select id from persons where id = any($1::uuid[])",
                                                 [c.person_id for c in done])}
    orgs = {r["id"] for r in await conn.fetch("select id from organisations where id = any($1::uuid[])",
                                              [c.organiser_organisation_id for c in done])}
    facts = [course_fact(c, orgs) for c in done if c.person_id in persons]
    for fact, outcome in zip(facts, await record_courses(conn, facts, by="events"), strict=True):
        if outcome.outcome == "error":
            log.get("registry.events_courses").warning("course.not_recorded", person=str(fact["person_id"]),
                                                       field=outcome.field, reason=outcome.message)


COMPLETED_PROGRAMMES = Projection(
    name="registry.event_courses",
    topics=[METHODICAL_EVENTS_TOPIC],
    apply=apply_completed,
    handled_types={event_type(CompletedWithHours).type},
    patience_ms=1000,  # a completed programme reaches the teacher's record within a second; nobody waits on it
)
