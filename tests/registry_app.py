"""The registry's app called in process on a module's own database (no lifespan: no broker needed), with the
municipalities of Kaluga and Obninsk created — the fixture the registry's integration tests share."""
import contextlib

import httpx

from metodset_kit.scope import Principal, Role
from metodset_kit.service import create_app
from metodset_registry.app import SPEC
from metodset_registry.organisations import handlers
from metodset_registry.organisations.schemas import MunicipalityCreate
from tests.conftest import migrated_pool, settings_for, token

KALUGA, OBNINSK = "29701000", "29715000"


@contextlib.asynccontextmanager
async def registry_client(infra, namespace, **headers):
    """An httpx client of the registry; `client.pool` is its database for checks behind the API."""
    settings = settings_for(infra, namespace, "registry")
    pool = await migrated_pool(settings, "metodset_registry")
    coordinator = Principal("coordinator", Role.REGIONAL_COORDINATOR)
    for oktmo, name in ((KALUGA, "Калуга"), (OBNINSK, "Обнинск")):
        await handlers.create_municipality(pool, coordinator, MunicipalityCreate(oktmo=oktmo, name=name))
    app = create_app(SPEC, settings)
    app.state.pool = pool
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry",
                                     headers=headers) as http:
            http.pool = pool
            yield http
    finally:
        await pool.close()


def bearer(infra, role: str = "regional_coordinator", **scope) -> dict:
    return {"Authorization": f"Bearer {token(infra, role, **scope)}"}
