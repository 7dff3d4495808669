"""SQL access to the registry's own tables."""
from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.organisations import OrganisationKind
from metodset_kit.pagination import Ordering, keyset_after, order_by

from ..domain.history import end_of_day
from ..domain.organisations import Link, Organisation

_DETAILS = ("ogrn", "address", "phone", "email", "website",  # optional text columns of migration 002
            "parent_id", "successor_id")  # migration 003
_COLUMNS = f"id, name, short_name, kind, municipality_oktmo, inn, version, closed_on, {', '.join(_DETAILS)}"


def _org(row) -> Organisation:
    return Organisation(id=row["id"], name=row["name"], short_name=row["short_name"],
                        kind=OrganisationKind(row["kind"]), municipality_oktmo=row["municipality_oktmo"],
                        inn=row["inn"], version=row["version"], closed_on=row["closed_on"],
                        **{c: row[c] for c in _DETAILS})


async def add_municipality(conn: asyncpg.Connection, oktmo: str, name: str) -> bool:
    status = await conn.execute("insert into municipalities (oktmo, name, announced) values ($1, $2, true) "
                                "on conflict do nothing", oktmo, name)
    return status.endswith(" 1")


async def claim_unannounced(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Municipalities not yet announced on the topic, marked announced (the caller's transaction adds the events)."""
    return await conn.fetch("update municipalities set announced = true where oktmo in "
                            "(select oktmo from municipalities where not announced for update skip locked) "
                            "returning oktmo, name")


async def municipalities(conn: asyncpg.Connection, oktmos: Sequence[str] | None = None) -> list[asyncpg.Record]:
    if oktmos is None:
        return await conn.fetch("select oktmo, name from municipalities order by name, oktmo")
    return await conn.fetch("select oktmo, name from municipalities where oktmo = any($1) order by name", list(oktmos))


async def existing_municipalities(conn: asyncpg.Connection, oktmos: set[str]) -> set[str]:
    rows = await conn.fetch("select oktmo from municipalities where oktmo = any($1)", list(oktmos))
    return {r["oktmo"] for r in rows}


async def active_inns(conn: asyncpg.Connection, inns: set[str], except_id: UUID | None = None) -> set[str]:
    rows = await conn.fetch(
        "select inn from organisations where inn = any($1) and closed_on is null and id is distinct from $2",
        list(inns), except_id)
    return {r["inn"] for r in rows}


async def active_by_inns(conn: asyncpg.Connection, inns: Sequence[str]) -> list[Organisation]:
    """The active organisations with these ИНН, locked for the transaction (an import updates them)."""
    rows = await conn.fetch(f"select {_COLUMNS} from organisations where inn = any($1) and closed_on is null "
                            "order by id for update", list(inns))
    return [_org(r) for r in rows]


_ROW = operator.attrgetter(*_COLUMNS.split(", "))  # kind is a str enum: its value is what is stored


async def insert_organisations(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> None:
    """New organisations: each row is its open version (`version_from` defaults to the transaction's now())."""
    await conn.copy_records_to_table("organisations", columns=_COLUMNS.split(", "), records=map(_ROW, orgs))


_HISTORY_COLUMNS = _COLUMNS.split(", ", 1)[1]


def _superseding(ids: str) -> str:
    """A WITH clause for every write of organisations rows: the version each supersedes is copied into the past
    versions, closed at the instant the new one opens (the statement's one statement_timestamp()). A
    data-modifying WITH sees the rows as they were before the statement, so the copy holds the old state. The
    caller holds the row locks: a writer that waited for another's lock supersedes that writer's version."""
    return f"""with past as (
    insert into organisation_past_versions (organisation_id, valid_from, valid_to, {_HISTORY_COLUMNS})
    select id, version_from, statement_timestamp(), {_HISTORY_COLUMNS} from organisations where {ids})
"""


async def organisation_for_update(conn: asyncpg.Connection, org_id: UUID) -> Organisation | None:
    row = await conn.fetchrow(f"select {_COLUMNS} from organisations where id = $1 for update", org_id)
    return _org(row) if row else None


async def save(conn: asyncpg.Connection, org: Organisation) -> None:
    await conn.execute(
        _superseding("id = $1") + """update organisations set name = $2, short_name = $3, kind = $4,
                  municipality_oktmo = $5, inn = $6, version = $7, closed_on = $8, ogrn = $9, address = $10,
                  phone = $11, email = $12, website = $13, parent_id = $14, successor_id = $15, updated_at = now(),
                  version_from = statement_timestamp() where id = $1""",
        org.id, org.name, org.short_name, org.kind.value, org.municipality_oktmo, org.inn, org.version, org.closed_on,
        *(getattr(org, c) for c in _DETAILS))


_SAVED = ("name", "short_name", "kind", "municipality_oktmo", "inn", "version", "closed_on", *_DETAILS)
_SAVED_TYPES = ("text", "text", "text", "text", "text", "int", "date", "text", "text", "text", "text", "text",
                "uuid", "uuid")


async def save_many(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> None:
    """Write changed organisations with one statement (arrays unnested), keeping the versions they supersede."""
    columns = [[o.id for o in orgs]] + [[_stored(getattr(o, c)) for o in orgs] for c in _SAVED]
    typed = ", ".join(f"${i + 2}::{t}[]" for i, t in enumerate(_SAVED_TYPES))
    assignments = ", ".join(f"{c} = v.{c}" for c in _SAVED)
    await conn.execute(
        _superseding("id = any($1::uuid[])") + f"""update organisations o
               set {assignments}, updated_at = now(), version_from = statement_timestamp()
              from unnest($1::uuid[], {typed}) as v(id, {", ".join(_SAVED)}) where o.id = v.id""", *columns)


def _stored(value):
    return value.value if isinstance(value, OrganisationKind) else value


async def all_organisations(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                            active: bool | None, as_of: date | None = None) -> list[Organisation]:
    """Every organisation the filters select, in the list's order (an export)."""
    args = _filters(municipalities, kind, active)
    source = _source(args, as_of)
    rows = await conn.fetch(f"select {_COLUMNS} from {source} where {_FILTERS} {order_by(ORGANISATION_ORDER)}", *args)
    return [_org(r) for r in rows]


async def organisation(conn: asyncpg.Connection, org_id: UUID, as_of: date | None = None) -> Organisation | None:
    """The organisation now, or as it was at the end of the day `as_of` (None if not registered by then)."""
    if as_of is None:
        row = await conn.fetchrow(f"select {_COLUMNS} from organisations where id = $1", org_id)
    else:
        row = await conn.fetchrow(f"select * from {_versions(2)} o where id = $1", org_id, end_of_day(as_of))
    return _org(row) if row else None


def _versions(parameter: int) -> str:
    """The versions open at the instant in parameter `$n`, shaped like `organisations` rows."""
    return f"""(select organisation_id as id, {_COLUMNS.split(", ", 1)[1]} from organisation_versions
                 where valid_from < ${parameter} and (valid_to is null or valid_to >= ${parameter}))"""


_ORDER_KEYS = (("municipality_oktmo", str), ("name", str), ("id", UUID))
ORGANISATION_ORDER = Ordering("organisations", _ORDER_KEYS)


def organisation_order(as_of: date | None) -> Ordering:
    """The list's ordering; a cursor names it, so a cursor of one date is refused for another (or for now)."""
    return ORGANISATION_ORDER if as_of is None else Ordering(f"organisations@{as_of.isoformat()}", _ORDER_KEYS)
_FILTERS = """($1::text[] is null or municipality_oktmo = any($1))
              and ($2::text is null or kind = $2)
              and ($3::bool is null or (closed_on is null) = $3)"""


def _filters(municipalities: Sequence[str] | None, kind: str | None, active: bool | None) -> list:
    return [list(municipalities) if municipalities else None, kind, active]


def _source(args: list, as_of: date | None) -> str:
    """`organisations`, or the versions open at the end of `as_of` (its instant appended to `args`)."""
    if as_of is None:
        return "organisations"
    args.append(end_of_day(as_of))
    return f"{_versions(len(args))} o"


async def organisations(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                        active: bool | None, limit: int, after: tuple | None = None,
                        as_of: date | None = None) -> list[Organisation]:
    """Up to `limit` organisations after the cursor's sort key, in ORGANISATION_ORDER (a keyset seek);
    with `as_of`, as they were at the end of that day."""
    args = _filters(municipalities, kind, active) + [limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(ORGANISATION_ORDER, len(args) + 1)}"
        args += list(after)
    source = _source(args, as_of)
    rows = await conn.fetch(
        f"select {_COLUMNS} from {source} where {_FILTERS} {seek} {order_by(ORGANISATION_ORDER)} limit $4", *args)
    return [_org(r) for r in rows]


async def count_organisations(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                              active: bool | None, as_of: date | None = None) -> int:
    args = _filters(municipalities, kind, active)
    source = _source(args, as_of)
    return await conn.fetchval(f"select count(*) from {source} where {_FILTERS}", *args)


async def parent_chain(conn: asyncpg.Connection, parent_ids: set[UUID]) -> dict[UUID, Link]:
    """The given organisations and all their ancestors (`union` stops at a cycle)."""
    rows = await conn.fetch(
        """with recursive chain as (
               select id, parent_id, municipality_oktmo, closed_on from organisations where id = any($1)
               union
               select o.id, o.parent_id, o.municipality_oktmo, o.closed_on
                 from organisations o join chain c on o.id = c.parent_id)
           select * from chain""", list(parent_ids))
    return {r["id"]: Link(r["id"], r["parent_id"], r["municipality_oktmo"], r["closed_on"] is None) for r in rows}
