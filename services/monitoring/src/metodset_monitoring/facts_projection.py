"""Applies the registry's and the events service's topics to `facts`, inside the consumer's transaction:
idempotent (the kit's inbox), order-tolerant (facts merge by version, the same rule as domain.fact_rows.merge),
and leaves the changed fact kinds in `facts_dirty` for the recomputation of indicators."""
from __future__ import annotations

import json
from datetime import date

import asyncpg

from metodset_contracts import CloudEvent
from metodset_contracts.catalogue import (
    BODIES_TOPIC,
    COMPETITIONS_TOPIC,
    MENTORING_TOPIC,
    METHODICAL_EVENTS_TOPIC,
    OLYMPIADS_TOPIC,
    ORGANISATIONS_TOPIC,
    PLANS_TOPIC,
    PRACTICES_TOPIC,
    REQUESTS_TOPIC,
    STAFF_TOPIC,
    TOPICS,
)
from metodset_kit import db
from metodset_kit.consumer import Projection

from .domain.fact_rows import FactRow, earliest, folded, handled, rows_of


def _json_encoder():
    """JSON text of a fact's attrs, UTF-8 kept. The C encoder is made once: JSONEncoder.encode makes a new one per
    call, which was half its cost (1.4 against 0.7 µs a row)."""
    make = json.encoder.c_make_encoder
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False).encode
    encode = make(None, _not_json, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda attrs: "".join(encode(attrs, 0))


def _not_json(value):
    raise TypeError(f"not JSON: {value!r}")


_attrs_json = _json_encoder()

FACT_TOPICS = [ORGANISATIONS_TOPIC, STAFF_TOPIC, MENTORING_TOPIC, BODIES_TOPIC, METHODICAL_EVENTS_TOPIC,
               PLANS_TOPIC, REQUESTS_TOPIC, PRACTICES_TOPIC, OLYMPIADS_TOPIC, COMPETITIONS_TOPIC]


def _newer_first(column: str) -> str:
    return (f"{column} = case when excluded.version > facts.version "
            f"then coalesce(excluded.{column}, facts.{column}) else coalesce(facts.{column}, excluded.{column}) end")


_INSERT = """
insert into facts (kind, record_id, organisation_id, municipality_oktmo, person_id, valid_from, valid_to, value,
                   attrs, version)
select k, r, o, m, p, vf, vt, v, a::jsonb, ver
  from unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::date[], $7::date[], $8::numeric[],
              $9::text[], $10::bigint[]) as t(k, r, o, m, p, vf, vt, v, a, ver)
"""

_UPSERT = _INSERT + f"""on conflict (kind, record_id) do update
   set {', '.join(_newer_first(c) for c in ('organisation_id', 'municipality_oktmo', 'person_id', 'valid_from',
                                            'valid_to', 'value'))},
       attrs = case when excluded.version > facts.version then facts.attrs || excluded.attrs
                    else excluded.attrs || facts.attrs end,
       version = greatest(facts.version, excluded.version), updated_at = now()
"""

# a request's response time needs both its declaration and its assignment, which may arrive in any order
_RESPONSE_HOURS = """
update facts set value = round((extract(epoch from ((attrs->>'assigned_at')::timestamptz
                                                    - (attrs->>'declared_at')::timestamptz)) / 3600)::numeric, 2)
 where kind = 'request' and record_id = any($1::text[]) and attrs ? 'assigned_at' and attrs ? 'declared_at'
"""

# the earliest day the rows about to change spoke of before the change (a start moved later still matters)
_EARLIEST_BEFORE = """
select f.kind, min(case when f.valid_from is null then null else least(f.valid_from, f.valid_to) end) as since,
       bool_or(f.valid_from is null) as unbounded
  from facts f join unnest($1::text[], $2::text[]) as k(kind, record_id)
       on f.kind = k.kind and f.record_id = k.record_id
 group by f.kind
"""

# A mark already as early as ours is only held (key share): the members of the group hold it side by side,
# and the recomputation's delete of it waits for their commits, so it cannot miss the facts they wrote.
_HELD = "select kind, since from facts_dirty where kind = any($1::text[]) for key share"

_DIRTY = """
insert into facts_dirty (kind, since)
select k, coalesce(s, '-infinity'::date) from unnest($1::text[], $2::date[]) as t(k, s)
on conflict (kind) do update set since = least(facts_dirty.since, excluded.since)
"""


async def upsert_facts(conn: asyncpg.Connection, rows: list[FactRow]) -> None:
    rows = folded(rows)
    if not rows:
        return
    since = earliest(rows)
    # a kind changed since ever already (a row without a start) need not ask what its rows said before
    before = await _said_before(conn, [r for r in rows if since[r.kind] is not None])
    await _write(conn, rows)
    requests = [r.record_id for r in rows if r.kind == "request"]
    if requests:
        await conn.execute(_RESPONSE_HOURS, requests)
    for kind, day in before.items():
        since[kind] = None if day is None or since.get(kind, day) is None else min(day, since[kind])
    await mark_dirty(conn, since)


async def _write(conn: asyncpg.Connection, rows: list[FactRow]) -> None:
    """Rows that are all the first version of their aggregate (a registration, say: a whole bulk import's worth)
    are new facts unless events came out of order, and are copied in plainly (COPY: 5 µs a row cheaper for
    PostgreSQL than the upsert's unnest); a row there already, and the rows are merged as any others."""
    if all(r.version == 1 for r in rows) and await db.copied_plainly(conn, "facts", _COLUMNS, map(_record, rows)):
        return
    await conn.execute(_UPSERT, [r.kind for r in rows], [r.record_id for r in rows], [r.organisation_id for r in rows],
                       [r.municipality_oktmo for r in rows], [r.person_id for r in rows],
                       [r.valid_from for r in rows], [r.valid_to for r in rows], [r.value for r in rows],
                       [_attrs_json(r.attrs) for r in rows], [r.version for r in rows])


_COLUMNS = ("kind", "record_id", "organisation_id", "municipality_oktmo", "person_id", "valid_from", "valid_to",
            "value", "attrs", "version")


def _record(r: FactRow) -> tuple:
    return (r.kind, r.record_id, r.organisation_id, r.municipality_oktmo, r.person_id, r.valid_from, r.valid_to,
            r.value, db.RawJson(_attrs_json(r.attrs).encode()), r.version)


async def _said_before(conn: asyncpg.Connection, rows: list[FactRow]) -> dict[str, date | None]:
    """Per kind, the earliest day its stored rows among these spoke of before the change (None: since ever)."""
    if not rows:
        return {}
    return {r["kind"]: None if r["unbounded"] else r["since"]
            for r in await conn.fetch(_EARLIEST_BEFORE, [r.kind for r in rows], [r.record_id for r in rows])}


async def mark_dirty(conn: asyncpg.Connection, since: dict[str, date | None] | list[str]) -> None:
    """Mark fact kinds changed since a day (None or a plain list of kinds: since ever)."""
    if isinstance(since, list):
        since = dict.fromkeys(since)
    kinds = sorted(since)  # one lock order: the group's members mark kinds side by side
    held = {r["kind"]: r["since"] for r in await conn.fetch(_HELD, kinds)}
    kinds = [k for k in kinds if k not in held or _later(held[k], since[k])]
    if kinds:
        await conn.execute(_DIRTY, kinds, [since[k] for k in kinds])


def _later(held: date, wanted: date | None) -> bool:
    """A stored mark that starts later than the one wanted must be moved earlier."""
    if held == date.min:  # marked since ever already
        return False
    return wanted is None or held > wanted


async def apply_fact_events(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    await upsert_facts(conn, [row for e in events for row in rows_of(e)])


FACTS = Projection(
    name="monitoring.facts",
    topics=FACT_TOPICS,
    apply=apply_fact_events,
    handled_types={t.type for topic in FACT_TOPICS for t in TOPICS[topic] if handled(t.model)},
)
