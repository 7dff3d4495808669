"""Names for reports and charts: municipalities by ОКТМО and organisations by id, as the registry announced
them (public directory data). A subject whose name is not known yet is shown by its code."""
from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import asyncpg


def _ids(subjects: Iterable[str]) -> list[UUID]:
    out = []
    for s in subjects:
        try:
            out.append(UUID(s))
        except ValueError:
            continue
    return out


async def names(conn: asyncpg.Connection, subjects: Iterable[str]) -> dict[str, str]:
    subjects = {s for s in subjects if s}
    if not subjects:
        return {}
    rows = await conn.fetch(
        "select oktmo as subject, name from municipality_names where oktmo = any($1::text[]) "
        "union all select organisation_id::text, name from organisation_facts "
        "where organisation_id = any($2::uuid[]) and name is not null", list(subjects), _ids(subjects))
    return {r["subject"]: r["name"] for r in rows}
