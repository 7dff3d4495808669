"""SQL of methodical events: events, sessions, quotas, registrations, attendance, notices."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import asyncpg

from metodset_kit.pagination import Ordering, keyset_after, order_by

ORDER = Ordering("methodical_events", (("starts_key", str), ("id", UUID)))
REGISTRATION_ORDER = Ordering("event_registrations", (("arrival", int),))
LIVE = ("pending", "confirmed", "waitlisted")
HELD = ("pending", "confirmed")

_EVENT_COLUMNS = (
    "id", "form", "title", "topic", "level", "organiser_organisation_id", "organiser_body_id", "municipality_oktmo",
    "audience_positions", "audience_subjects", "audience_municipalities", "format", "place", "capacity",
    "registration_opens", "registration_closes", "requires_approval", "attendance_percent", "starts_at", "ends_at",
    "starts_key", "hours", "created_by",
)


async def insert_event(conn: asyncpg.Connection, row: dict, sessions: Sequence[dict], quotas: dict[str, int]) -> None:
    cols = ", ".join(_EVENT_COLUMNS)
    params = ", ".join(f"${i + 1}" for i in range(len(_EVENT_COLUMNS)))
    await conn.execute(f"insert into methodical_events ({cols}) values ({params})", *(row[c] for c in _EVENT_COLUMNS))
    await replace_sessions(conn, row["id"], sessions)
    await replace_quotas(conn, row["id"], quotas)


async def replace_sessions(conn: asyncpg.Connection, event_id: UUID, sessions: Sequence[dict]) -> None:
    await conn.execute("delete from event_sessions where event_id = $1", event_id)
    await conn.executemany(
        "insert into event_sessions (id, event_id, position, starts_at, ends_at, hours, check_in_code)"
        " values ($1, $2, $3, $4, $5, $6, $7)",
        [(s["id"], event_id, i + 1, s["starts_at"], s["ends_at"], s["hours"], s["check_in_code"])
         for i, s in enumerate(sessions)])


async def replace_quotas(conn: asyncpg.Connection, event_id: UUID, quotas: dict[str, int]) -> None:
    await conn.execute("delete from event_quotas where event_id = $1", event_id)
    await conn.executemany("insert into event_quotas (event_id, municipality_oktmo, places) values ($1, $2, $3)",
                           [(event_id, m, p) for m, p in quotas.items()])


async def update_event(conn: asyncpg.Connection, event_id: UUID, changes: dict) -> None:
    sets = ", ".join(f"{c} = ${i + 2}" for i, c in enumerate(changes))
    await conn.execute(f"update methodical_events set {sets}, version = version + 1, updated_at = now()"
                       " where id = $1", event_id, *changes.values())


async def event(conn: asyncpg.Connection, event_id: UUID, *, lock: bool = False) -> asyncpg.Record | None:
    """The event row; `lock` holds it for the transaction (registrations of one event queue up here)."""
    return await conn.fetchrow("select * from methodical_events where id = $1" + (" for update" if lock else ""),
                               event_id)


async def sessions_of(conn: asyncpg.Connection, event_ids: Sequence[UUID]) -> dict[UUID, list[asyncpg.Record]]:
    rows = await conn.fetch("select * from event_sessions where event_id = any($1::uuid[]) order by event_id, position",
                            list(event_ids))
    out: dict[UUID, list[asyncpg.Record]] = {e: [] for e in event_ids}
    for r in rows:
        out[r["event_id"]].append(r)
    return out


async def session(conn: asyncpg.Connection, session_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("select * from event_sessions where id = $1", session_id)


async def quotas_of(conn: asyncpg.Connection, event_ids: Sequence[UUID]) -> dict[UUID, dict[str, int]]:
    rows = await conn.fetch("select * from event_quotas where event_id = any($1::uuid[]) order by municipality_oktmo",
                            list(event_ids))
    out: dict[UUID, dict[str, int]] = {e: {} for e in event_ids}
    for r in rows:
        out[r["event_id"]][r["municipality_oktmo"]] = r["places"]
    return out


@dataclass(frozen=True)
class Counts:
    held: int = 0  # confirmed and pending: places taken
    waiting: int = 0


async def counts(conn: asyncpg.Connection, event_ids: Sequence[UUID]) -> dict[UUID, Counts]:
    rows = await conn.fetch(
        "select event_id, count(*) filter (where status = any($2::text[])) held,"
        " count(*) filter (where status = 'waitlisted') waiting"
        " from event_registrations where event_id = any($1::uuid[]) group by event_id", list(event_ids), list(HELD))
    found = {r["event_id"]: Counts(r["held"], r["waiting"]) for r in rows}
    return {e: found.get(e, Counts()) for e in event_ids}


@dataclass
class Standing:
    """An event's live registrations at a glance, kept up to date in memory under the event's lock."""

    held: int = 0
    waiting: int = 0
    used: dict = field(default_factory=dict)  # municipality → live registrations (the quota's count)

    def take(self, municipality: str | None, status: str) -> None:
        self.used[municipality] = self.used.get(municipality, 0) + 1
        if status == "waitlisted":
            self.waiting += 1
        else:
            self.held += 1


async def standing(conn: asyncpg.Connection, event_id: UUID) -> Standing:
    rows = await conn.fetch("select municipality_oktmo, status, count(*) n from event_registrations where event_id = $1"
                            " and status = any($2::text[]) group by 1, 2", event_id, list(LIVE))
    s = Standing()
    for r in rows:
        s.used[r["municipality_oktmo"]] = s.used.get(r["municipality_oktmo"], 0) + r["n"]
        if r["status"] == "waitlisted":
            s.waiting += r["n"]
        else:
            s.held += r["n"]
    return s


async def quota_usage(conn: asyncpg.Connection, event_id: UUID) -> dict[str, int]:
    rows = await conn.fetch("select municipality_oktmo, count(*) n from event_registrations where event_id = $1"
                            " and status = any($2::text[]) group by municipality_oktmo", event_id, list(LIVE))
    return {r["municipality_oktmo"]: r["n"] for r in rows}


async def registrations_of(conn: asyncpg.Connection, event_id: UUID,
                           person_ids: Sequence[UUID] | None = None) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch("select * from event_registrations where event_id = $1"
                            " and ($2::uuid[] is null or person_id = any($2::uuid[])) order by arrival",
                            event_id, None if person_ids is None else list(person_ids))
    return {r["person_id"]: r for r in rows}


# the participant's valid certificate of this event, if one was issued (kit documents; kind as in certificates.py)
_CERTIFICATE = ("select d.issued_at from issued_documents d where d.kind = 'certificate'"
                " and d.subject = r.event_id::text and d.holder = r.person_id::text and d.revoked_at is null")


async def registration_page(conn: asyncpg.Connection, event_id: UUID, scope: tuple[str | None, UUID | None] | None,
                            limit: int, seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    """A page of the event's registrations in arrival order; `scope` (municipality, organisation) narrows it to
    those of the caller's reach (None: all)."""
    where = "event_id = $1" + ("" if scope is None else
                               " and (municipality_oktmo = $2 or organisation_id = $3)")
    args = [event_id] if scope is None else [event_id, *scope]
    total = await conn.fetchval(f"select count(*) from event_registrations where {where}", *args)
    after = f" and {keyset_after(REGISTRATION_ORDER, len(args) + 1)}" if seek else ""
    rows = await conn.fetch(f"select r.*, ({_CERTIFICATE}) certificate_issued_at from event_registrations r"
                            f" where {where}{after} {order_by(REGISTRATION_ORDER)} limit {int(limit) + 1}",
                            *args, *(seek or ()))
    return list(rows), total


