"""The events service's projection of the registry: organisations, persons, employments and methodical bodies,
applied inside the consumer's transaction, idempotently (the inbox) and by aggregate version (an older event
never overwrites a newer one). Other modules read the tables through the functions at the end."""
from __future__ import annotations

import json
from uuid import UUID

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.bodies import BodyClosed, BodyCreated
from metodset_contracts.catalogue import BODIES_TOPIC, ORGANISATIONS_TOPIC, STAFF_TOPIC, TOPICS
from metodset_contracts.organisations import MunicipalityRegistered, OrganisationClosed, OrganisationFacts
from metodset_contracts.staff import EmploymentFacts, PersonRegistered, PersonUpdated
from metodset_kit.consumer import Projection

from .domain.registry import latest

_ORGANISATIONS = """
insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active, version, inn)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::int[], $7::text[])
on conflict (organisation_id) do update
   set municipality_oktmo = excluded.municipality_oktmo, kind = excluded.kind,
       name = coalesce(excluded.name, registry_organisations.name), active = excluded.active,
       inn = coalesce(excluded.inn, registry_organisations.inn),
       version = excluded.version, updated_at = now()
 where registry_organisations.version < excluded.version
    or (registry_organisations.version = excluded.version and registry_organisations.inn is null
        and excluded.inn is not null)
"""

_PERSONS = """
insert into registry_persons (person_id, registered_municipality, version)
select * from unnest($1::uuid[], $2::text[], $3::int[])
on conflict (person_id) do update
   set registered_municipality = coalesce(excluded.registered_municipality,
                                          registry_persons.registered_municipality),
       version = excluded.version, updated_at = now()
 where registry_persons.version < excluded.version
"""

_EMPLOYMENTS = """
insert into registry_employments (employment_id, person_id, organisation_id, municipality_oktmo, position,
                                  subjects, main, start_date, end_date, version)
select e.id, e.person, e.org, e.oktmo, e.position, array(select jsonb_array_elements_text(e.subjects::jsonb)),
       e.main, e.start_date, e.end_date, e.version
  from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::date[],
              $9::date[], $10::int[])
       as e(id, person, org, oktmo, position, subjects, main, start_date, end_date, version)
on conflict (employment_id) do update
   set person_id = excluded.person_id, organisation_id = excluded.organisation_id,
       municipality_oktmo = excluded.municipality_oktmo, position = excluded.position,
       subjects = excluded.subjects, main = excluded.main, start_date = excluded.start_date,
       end_date = excluded.end_date, version = excluded.version, updated_at = now()
 where registry_employments.version < excluded.version
"""

_BODY_CREATED = """
insert into registry_bodies (body_id, kind, level, municipality_oktmo, organisation_id, name, subject)
values ($1, $2, $3, $4, $5, $6, $7)
on conflict (body_id) do update
   set kind = excluded.kind, level = excluded.level, municipality_oktmo = excluded.municipality_oktmo,
       organisation_id = excluded.organisation_id, name = excluded.name, subject = excluded.subject,
       updated_at = now()
"""

_MUNICIPALITIES = """
insert into registry_municipalities (oktmo, name) select * from unnest($1::text[], $2::text[])
on conflict (oktmo) do update set name = excluded.name, updated_at = now()
"""

_BODY_CLOSED = """
insert into registry_bodies (body_id, kind, level, municipality_oktmo, organisation_id, active, closed_on)
values ($1, $2, $3, $4, $5, false, $6)
on conflict (body_id) do update set active = false, closed_on = excluded.closed_on, updated_at = now()
"""


def _data(event: CloudEvent):
    return event_type(event.type).model.model_validate(event.data)


