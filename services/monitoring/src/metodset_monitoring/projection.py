"""Applies registry.organisations.v1 to monitoring's own table, inside the consumer's transaction."""
from __future__ import annotations

import asyncpg

from metodset_contracts import CloudEvent
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC, TOPICS
from metodset_contracts.organisations import OrganisationFacts
from metodset_kit.consumer import Projection

from .domain.facts import fact_of, latest

_UPSERT = """
insert into organisation_facts (organisation_id, municipality_oktmo, kind, active, version)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::int[])
on conflict (organisation_id) do update
   set municipality_oktmo = excluded.municipality_oktmo, kind = excluded.kind, active = excluded.active,
       version = excluded.version, updated_at = now()
 where organisation_facts.version < excluded.version
"""


async def apply_organisation_events(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    facts = latest([fact_of(e) for e in events])
    await conn.execute(
        _UPSERT,
        [f.organisation_id for f in facts], [f.municipality_oktmo for f in facts], [f.kind for f in facts],
        [f.active for f in facts], [f.version for f in facts],
    )


ORGANISATIONS = Projection(
    name="monitoring.organisations",
    topics=[ORGANISATIONS_TOPIC],
    apply=apply_organisation_events,
    # a newer event type on the topic is skipped until this projection learns it, not retried for ever
    # only the events about the organisation itself (flags and site statuses say nothing of being active)
    handled_types={t.type for t in TOPICS[ORGANISATIONS_TOPIC] if issubclass(t.model, OrganisationFacts)},
)
