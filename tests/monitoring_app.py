"""The monitoring service's app called in process on a module's own database (no lifespan: no broker), and a
seed of its projection of the registry's organisations."""
import contextlib
import uuid

import httpx

from metodset_kit.service import create_app
from metodset_monitoring.app import SPEC, MonitoringSettings
from tests.conftest import migrated_pool, settings_for

KALUGA, OBNINSK = "29701000", "29715000"


@contextlib.asynccontextmanager
async def monitoring_client(infra, namespace):
    """An httpx client of the monitoring service; `client.pool` is its database, `client.settings` its settings."""
    common = settings_for(infra, namespace, "monitoring").model_dump()
    settings = MonitoringSettings(**common)
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


async def school(pool, oktmo: str = KALUGA) -> uuid.UUID:
    """An organisation as monitoring's projection of the registry holds it."""
    org = uuid.uuid4()
    await pool.execute("insert into organisation_facts (organisation_id, municipality_oktmo, kind, active, version) "
                       "values ($1, $2, 'school', true, 1)", org, oktmo)
    return org
