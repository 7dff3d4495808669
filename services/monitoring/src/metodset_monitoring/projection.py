"""Applies the municipalities' names announced on registry.organisations.v1, inside the consumer's transaction.

The organisations themselves are facts of kind 'organisation' (facts_projection); `organisation_facts` is a
view over them."""
from __future__ import annotations

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC
from metodset_contracts.organisations import MunicipalityRegistered
from metodset_kit.consumer import Projection

_MUNICIPALITIES = """
insert into municipality_names (oktmo, name) select * from unnest($1::text[], $2::text[])
on conflict (oktmo) do update set name = excluded.name, updated_at = now()
"""
MUNICIPALITY_REGISTERED = event_type(MunicipalityRegistered).type


async def apply_municipality_names(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    names = {m.oktmo: m.name for m in (MunicipalityRegistered.model_validate(e.data) for e in events)}
    await conn.execute(_MUNICIPALITIES, list(names), list(names.values()))


MUNICIPALITY_NAMES = Projection(
    name="monitoring.municipality_names",
    topics=[ORGANISATIONS_TOPIC],
    apply=apply_municipality_names,
    handled_types={MUNICIPALITY_REGISTERED},
)