async def apply_registry_events(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    facts = [_data(e) for e in events]
    await _organisations(conn, [f for f in facts if isinstance(f, OrganisationFacts)])
    await _persons(conn, [f for f in facts if isinstance(f, PersonRegistered | PersonUpdated)])
    await _employments(conn, [f for f in facts if isinstance(f, EmploymentFacts)])
    for f in facts:  # bodies carry no version: created, then closed, in the topic's order
        if isinstance(f, BodyCreated | BodyClosed):
            await _body(conn, f)
    names = {f.oktmo: f.name for f in facts if isinstance(f, MunicipalityRegistered)}
    if names:
        await conn.execute(_MUNICIPALITIES, list(names), list(names.values()))


async def _organisations(conn: asyncpg.Connection, facts: list[OrganisationFacts]) -> None:
    facts = latest(facts, lambda f: f.organisation_id, lambda f: f.version)
    if facts:
        await conn.execute(
            _ORGANISATIONS, [f.organisation_id for f in facts], [f.municipality_oktmo for f in facts],
            [f.kind.value for f in facts], [getattr(f, "name", None) for f in facts],
            [not isinstance(f, OrganisationClosed) for f in facts], [f.version for f in facts],
            [getattr(f, "inn", None) for f in facts])


async def _persons(conn: asyncpg.Connection, facts: list[PersonRegistered | PersonUpdated]) -> None:
    facts = latest(facts, lambda f: f.person_id, lambda f: f.version)
    if facts:
        await conn.execute(_PERSONS, [f.person_id for f in facts],
                           [getattr(f, "registered_municipality", None) for f in facts], [f.version for f in facts])


async def _employments(conn: asyncpg.Connection, facts: list[EmploymentFacts]) -> None:
    facts = latest(facts, lambda f: f.employment_id, lambda f: f.version)
    if facts:
        await conn.execute(
            _EMPLOYMENTS, [f.employment_id for f in facts], [f.person_id for f in facts],
            [f.organisation_id for f in facts], [f.municipality_oktmo for f in facts], [f.position for f in facts],
            [json.dumps(f.subjects) for f in facts], [f.main for f in facts], [f.start_date for f in facts],
            [f.end_date for f in facts], [f.version for f in facts])


async def _body(conn: asyncpg.Connection, f: BodyCreated | BodyClosed) -> None:
    common = (f.body_id, f.kind, f.level.value, f.municipality_oktmo, f.organisation_id)
    if isinstance(f, BodyCreated):
        await conn.execute(_BODY_CREATED, *common, f.name, f.subject)
    else:
        await conn.execute(_BODY_CLOSED, *common, f.closed_on)


_MODELS = (OrganisationFacts, MunicipalityRegistered, PersonRegistered, PersonUpdated, EmploymentFacts, BodyCreated,
           BodyClosed)

REGISTRY = Projection(
    # The name keys the consumer group and the inbox: a new name reads the topics again from the beginning. v2
    # learnt organisations' ИНН (olympiad protocols name schools by it), which the same versions now fill in.
    name="events.registry.v2",
    topics=[ORGANISATIONS_TOPIC, STAFF_TOPIC, BODIES_TOPIC],
    apply=apply_registry_events,
    # only what this projection keeps; flags, memberships, courses and the like are skipped
    handled_types={t.type for topic in (ORGANISATIONS_TOPIC, STAFF_TOPIC, BODIES_TOPIC) for t in TOPICS[topic]
                   if issubclass(t.model, _MODELS)},
)


# --- reads for the other modules of the service -------------------------------------------------------------

async def municipality_name(conn: asyncpg.Connection, oktmo: str | None) -> str | None:
    """The name the registry announced, None for none (or a regional stage)."""
    if oktmo is None:
        return None
    return await conn.fetchval("select name from registry_municipalities where oktmo = $1", oktmo)


async def organisation(conn: asyncpg.Connection, organisation_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from registry_organisations where organisation_id = $1", organisation_id)


async def body(conn: asyncpg.Connection, body_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from registry_bodies where body_id = $1", body_id)


async def current_employments(conn: asyncpg.Connection, person_ids: list[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    """Each person's employments that have not ended by today (main first), by person id."""
    rows = await conn.fetch(
        "select * from registry_employments where person_id = any($1::uuid[])"
        " and (end_date is null or end_date >= current_date) order by person_id, main desc, start_date",
        person_ids)
    out: dict[UUID, list[asyncpg.Record]] = {p: [] for p in person_ids}
    for r in rows:
        out[r["person_id"]].append(r)
    return out


async def known_persons(conn: asyncpg.Connection, person_ids: list[UUID]) -> set[UUID]:
    """Persons the projection has heard of (registered, or with any employment)."""
    rows = await conn.fetch(
        "select person_id from registry_persons where person_id = any($1::uuid[])"
        " union select person_id from registry_employments where person_id = any($1::uuid[])", person_ids)
    return {r["person_id"] for r in rows}
