"""The table of issued documents (kit migration 007): issue once per kind, subject and holder, revoke, verify."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import anyio
import asyncpg

from .. import ids
from .codes import digest, new_code, normalise
from .pdf import DocumentSpec, render


@dataclass(frozen=True)
class Issued:
    id: str
    holder: str
    issued_at: datetime
    code: str | None  # the new code; None when the document was issued before (its code is on its PDF only)


_INSERT = """
insert into issued_documents (id, kind, subject, holder, code_digest, shows, pdf, issued_by)
values ($1, $2, $3, $4, $5, $6, $7, $8)
on conflict (kind, subject, holder) where revoked_at is null do nothing
returning id, issued_at
"""
_VALID = "kind = $1 and subject = $2 and holder = $3 and revoked_at is null"


async def issue(conn: asyncpg.Connection, *, kind: str, subject: str, holder: str, spec: DocumentSpec,
                url_for: Callable[[str], str], issued_by: str) -> Issued:
    """A new document with a new code, or the valid one already issued to the holder for this subject. The PDF is
    rendered in a worker thread (tens of milliseconds of CPU each: the event loop goes on serving)."""
    existing = await _valid(conn, kind, subject, holder)
    if existing is not None:
        return existing
    code = new_code()
    pdf = await anyio.to_thread.run_sync(render, spec, code, url_for(code))
    row = await conn.fetchrow(_INSERT, ids.uuid4(), kind, subject, holder, digest(code), spec.shows(), pdf,
                              issued_by)
    if row is not None:
        return Issued(str(row["id"]), holder, row["issued_at"], code)
    return await _valid(conn, kind, subject, holder)  # issued meanwhile by a concurrent request


async def _valid(conn: asyncpg.Connection, kind: str, subject: str, holder: str) -> Issued | None:
    row = await conn.fetchrow(f"select id, issued_at from issued_documents where {_VALID}", kind, subject, holder)
    return Issued(str(row["id"]), holder, row["issued_at"], None) if row else None


async def revoke(conn: asyncpg.Connection, *, kind: str, subject: str, holder: str, by: str, reason: str) -> bool:
    """Revoke the holder's valid document; False when there is none. A revoked code verifies as unknown."""
    done = await conn.execute(
        f"update issued_documents set revoked_at = now(), revoked_by = $4, revoke_reason = $5 where {_VALID}",
        kind, subject, holder, by, reason)
    return done != "UPDATE 0"


async def pdf_of(conn: asyncpg.Connection, *, kind: str, subject: str, holder: str) -> tuple[str, bytes] | None:
    """The id and PDF of the holder's valid document."""
    row = await conn.fetchrow(f"select id, pdf from issued_documents where {_VALID}", kind, subject, holder)
    return (str(row["id"]), bytes(row["pdf"])) if row else None


async def issued(conn: asyncpg.Connection, *, kind: str, subject: str) -> list[asyncpg.Record]:
    """Every document of a subject, revoked ones included (holder, issued_at, revoked_at)."""
    return await conn.fetch("select id, holder, issued_at, revoked_at from issued_documents"
                            " where kind = $1 and subject = $2 order by issued_at, holder", kind, subject)


async def find_valid(conn: asyncpg.Connection, kind: str | Sequence[str], typed: str) -> asyncpg.Record | None:
    """The valid document of a typed code (id, kind, shows, issued_at) of a kind (or one of several kinds), or
    None: unknown, revoked or malformed alike."""
    code = normalise(typed)
    if code is None:
        return None
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return await conn.fetchrow("select id, kind, shows, issued_at from issued_documents"
                               " where code_digest = $1 and kind = any($2) and revoked_at is null", digest(code), kinds)


async def valid_shows(conn: asyncpg.Connection, *, kind: str, subject: str) -> dict[str, dict]:
    """What each holder's valid document of a subject shows, by holder (to tell which ones no longer hold)."""
    rows = await conn.fetch("select holder, shows from issued_documents"
                            " where kind = $1 and subject = $2 and revoked_at is null", kind, subject)
    return {r["holder"]: r["shows"] for r in rows}
