"""Organisations holding a site status on a day (a municipality's sites), paged like the organisation list."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import asyncpg

from metodset_kit.pagination import Ordering, keyset_after, order_by

from ..domain.organisations import Organisation
from . import repository as repo

_WHERE = """($1::text[] is null or o.municipality_oktmo = any($1))
            and exists (select 1 from organisation_sites s where s.organisation_id = o.id
                          and ($2::text is null or s.kind = $2) and s.valid_from <= $3
                          and coalesce(s.ended_to, s.valid_to, $3) >= $3)"""


def order(as_of: date | None) -> Ordering:
    """A cursor names the day it was read for, as the organisation list's does."""
    return Ordering(f"sites@{(as_of or 'now')}", repo.ORGANISATION_ORDER.keys)


def _args(municipalities: Sequence[str] | None, kind: str | None, as_of: date | None) -> list:
    return [list(municipalities) if municipalities else None, kind, as_of or date.today()]


async def holders(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                  as_of: date | None, limit: int, after: tuple | None = None) -> list[Organisation]:
    args = _args(municipalities, kind, as_of) + [limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(repo.ORGANISATION_ORDER, len(args) + 1)}"
        args += list(after)
    rows = await conn.fetch(f"select {repo._COLUMNS} from {_source(args, as_of)} where {_WHERE} {seek} "
                            f"{order_by(repo.ORGANISATION_ORDER)} limit $4", *args)
    return [repo._org(r) for r in rows]


async def count_holders(conn: asyncpg.Connection, *, municipalities: Sequence[str] | None, kind: str | None,
                        as_of: date | None) -> int:
    args = _args(municipalities, kind, as_of)
    return await conn.fetchval(f"select count(*) from {_source(args, as_of)} where {_WHERE}", *args)


def _source(args: list, as_of: date | None) -> str:
    """The organisations now or as of a day (repository._source), under the name `o`."""
    return f"(select {repo._COLUMNS} from {repo._source(args, as_of)}) o"
