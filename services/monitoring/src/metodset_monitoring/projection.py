"""Applies registry.organisations.v1 to monitoring's own table, inside the consumer's transaction."""
from __future__ import annotations

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC, TOPICS
from metodset_contracts.organisations import MunicipalityRegistered, OrganisationFacts
from metodset_kit.consumer import Projection

from .domain.facts import fact_of, latest

_UPSERT = """
insert into organisation_facts (organisation_id, municipality_oktmo, kind, active, version, name)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::int[], $6::text[])
on conflict (organisation_id) do update
   set municipality_oktmo = excluded.municipality_oktmo, kind = excluded.kind, active = excluded.active,
       version = excluded.version, name = coalesce(excluded.name, organisation_facts.name), updated_at = now()
 where organisation_facts.version < excluded.version
"""

_MUNICIPALITIES = """
insert into municipality_names (oktmo, name) select * from unnest($1::text[], $2::text[])
on conflict (oktmo) do update set name = excluded.name, updated_at = now()
"""
MUNICIPALITY_REGISTERED = event_type(MunicipalityRegistered).type


async def apply_organisation_events(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    announced = [MunicipalityRegistered.model_validate(e.data) for e in events if e.type == MUNICIPALITY_REGISTERED]
    names = {m.oktmo: m.name for m in announced}
    if names:
        await conn.execute(_MUNICIPALITIES, list(names), list(names.values()))
    facts = latest([fact_of(e) for e in events if e.type != MUNICIPALITY_REGISTERED])
    await conn.execute(
        _UPSERT,
        [f.organisation_id for f in facts], [f.municipality_oktmo for f in facts], [f.kind for f in facts],
        [f.active for f in facts], [f.version for f in facts], [f.name for f in facts],
    )


ORGANISATIONS = Projection(
    name="monitoring.organisations",
    topics=[ORGANISATIONS_TOPIC],
    apply=apply_organisation_events,
    # a newer event type on the topic is skipped until this projection learns it, not retried for ever
    # the events about the organisation itself (flags and site statuses say nothing of being active) and
    # municipalities' names
    handled_types={t.type for t in TOPICS[ORGANISATIONS_TOPIC] if issubclass(t.model, OrganisationFacts)}
    | {MUNICIPALITY_REGISTERED},
)