async def upsert_registration(conn: asyncpg.Connection, row: dict) -> asyncpg.Record:
    """A new registration, or a cancelled one made live again: it queues anew (a new arrival number)."""
    return await conn.fetchrow(
        "insert into event_registrations (id, event_id, person_id, municipality_oktmo, organisation_id, status,"
        " arrival, registered_by) values ($1, $2, $3, $4, $5, $6, nextval('event_registration_arrival'), $7)"
        " on conflict (event_id, person_id) do update set municipality_oktmo = excluded.municipality_oktmo,"
        " organisation_id = excluded.organisation_id, status = excluded.status, arrival = excluded.arrival,"
        " registered_by = excluded.registered_by, registered_at = now(), changed_at = now()"
        " returning *",
        row["id"], row["event_id"], row["person_id"], row["municipality_oktmo"], row["organisation_id"],
        row["status"], row["registered_by"])


async def waiting_position(conn: asyncpg.Connection, event_id: UUID, arrival: int) -> int:
    return await conn.fetchval("select count(*) from event_registrations where event_id = $1"
                               " and status = 'waitlisted' and arrival <= $2", event_id, arrival)


async def waiting(conn: asyncpg.Connection, event_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("select * from event_registrations where event_id = $1 and status = 'waitlisted'"
                            " order by arrival", event_id)


async def set_status(conn: asyncpg.Connection, registration_ids: Sequence[UUID], status: str) -> None:
    await conn.execute("update event_registrations set status = $2, changed_at = now() where id = any($1::uuid[])",
                       list(registration_ids), status)


async def live_registrations(conn: asyncpg.Connection, event_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("select * from event_registrations where event_id = $1 and status = any($2::text[])"
                            " order by arrival", event_id, list(LIVE))


async def add_notices(conn: asyncpg.Connection, registrations: Sequence[asyncpg.Record], kind: str,
                      message: str) -> None:
    await conn.executemany(
        "insert into event_notices (registration_id, event_id, person_id, kind, message) values ($1, $2, $3, $4, $5)",
        [(r["id"], r["event_id"], r["person_id"], kind, message) for r in registrations])


async def mark_attended(conn: asyncpg.Connection, session_id: UUID, event_id: UUID, person_ids: Sequence[UUID],
                        method: str, by: str) -> list[UUID]:
    """Marks the persons present; returns those not marked before."""
    rows = await conn.fetch(
        "insert into event_attendance (session_id, person_id, event_id, method, marked_by)"
        " select $1, unnest($2::uuid[]), $3, $4, $5 on conflict do nothing returning person_id",
        session_id, list(person_ids), event_id, method, by)
    return [r["person_id"] for r in rows]


async def credit_hours(conn: asyncpg.Connection, event_id: UUID, person_ids: Sequence[UUID]) -> None:
    await conn.execute(
        "update event_registrations r set hours = coalesce((select sum(s.hours) from event_attendance a"
        " join event_sessions s on s.id = a.session_id where a.event_id = r.event_id and a.person_id = r.person_id),"
        " 0) where r.event_id = $1 and r.person_id = any($2::uuid[])", event_id, list(person_ids))


async def not_completed(conn: asyncpg.Connection, event_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("select * from event_registrations where event_id = $1 and status = 'confirmed'"
                            " and completed_at is null order by arrival", event_id)


async def mark_completed(conn: asyncpg.Connection, registration_ids: Sequence[UUID]) -> None:
    await conn.execute("update event_registrations set completed_at = now() where id = any($1::uuid[])",
                       list(registration_ids))


async def completed_participants(conn: asyncpg.Connection, event_id: UUID) -> list[tuple[UUID, int]]:
    """(person id, credited hours) of everyone who met the event's attendance rule, in arrival order."""
    rows = await conn.fetch("select person_id, hours from event_registrations where event_id = $1"
                            " and completed_at is not null order by arrival", event_id)
    return [(r["person_id"], r["hours"]) for r in rows]


@dataclass(frozen=True)
class EventFilter:
    starts_from: date | None = None
    to: date | None = None
    municipality: str | None = None
    level: str | None = None
    form: str | None = None
    organiser_id: UUID | None = None


_WHERE = """
 ($1::date is null or ends_at >= $1::date)
 and ($2::date is null or starts_at < ($2::date + 1))
 and ($3::text is null or municipality_oktmo = $3 or $3 = any(audience_municipalities)
      or (level in ('regional', 'federal') and cardinality(audience_municipalities) = 0))
 and ($4::text is null or level = $4) and ($5::text is null or form = $5)
 and ($6::uuid is null or organiser_organisation_id = $6 or organiser_body_id = $6)
"""


async def list_events(conn: asyncpg.Connection, f: EventFilter, limit: int,
                      seek: tuple | None) -> tuple[list[asyncpg.Record], int]:
    args = [f.starts_from, f.to, f.municipality, f.level, f.form, f.organiser_id]
    total = await conn.fetchval(f"select count(*) from methodical_events where {_WHERE}", *args)
    after = f" and {keyset_after(ORDER, 7)}" if seek else ""
    rows = await conn.fetch(f"select * from methodical_events where {_WHERE}{after} {order_by(ORDER)}"
                            f" limit {int(limit) + 1}", *args, *(seek or ()))
    return list(rows), total


async def notices_of_person(conn: asyncpg.Connection, person_id: UUID, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch("select * from event_notices where person_id = $1 order by id desc limit $2",
                            person_id, limit)


async def events_of_person(conn: asyncpg.Connection, person_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "select r.*, e.title, e.form, e.level, e.starts_at, e.ends_at, e.hours programme_hours,"
        " e.status event_status from event_registrations r join methodical_events e on e.id = r.event_id"
        " where r.person_id = $1 order by e.starts_at, e.id", person_id)
