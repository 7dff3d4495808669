"""Registry use cases on the real database: concurrent writers meet the database's constraints."""
import asyncio
import json
from datetime import date

import asyncpg
import pytest

from metodset_contracts import event_type
from metodset_contracts.organisations import MunicipalityRegistered, OrganisationKind
from metodset_kit.errors import Conflict, DomainError, RowsRejected
from metodset_kit.scope import Principal, Role
from metodset_registry.organisations import handlers
from metodset_registry.organisations.schemas import MunicipalityCreate, OrganisationCreate
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn

pytestmark = pytest.mark.integration
COORDINATOR = Principal("coordinator", Role.REGIONAL_COORDINATOR)
MUNICIPALITY = event_type(MunicipalityRegistered).type


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
    assert await pool.fetchval("select count(*) from outbox where event_type <> $1", MUNICIPALITY) == 1


async def test_an_organisation_admin_changing_kind_and_inn_is_refused_and_nothing_is_written(pool):
    row = OrganisationCreate(name="МБОУ СОШ № 2", kind=OrganisationKind.SCHOOL, municipality_oktmo="29701000",
                             inn="7736207543")
    [org] = await handlers.register_organisations(pool, COORDINATOR, [row])
    admin = Principal("admin", Role.ORGANISATION_ADMIN, organisation=str(org.id))
    events = await pool.fetchval("select count(*) from outbox")
    with pytest.raises(handlers.Forbidden) as refused:
        await handlers.update_organisation(pool, admin, org.id, {"kind": OrganisationKind.REGIONAL_INSTITUTE,
                                                                 "inn": "7702070139", "phone": "8 4842 00 00 00"})
    assert str(refused.value) == "Администратор организации не может изменять поля: вид организации, ИНН"
    assert [d["loc"] for d in refused.value.as_details()] == [["body", "kind"], ["body", "inn"]]
    assert await pool.fetchval("select (kind, inn, phone) from organisations where id = $1", org.id) == \
        ("school", "7736207543", None)
    assert await pool.fetchval("select count(*) from outbox") == events


async def test_a_closing_date_of_9999_does_not_close_the_organisation(pool):
    row = OrganisationCreate(name="МБОУ СОШ № 3", kind=OrganisationKind.SCHOOL, municipality_oktmo="29701000",
                             inn="7702070139")
    [org] = await handlers.register_organisations(pool, COORDINATOR, [row])
    with pytest.raises(DomainError) as refused:
        await handlers.close_organisation(pool, COORDINATOR, org.id, date(9999, 12, 31))
    assert refused.value.field == "closedOn" and refused.value.status_code == 422
    assert await pool.fetchval("select closed_on from organisations where id = $1", org.id) is None


async def test_a_municipality_is_announced_with_its_creation_and_older_ones_once_at_start(pool):
    await handlers.create_municipality(pool, COORDINATOR, MunicipalityCreate(oktmo="29705000", name="Жуковский район"))
    rows = await pool.fetch("select key, value from outbox where event_type = $1 and key = '29705000'", MUNICIPALITY)
    assert [(r["key"], json.loads(r["value"])["data"]) for r in rows] == [
        ("29705000", {"oktmo": "29705000", "name": "Жуковский район"})]
    # as if created before the event existed: announced at the next start, once
    await pool.execute("insert into municipalities (oktmo, name) values ('29708000', 'Износковский район') "
                       "on conflict (oktmo) do update set announced = false")
    assert await handlers.announce_municipalities(pool) >= 1
    assert await handlers.announce_municipalities(pool) == 0
    older = await pool.fetchval("select count(*) from outbox where event_type = $1 and key = '29708000'", MUNICIPALITY)
    assert older == 1
    with pytest.raises(Conflict):  # a second creation announces nothing
        await handlers.create_municipality(pool, COORDINATOR, MunicipalityCreate(oktmo="29705000", name="Другое"))
    assert await pool.fetchval("select count(*) from outbox where key = '29705000'") == 1


async def test_an_unknown_municipality_is_refused_by_row_and_a_municipality_is_never_deleted(pool):
    """The municipality is checked by every write path (no foreign key re-checks it): a batch names the row,
    an update names the field, nothing is written, and the database keeps every municipality."""
    rows = [OrganisationCreate(name=f"МБОУ СОШ № {n}", kind=OrganisationKind.SCHOOL, municipality_oktmo=oktmo,
                               inn=legal_inn(n)) for n, oktmo in ((4, "29701000"), (5, "29999000"))]
    before = await pool.fetchval("select count(*) from organisations")
    with pytest.raises(RowsRejected) as refused:
        await handlers.register_organisations(pool, COORDINATOR, rows)
    assert [(d["loc"], d["type"]) for d in refused.value.details] == [(["body", 1, "municipalityOktmo"], "unknown")]
    assert await pool.fetchval("select count(*) from organisations") == before
    [org] = await handlers.register_organisations(pool, COORDINATOR, rows[:1])
    with pytest.raises(DomainError) as moved:
        await handlers.update_organisation(pool, COORDINATOR, org.id, {"municipality_oktmo": "29999000"})
    assert moved.value.field == "municipalityOktmo"
    assert await pool.fetchval("select municipality_oktmo from organisations where id = $1", org.id) == "29701000"
    for statement in ("delete from municipalities where oktmo = '29701000'",
                      "update municipalities set oktmo = '29702000' where oktmo = '29701000'"):
        with pytest.raises(asyncpg.RestrictViolationError):
            await pool.execute(statement)
    await pool.execute("update municipalities set name = 'Калуга' where oktmo = '29701000'")  # a name may change
