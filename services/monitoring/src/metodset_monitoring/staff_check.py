"""Who may be named an assignee or a curator: a person working now (an employment fact of the registry's
topic), in the municipality of what they are named for, or anywhere in the region when the region names them."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from metodset_kit.errors import DomainError
from metodset_kit.scope import Principal

_WORKING = """
select exists (select 1 from facts where kind = 'employment' and person_id = $1
                  and coalesce(valid_from, '-infinity'::date) <= current_date
                  and (valid_to is null or valid_to >= current_date)
                  and ($2::text is null or municipality_oktmo = $2))
"""


async def ensure_working(conn: asyncpg.Connection, principal: Principal, person_id: UUID,
                         municipality: str | None, field: str) -> None:
    """A methodist names someone working in the municipality; the region names anyone working in the region."""
    within = None if principal.may_manage_region() else municipality
    if not await conn.fetchval(_WORKING, person_id, within):
        where = f"в муниципалитете {within}" if within else "в регионе"
        raise DomainError(field, f"Работник {person_id} не найден среди работающих {where}", "unknown")
