"""SQL access to methodical bodies, their members and compositions (migration 006)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.bodies import ApprovedMember, BodyLevel, MemberRole
from metodset_kit.pagination import Ordering, keyset_after, order_by

from ..domain.bodies import Body, Composition, Membership
from ..domain.periods import Period

_COLUMNS = ("id, name, kind, level, municipality_oktmo, organisation_id, subject, goal, term_start, term_end, "
            "created_on, closed_on")
BODY_ORDER = Ordering("bodies", (("name", str), ("id", UUID)))


def _body(row) -> Body:
    return Body(**{c: row[c] for c in _COLUMNS.split(", ") if c != "level"}, level=BodyLevel(row["level"]))


async def insert_body(conn: asyncpg.Connection, body: Body, by: str) -> None:
    await conn.execute(
        f"insert into bodies ({_COLUMNS}, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        body.id, body.name, body.kind, body.level.value, body.municipality_oktmo, body.organisation_id, body.subject,
        body.goal, body.term_start, body.term_end, body.created_on, body.closed_on, by)


async def body(conn: asyncpg.Connection, body_id: UUID, *, lock: bool = False) -> Body | None:
    row = await conn.fetchrow(f"select {_COLUMNS} from bodies where id = $1{' for update' if lock else ''}", body_id)
    return _body(row) if row else None


async def close_body(conn: asyncpg.Connection, body: Body) -> None:
    await conn.execute("update bodies set closed_on = $2, closed_at = now() where id = $1", body.id, body.closed_on)


async def find_body(conn: asyncpg.Connection, body: Body, started: date | None = None) -> Body | None:
    """The body an import row means: same owner, kind, name (any case) and subject; the working one, else one
    closed since that started on `started` (the row's start of work: an exported closed body imports back)."""
    row = await conn.fetchrow(
        f"""select {_COLUMNS} from bodies where (closed_on is null or created_on = $7) and level = $1
              and municipality_oktmo is not distinct from $2 and organisation_id is not distinct from $3
              and kind = $4 and lower(name) = lower($5) and subject is not distinct from $6
            order by closed_on is not null, closed_on desc limit 1""",
        body.level.value, body.municipality_oktmo, body.organisation_id, body.kind, body.name, body.subject, started)
    return _body(row) if row else None


_FILTERS = """($1::text[] is null or b.municipality_oktmo = any($1)
                 or b.organisation_id in (select id from organisations where municipality_oktmo = any($1)))
              and ($2::uuid is null or b.organisation_id = $2)
              and ($3::text is null or b.kind = $3)
              and ($4::text is null or b.level = $4)
              and ($5::date is null or b.created_on <= $5)
              and ($6::bool is null or (b.closed_on is null or ($5::date is not null and b.closed_on >= $5)) = $6)"""


def _filters(*, municipalities: Sequence[str] | None, organisation: UUID | None, kind: str | None,
             level: str | None, active: bool | None, as_of: date | None, day: date) -> list:
    """$1..$6 of _FILTERS, then the day the members are counted on ($7)."""
    return [list(municipalities) if municipalities else None, organisation, kind, level, as_of, active, day]


async def bodies(conn: asyncpg.Connection, *, limit: int, after: tuple | None = None,
                 **filters) -> list[tuple[Body, int]]:
    """Up to `limit` bodies after the cursor in BODY_ORDER, each with its number of members on the day."""
    args = _filters(**filters) + [limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(BODY_ORDER, len(args) + 1).replace('(name, id)', '(b.name, b.id)')}"
        args += list(after)
    rows = await conn.fetch(
        f"""select {', '.join('b.' + c for c in _COLUMNS.split(', '))},
                   (select count(*) from body_members m where m.body_id = b.id and m.valid_from <= $7
                      and (m.valid_to is null or m.valid_to >= $7)) as member_count
              from bodies b where {_FILTERS} {seek} {order_by(BODY_ORDER).replace('name, id', 'b.name, b.id')}
             limit $8""", *args)
    return [(_body(r), r["member_count"]) for r in rows]


async def count_bodies(conn: asyncpg.Connection, **filters) -> int:
    return await conn.fetchval(f"select count(*) from bodies b where {_FILTERS}", *_filters(**filters)[:6])


def _member(row) -> Membership:
    return Membership(id=row["id"], body_id=row["body_id"], person_id=row["person_id"], role=MemberRole(row["role"]),
                      period=Period(row["valid_from"], row["valid_to"]))


async def members(conn: asyncpg.Connection, body_id: UUID) -> list[Membership]:
    rows = await conn.fetch("select id, body_id, person_id, role, valid_from, valid_to from body_members "
                            "where body_id = $1 order by valid_from, created_at, id", body_id)
    return [_member(r) for r in rows]


async def insert_member(conn: asyncpg.Connection, member: Membership, by: str) -> None:
    await conn.execute("insert into body_members (id, body_id, person_id, role, valid_from, valid_to, added_by) "
                       "values ($1, $2, $3, $4, $5, $6, $7)", member.id, member.body_id, member.person_id,
                       member.role.value, member.period.start, member.period.end, by)


async def end_members(conn: asyncpg.Connection, left: Sequence[Membership]) -> None:
    await conn.executemany("update body_members set valid_to = $2, ended_at = now() where id = $1",
                           [(m.id, m.period.end) for m in left])


async def compositions(conn: asyncpg.Connection, body_id: UUID) -> list[Composition]:
    """In the order they were recorded (approved_on relies on it)."""
    rows = await conn.fetch(
        """select c.id, c.body_id, c.order_number, c.order_date, c.academic_year,
                  coalesce(array_agg(m.person_id order by m.position) filter (where m.person_id is not null),
                           '{}') as people,
                  coalesce(array_agg(m.role order by m.position) filter (where m.person_id is not null),
                           '{}') as roles
             from body_compositions c left join body_composition_members m on m.composition_id = c.id
            where c.body_id = $1 group by c.id order by c.seq""", body_id)
    return [Composition(id=r["id"], body_id=r["body_id"], order_number=r["order_number"], order_date=r["order_date"],
                        academic_year=r["academic_year"],
                        members=tuple(ApprovedMember(person_id=p, role=MemberRole(role))
                                      for p, role in zip(r["people"], r["roles"], strict=True)))
            for r in rows]


async def insert_composition(conn: asyncpg.Connection, composition: Composition, by: str) -> None:
    await conn.execute("insert into body_compositions (id, body_id, order_number, order_date, academic_year, "
                       "approved_by) values ($1, $2, $3, $4, $5, $6)", composition.id, composition.body_id,
                       composition.order_number, composition.order_date, composition.academic_year, by)
    await conn.executemany("insert into body_composition_members (composition_id, person_id, role, position) "
                           "values ($1, $2, $3, $4)",
                           [(composition.id, m.person_id, m.role.value, i)
                            for i, m in enumerate(composition.members)])


async def persons_by_snils(conn: asyncpg.Connection, snils: set[str]) -> dict[str, UUID]:
    rows = await conn.fetch("select id, snils from persons where snils = any($1)", list(snils))
    return {r["snils"]: r["id"] for r in rows}


async def full_names(conn: asyncpg.Connection, ids: set[UUID]) -> dict[UUID, str]:
    """Persons' full names: personal data, read only for a caller allowed to and audited by the caller."""
    rows = await conn.fetch("select id, concat_ws(' ', last_name, first_name, middle_name) as full_name "
                            "from persons where id = any($1)", list(ids))
    return {r["id"]: r["full_name"] for r in rows}


async def organisation_municipality(conn: asyncpg.Connection, org_id: UUID) -> tuple[str, bool] | None:
    """An organisation's municipality and whether it is working."""
    row = await conn.fetchrow("select municipality_oktmo, closed_on is null as active from organisations "
                              "where id = $1", org_id)
    return (row["municipality_oktmo"], row["active"]) if row else None


async def catalogue_items(conn: asyncpg.Connection, name: str) -> list[asyncpg.Record]:
    """A reference catalogue as the region keeps it (migration 005: the reference items and the region's own)."""
    return await conn.fetch("select code, title, extra from catalogue_items where catalogue = $1", name)


async def organisation_by_inn(conn: asyncpg.Connection, inn: str) -> UUID | None:
    return await conn.fetchval("select id from organisations where inn = $1 and closed_on is null", inn)


async def member_people(conn: asyncpg.Connection, ids: set[UUID]) -> dict[UUID, asyncpg.Record]:
    """Members' names, birth dates and СНИЛС for an export: personal data, audited by the caller."""
    rows = await conn.fetch("select id, last_name, first_name, middle_name, birth_date, snils from persons "
                            "where id = any($1)", list(ids))
    return {r["id"]: r for r in rows}


async def organisation_places(conn: asyncpg.Connection, ids: set[UUID]) -> dict[UUID, asyncpg.Record]:
    """Organisations' ИНН and municipality (who manages their bodies), for an export."""
    return {r["id"]: r for r in await conn.fetch("select id, inn, municipality_oktmo from organisations "
                                                 "where id = any($1)", list(ids))}


async def members_of_bodies(conn: asyncpg.Connection, body_ids: Sequence[UUID]) -> dict[UUID, list[Membership]]:
    rows = await conn.fetch("select id, body_id, person_id, role, valid_from, valid_to from body_members "
                            "where body_id = any($1) order by valid_from, created_at, id", list(body_ids))
    out: dict[UUID, list[Membership]] = {}
    for r in rows:
        out.setdefault(r["body_id"], []).append(_member(r))
    return out
