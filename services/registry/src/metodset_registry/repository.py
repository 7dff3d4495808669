"""SQL access to the registry's own tables."""
from __future__ import annotations

import operator
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from metodset_contracts.organisations import OrganisationKind
from metodset_kit.pagination import Ordering, keyset_after, order_by

from .domain.organisations import Link, Organisation

_DETAILS = ("ogrn", "address", "phone", "email", "website",  # optional text columns of migration 002
            "parent_id", "successor_id")  # migration 003
_COLUMNS = f"id, name, short_name, kind, municipality_oktmo, inn, version, closed_on, {', '.join(_DETAILS)}"


def _org(row) -> Organisation:
    return Organisation(id=row["id"], name=row["name"], short_name=row["short_name"],
                        kind=OrganisationKind(row["kind"]), municipality_oktmo=row["municipality_oktmo"],
                        inn=row["inn"], version=row["version"], closed_on=row["closed_on"],
                        **{c: row[c] for c in _DETAILS})


async def add_municipality(conn: asyncpg.Connection, oktmo: str, name: str) -> bool:
    status = await conn.execute(
        "insert into municipalities (oktmo, name) values ($1, $2) on conflict do nothing", oktmo, name)
    return status.endswith(" 1")


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


_ROW = operator.attrgetter(*_COLUMNS.split(", "))  # kind is a str enum: its value is what is stored


async def insert_organisations(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> None:
    await conn.copy_records_to_table("organisations", columns=_COLUMNS.split(", "), records=map(_ROW, orgs))


async def organisation_for_update(conn: asyncpg.Connection, org_id: UUID) -> Organisation | None:
    row = await conn.fetchrow(f"select {_COLUMNS} from organisations where id = $1 for update", org_id)
    return _org(row) if row else None


async def save(conn: asyncpg.Connection, org: Organisation) -> None:
    await conn.execute(
        """update organisations set name = $2, short_name = $3, kind = $4, municipality_oktmo = $5, inn = $6,
                  version = $7, closed_on = $8, ogrn = $9, address = $10, phone = $11, email = $12,
                  website = $13, parent_id = $14, successor_id = $15, updated_at = now() where id = $1""",
        org.id, org.name, org.short_name, org.kind.value, org.municipality_oktmo, org.inn, org.version, org.closed_on,
        *(getattr(org, c) for c in _DETAILS))


async def organisation(conn: asyncpg.Connection, org_id: UUID) -> Organisation | None:
    row = await conn.fetchrow(f"select {_COLUMNS} from organisations where id = $1", org_id)
    return _org(row) if row else None


ORGANISATION_ORDER = Ordering("organisations", (("municipality_oktmo", str), ("name", str), ("id", UUID)))
_FILTERS = """($1::text[] is null or municipality_oktmo = any($1))
              and ($2::text is null or kind = $2)
              and ($3::bool is null or (closed_on is null) = $3)"""


def _filters(municipalities: Sequence[str] | None, kind: str | None, active: bool | None) -> list:
    return [list(municipalities) if municipalities else None, kind, active]


async def organisations(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                        active: bool | None, limit: int, after: tuple | None = None) -> list[Organisation]:
    """Up to `limit` organisations after the cursor's sort key, in ORGANISATION_ORDER (a keyset seek)."""
    args = _filters(municipalities, kind, active) + [limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(ORGANISATION_ORDER, len(args) + 1)}"
        args += list(after)
    rows = await conn.fetch(
        f"select {_COLUMNS} from organisations where {_FILTERS} {seek} {order_by(ORGANISATION_ORDER)} limit $4",
        *args)
    return [_org(r) for r in rows]


async def count_organisations(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                              active: bool | None) -> int:
    return await conn.fetchval(f"select count(*) from organisations where {_FILTERS}",
                               *_filters(municipalities, kind, active))


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
