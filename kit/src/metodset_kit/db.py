"""asyncpg pool, database creation and versioned SQL migrations."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg

from .settings import ServiceSettings, database_of, with_database

MIGRATION_LOCK = 7_311_000_001
_NAME = re.compile(r"^(\d{3,})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migrations_in(component: str, package: str) -> list[Migration]:
    """Migrations shipped as `NNN_name.sql` files in a package's `migrations` folder."""
    folder: Traversable = resources.files(package).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(component, int(match[1]), match[2], entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


class RawJson(bytes):
    """JSON already encoded: written to a jsonb column as it is (one request's events share their headers)."""


def _jsonb_encode(value) -> bytes:
    if isinstance(value, RawJson):
        return b"\x01" + value
    return b"\x01" + json.dumps(value).encode()  # jsonb's binary format: version 1, then the text


def _jsonb_decode(data: bytes):
    return json.loads(data[1:])


async def inserted_plainly(conn: asyncpg.Connection, sql: str, *args) -> bool:
    """Run an insert of rows that are new but for rare exceptions (a redelivery, events out of order) in a
    savepoint, without `on conflict`: that clause makes every row a speculative insertion, which costs
    PostgreSQL half as much again per row. False when a row was there already: the savepoint is undone, the
    transaction goes on, and the caller inserts again with the clause."""
    return await _all_new(conn, lambda: conn.execute(sql, *args))


async def copied_plainly(conn: asyncpg.Connection, table: str, columns: Sequence[str], records: Iterable) -> bool:
    """`inserted_plainly` with COPY: rows given as tuples, no arrays to build and unnest (a consumer's inbox
    and facts: 1–5 µs a row less for PostgreSQL than `insert ... select unnest(...)`)."""
    return await _all_new(conn, lambda: conn.copy_records_to_table(table, columns=columns, records=records))


async def _all_new(conn: asyncpg.Connection, write: Callable[[], Awaitable]) -> bool:
    try:
        async with conn.transaction():
            await write()
    except asyncpg.UniqueViolationError:
        return False
    return True


async def _init_connection(conn: asyncpg.Connection) -> None:
    # binary, so that jsonb columns can also be written with COPY (asyncpg's COPY is binary only)
    await conn.set_type_codec("jsonb", encoder=_jsonb_encode, decoder=_jsonb_decode, schema="pg_catalog",
                              format="binary")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def ensure_database(url: str) -> None:
    """Create the database named in `url` when it is missing (development and tests)."""
    name = database_of(url)
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        exists = await conn.fetchval("select 1 from pg_database where datname = $1", name)
        if not exists:
            try:
                await conn.execute(f'create database "{name}"')
            except asyncpg.DuplicateDatabaseError:
                pass
    finally:
        await conn.close()


async def create_pool(settings: ServiceSettings) -> asyncpg.Pool:
    if settings.database_create:
        await ensure_database(settings.dsn)
    return await pool_at(settings.dsn, settings.database_pool_min, settings.database_pool_max)


async def pool_at(dsn: str, min_size: int = 1, max_size: int = 4) -> asyncpg.Pool:
    """A pool whose connections read and write json/jsonb as the services do (tools use it too)."""
    return await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size, init=_init_connection)


async def migrate(pool: asyncpg.Pool, migrations: list[Migration]) -> list[Migration]:
    """Apply the migrations not yet applied, in order, each in its own transaction.

    An advisory lock keeps replicas starting together from applying the same migration twice; an
    applied migration whose text changed stops the start, since the database no longer matches it.
    """
    applied_now = []
    async with pool.acquire() as conn:
        await conn.execute("select pg_advisory_lock($1)", MIGRATION_LOCK)
        try:
            await conn.execute(
                """create table if not exists schema_migrations (
                       component text not null, version int not null, name text not null,
                       checksum text not null, applied_at timestamptz not null default now(),
                       primary key (component, version))"""
            )
            done = {
                (r["component"], r["version"]): r["checksum"]
                for r in await conn.fetch("select component, version, checksum from schema_migrations")
            }
            for m in migrations:
                key = (m.component, m.version)
                if key in done:
                    if done[key] != m.checksum:
                        raise RuntimeError(f"migration {m.component}/{m.version}_{m.name} changed after it was applied")
                    continue
                async with conn.transaction():
                    await conn.execute(m.sql)
                    await conn.execute(
                        "insert into schema_migrations (component, version, name, checksum) values ($1, $2, $3, $4)",
                        m.component, m.version, m.name, m.checksum,
                    )
                applied_now.append(m)
        finally:
            await conn.execute("select pg_advisory_unlock($1)", MIGRATION_LOCK)
    return applied_now
