"""Registry use cases on the real database: concurrent writers meet the database's constraints."""
import asyncio

import pytest

from metodset_contracts.organisations import OrganisationKind
from metodset_kit.errors import Conflict
from metodset_kit.scope import Principal, Role
from metodset_registry import handlers
from metodset_registry.schemas import MunicipalityCreate, OrganisationCreate
from tests.conftest import migrated_pool, settings_for

pytestmark = pytest.mark.integration
COORDINATOR = Principal("coordinator", Role.REGIONAL_COORDINATOR)


@pytest.fixture
async def pool(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "registry"), "metodset_registry")
    try:
        await handlers.create_municipality(pool, COORDINATOR, MunicipalityCreate(oktmo="29701000", name="Калуга"))
    except Conflict:
        pass  # created for an earlier test of this module
    yield pool
    await pool.close()


async def test_two_concurrent_registrations_of_one_inn_give_one_organisation_and_a_conflict(pool):
    row = OrganisationCreate(name="МБОУ СОШ № 1", kind=OrganisationKind.SCHOOL, municipality_oktmo="29701000",
                             inn="7707083893")
    results = await asyncio.gather(*(handlers.register_organisations(pool, COORDINATOR, [row]) for _ in range(4)),
                                   return_exceptions=True)
    assert sum(isinstance(r, list) for r in results) == 1
    conflicts = [r for r in results if not isinstance(r, list)]
    assert all(isinstance(c, Conflict) and c.field == "inn" for c in conflicts)
    assert await pool.fetchval("select count(*) from organisations") == 1
    assert await pool.fetchval("select count(*) from outbox") == 1
