"""Materials of events, methodical bodies and practices: files kept in the service's storage (type told by
the content, size limited) and links (http/https only).

Who attaches: a practice's managers (practices.py); a body's and an event's, those who may organise events in
the body's name or manage the event (domain.access.may_manage, the rule of scheduling: the coordinator; the
municipality's methodist; the organisation's administrator). Who reads: an event's materials are public like
the event; a body's and a practice's, anyone authenticated."""
from __future__ import annotations

import uuid
from uuid import UUID

import asyncpg

from metodset_kit.errors import DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal
from metodset_kit.storage import FileType, Storage

from . import competition_entries, organisers, practices, projection
from . import repository as events_repository
from .domain import practices as practice_rules
from .domain.access import may_manage
from .practices_schemas import MaterialOwner, MaterialPublic

REFUSED = "Прикреплять материалы могут только те, кто ведёт это мероприятие, объединение или практику"


def public(row: asyncpg.Record) -> MaterialPublic:
    is_file = row["sha256"] is not None
    return MaterialPublic(id=row["id"], owner=MaterialOwner(row["owner_kind"]), owner_id=row["owner_id"],
                          title=row["title"], kind="file" if is_file else "link",
                          url=f"/materials/{row['id']}/file" if is_file else row["url"], file_type=row["file_type"],
                          file_name=row["file_name"], size_bytes=row["size_bytes"], sha256=row["sha256"],
                          added_at=row["added_at"])


def missing(material_id: UUID) -> NotFound:
    return NotFound("id", f"Материал {material_id} не найден", where="path")


def _unknown(kind: str, owner_id: UUID) -> DomainError:
    return DomainError("ownerId", f"{kind} {owner_id} не найдено", "unknown")


async def _body_manager(conn: asyncpg.Connection, principal: Principal, body_id: UUID) -> bool:
    """A body's managers are those who could organise events in its name (domain.access.may_manage)."""
    if await projection.body(conn, body_id) is None:
        raise _unknown("Объединение", body_id)
    try:
        organiser, _ = await organisers.resolve(conn, body_id)
    except DomainError as exc:  # a closed body
        raise DomainError("ownerId", exc.message, exc.code) from None
    return may_manage(principal, organiser)


async def may_attach(conn: asyncpg.Connection, principal: Principal, owner: MaterialOwner, owner_id: UUID) -> bool:
    if owner is MaterialOwner.ENTRY:
        return await competition_entries.may_attach(conn, principal, owner_id)
    if owner is MaterialOwner.PRACTICE:
        row = await practices.practice_row(conn, owner_id)
        return practice_rules.may_manage(principal, row["municipality_oktmo"])
    if owner is MaterialOwner.BODY:
        return await _body_manager(conn, principal, owner_id)
    event = await events_repository.event(conn, owner_id)
    if event is None:
        raise _unknown("Мероприятие", owner_id)
    return await organisers.manages(conn, principal, event)


def may_read(principal: Principal | None, owner: MaterialOwner) -> bool:
    return owner is MaterialOwner.EVENT or principal is not None


_INSERT = """insert into materials (id, owner_kind, owner_id, title, url, sha256, file_type, file_name, size_bytes,
                                    added_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *"""


async def _insert(pool: asyncpg.Pool, principal: Principal, owner: MaterialOwner, owner_id: UUID, title: str,
                  **content) -> MaterialPublic:
    async with pool.acquire() as conn, conn.transaction():
        if not await may_attach(conn, principal, owner, owner_id):
            raise Forbidden(REFUSED)
        row = await conn.fetchrow(_INSERT, uuid.uuid4(), owner.value, owner_id, title, content.get("url"),
                                  content.get("sha256"), content.get("file_type"), content.get("file_name"),
                                  content.get("size_bytes"), principal.subject)
        return public(row)


async def add_link(pool: asyncpg.Pool, principal: Principal, owner: MaterialOwner, owner_id: UUID, title: str,
                   url: str) -> MaterialPublic:
    return await _insert(pool, principal, owner, owner_id, title, url=url)


def file_name(given: str | None, kind: FileType, sha256: str) -> str:
    """The name the file is downloaded under: the given name's stem with the extension of its real type."""
    stem = (given or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip()
    stem = "".join(c for c in stem if c.isprintable())[:150] or sha256[:12]
    return f"{stem}.{kind.extension}"


async def add_file(pool: asyncpg.Pool, storage: Storage, principal: Principal, owner: MaterialOwner,
                   owner_id: UUID, title: str, data: bytes, kind: FileType, given_name: str | None) -> MaterialPublic:
    async with pool.acquire() as conn:  # refused before the file is written
        if not await may_attach(conn, principal, owner, owner_id):
            raise Forbidden(REFUSED)
    sha256 = await storage.put(data)
    return await _insert(pool, principal, owner, owner_id, title, sha256=sha256, file_type=kind.code,
                         file_name=file_name(given_name, kind, sha256), size_bytes=len(data))


async def of_owner(pool: asyncpg.Pool, principal: Principal | None, owner: MaterialOwner,
                   owner_id: UUID) -> list[MaterialPublic]:
    if not may_read(principal, owner):
        return []
    if owner is MaterialOwner.ENTRY:
        async with pool.acquire() as conn:  # an entry outside the caller's scope answers as missing
            await competition_entries.visible_entry(conn, principal, owner_id)
    rows = await pool.fetch("select * from materials where owner_kind = $1 and owner_id = $2 order by added_at, id",
                            owner.value, owner_id)
    return [public(r) for r in rows]


async def downloadable(pool: asyncpg.Pool, principal: Principal | None, material_id: UUID) -> asyncpg.Record:
    """A stored file the caller may read; anything else (a link, another's scope) answers as missing."""
    row = await pool.fetchrow("select * from materials where id = $1", material_id)
    if row is None or row["sha256"] is None or not may_read(principal, MaterialOwner(row["owner_kind"])):
        raise missing(material_id)
    if row["owner_kind"] == MaterialOwner.ENTRY:
        async with pool.acquire() as conn:
            try:
                await competition_entries.visible_entry(conn, principal, row["owner_id"])
            except NotFound:
                raise missing(material_id) from None
    return row
