"""SQL access to support requests and their consultations."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from metodset_contracts.requests import RequestOutcome, RequestStatus
from metodset_kit.pagination import Ordering, keyset_after, order_by

from .domain.requests import Request

ORDER = Ordering("support_requests", (("id", UUID),))

_SELECT = """select r.*, o.name as organisation_name,
                    (select count(*) from consultations c where c.request_id = r.id) as consultation_count
               from support_requests r left join registry_organisations o on o.organisation_id = r.organisation_id"""


def _request(r) -> Request:
    return Request(id=r["id"], organisation_id=r["organisation_id"], municipality_oktmo=r["municipality_oktmo"],
                   topic=r["topic"], asked=r["asked"], subject=r["subject"], declared_at=r["declared_at"],
                   status=RequestStatus(r["status"]), methodist_id=r["methodist_id"], assigned_at=r["assigned_at"],
                   first_consulted_at=r["first_consulted_at"], closed_at=r["closed_at"],
                   outcome=RequestOutcome(r["outcome"]) if r["outcome"] else None, outcome_text=r["outcome_text"],
                   rating=r["rating"], consultations=r["consultation_count"])


@dataclass(frozen=True)
class Found:
    request: Request
    organisation_name: str | None


async def request(conn: asyncpg.Connection, request_id: UUID, *, lock: bool = False) -> Found | None:
    if lock:
        await conn.execute("select 1 from support_requests where id = $1 for update", request_id)
    row = await conn.fetchrow(f"{_SELECT} where r.id = $1", request_id)
    return Found(_request(row), row["organisation_name"]) if row else None


async def insert(conn: asyncpg.Connection, r: Request, by: str) -> None:
    await conn.execute(
        "insert into support_requests (id, organisation_id, municipality_oktmo, topic, asked, subject, declared_at, "
        "declared_by) values ($1, $2, $3, $4, $5, $6, $7, $8)", r.id, r.organisation_id, r.municipality_oktmo,
        r.topic, r.asked, r.subject, r.declared_at, by)


async def save(conn: asyncpg.Connection, r: Request) -> None:
    await conn.execute(
        """update support_requests set status = $2, methodist_id = $3, assigned_at = $4, first_consulted_at = $5,
                  closed_at = $6, outcome = $7, outcome_text = $8, rating = $9, updated_at = now() where id = $1""",
        r.id, r.status.value, r.methodist_id, r.assigned_at, r.first_consulted_at, r.closed_at,
        r.outcome.value if r.outcome else None, r.outcome_text, r.rating)


async def add_consultation(conn: asyncpg.Connection, consultation_id: UUID, request_id: UUID, data, methodist_id,
                           by: str) -> None:
    await conn.execute(
        "insert into consultations (id, request_id, form, held_on, minutes, participants, notes, methodist_id, "
        "recorded_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)", consultation_id, request_id, data.form.value,
        data.held_on, data.minutes, data.participants, data.notes, methodist_id, by)


async def consultations(conn: asyncpg.Connection, request_ids: Sequence[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    rows = await conn.fetch("select * from consultations where request_id = any($1) order by held_on, recorded_at",
                            list(request_ids))
    out: dict[UUID, list] = {}
    for r in rows:
        out.setdefault(r["request_id"], []).append(r)
    return out


@dataclass(frozen=True)
class RequestFilter:
    municipality: str | None = None
    organisation: UUID | None = None
    status: RequestStatus | None = None
    declared_from: datetime | None = None
    declared_to: datetime | None = None

    def args(self) -> list:
        return [self.municipality, self.organisation, self.status.value if self.status else None,
                self.declared_from, self.declared_to]


_WHERE = """($1::text is null or r.municipality_oktmo = $1)
        and ($2::uuid is null or r.organisation_id = $2)
        and ($3::text is null or r.status = $3)
        and ($4::timestamptz is null or r.declared_at >= $4)
        and ($5::timestamptz is null or r.declared_at < $5)"""


async def page(conn: asyncpg.Connection, f: RequestFilter, limit: int, after: tuple | None) -> list[Found]:
    args = [*f.args(), limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(ORDER, len(args) + 1)}"
        args += list(after)
    rows = await conn.fetch(f"{_SELECT} where {_WHERE} {seek} {order_by(ORDER)} limit $6", *args)
    return [Found(_request(r), r["organisation_name"]) for r in rows]


async def count(conn: asyncpg.Connection, f: RequestFilter) -> int:
    return await conn.fetchval(f"select count(*) from support_requests r where {_WHERE}", *f.args())


async def all_of(conn: asyncpg.Connection, f: RequestFilter) -> list[Request]:
    rows = await conn.fetch(f"{_SELECT} where {_WHERE}", *f.args())
    return [_request(r) for r in rows]
