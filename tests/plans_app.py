"""The events service's app called in process on a module's own database (no lifespan: no broker), with
organisations put straight into its registry projection — the fixture of the plans' and requests' tests."""
import contextlib
import uuid

import httpx

from metodset_events.app import SPEC
from metodset_kit.service import create_app
from tests.conftest import migrated_pool, settings_for

KALUGA, OBNINSK = "29701000", "29715000"


@contextlib.asynccontextmanager
async def events_client(infra, namespace):
    settings = settings_for(infra, namespace, "events")
    pool = await migrated_pool(settings, "metodset_events")
    app = create_app(SPEC, settings)
    app.state.pool = pool
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://events") as http:
            http.pool = pool
            yield http
    finally:
        await pool.close()


async def organisation(pool, oktmo: str = KALUGA, name: str = "МБОУ СОШ № 1", kind: str = "school") -> str:
    """An organisation as the registry projection would hold it."""
    org = uuid.uuid4()
    await pool.execute("insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active, "
                       "version) values ($1, $2, $3, $4, true, 1)", org, oktmo, kind, name)
    return str(org)


async def person(pool, oktmo: str = KALUGA) -> str:
    """A person as the registry projection would hold it (ids only)."""
    pid = uuid.uuid4()
    await pool.execute("insert into registry_persons (person_id, registered_municipality, version) values ($1, $2, 1)",
                       pid, oktmo)
    return str(pid)
