"""The monitoring service's app called in process on a module's own database (no lifespan: no broker), and a
seed of its projection of the registry's organisations (organisation_facts, as registry.organisations.v1 brings
them)."""
import contextlib
import itertools
import uuid

import httpx

from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
from metodset_kit.events import new_event
from metodset_kit.service import create_app
from metodset_monitoring.app import SPEC, MonitoringSettings
from metodset_monitoring.facts_projection import apply_fact_events
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn

KALUGA, OBNINSK = "29701000", "29715000"
_n = itertools.count(1)



def monitoring_settings(infra, namespace, **overrides) -> MonitoringSettings:
    common = settings_for(infra, namespace, "monitoring").model_dump()
    return MonitoringSettings(**{**common, **overrides})


@contextlib.asynccontextmanager
async def monitoring_client(infra, namespace, **overrides):
    """An httpx client of the monitoring service; `client.pool` is its database, `client.settings` its settings."""
    settings = monitoring_settings(infra, namespace, database_pool_max=10, **overrides)
    pool = await migrated_pool(settings, "metodset_monitoring")
    app = create_app(SPEC, settings)
    app.state.pool = pool
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://monitoring") as http:
            http.pool = pool
            http.settings = settings
            yield http
    finally:
        await pool.close()


async def seed_organisation(pool, oktmo: str = KALUGA, kind: OrganisationKind = OrganisationKind.SCHOOL) -> str:
    org, n = uuid.uuid4(), next(_n)
    event = new_event(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=oktmo, kind=kind,
                                             name=f"Школа № {n}", inn=legal_inn(n + 61_000)),
                      source="urn:test", subject="seed")
    async with pool.acquire() as conn, conn.transaction():
        await apply_fact_events(conn, [event])
    return str(org)


async def school(pool, oktmo: str = KALUGA) -> uuid.UUID:
    """An organisation as monitoring's projection of the registry holds it."""
    org = uuid.uuid4()
    await pool.execute("insert into facts (kind, record_id, organisation_id, municipality_oktmo, attrs, version) "
                       "values ('organisation', $1::uuid::text, $1::uuid, $2, "
                       "'{\"kind\": \"school\", \"status\": \"active\"}', 1)", org, oktmo)
    return org


async def working(pool, oktmo: str = KALUGA, organisation: uuid.UUID | None = None) -> str:
    """A person employed now in the municipality, as monitoring's facts hold them (an assignee, a curator)."""
    person = uuid.uuid4()
    await pool.execute(
        "insert into facts (kind, record_id, organisation_id, municipality_oktmo, person_id, valid_from, attrs, "
        "version) values ('employment', $1, $2, $3, $4, '2015-09-01', '{\"main\": \"true\"}'::jsonb, 1)",
        str(uuid.uuid4()), organisation or uuid.uuid4(), oktmo, person)
    return str(person)
