"""The events service's projection of the registry: applied by version, idempotent through the inbox."""
import uuid
from datetime import date

import pytest

from metodset_contracts.bodies import BodyClosed, BodyCreated, BodyLevel
from metodset_contracts.organisations import (
    MunicipalityRegistered,
    OrganisationClosed,
    OrganisationKind,
    OrganisationRegistered,
)
from metodset_contracts.staff import EmploymentChanged, EmploymentEnded, EmploymentStarted, PersonRegistered
from metodset_events.projection import (
    REGISTRY,
    apply_registry_events,
    current_employments,
    known_persons,
    municipality_name,
)
from metodset_kit.consumer import claim_new
from metodset_kit.events import new_event
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn

pytestmark = pytest.mark.integration

KALUGA, OBNINSK = "29701000", "29715000"


@pytest.fixture(scope="module")
async def pool(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "events"), "metodset_events")
    yield pool
    await pool.close()


def _ev(data):
    return new_event(data, source="urn:test", subject="x")


async def _apply(pool, events):
    async with pool.acquire() as conn, conn.transaction():
        fresh = await claim_new(conn, REGISTRY.name, events)
        await apply_registry_events(conn, [e for e in fresh if e.type in REGISTRY.handled_types])


def _employment(cls, emp, person, org, version, **kw):
    base = dict(employment_id=emp, person_id=person, version=version, organisation_id=org,
                municipality_oktmo=KALUGA, position="teacher", subjects=["mathematics"], rate=1.0, main=True,
                start_date=date(2020, 9, 1), birth_year=1980)
    return _ev(cls(**{**base, **kw}))


async def test_organisations_are_kept_by_version_and_closing_keeps_the_name(pool):
    org = uuid.uuid4()
    registered = _ev(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=KALUGA,
                                            kind=OrganisationKind.SCHOOL, name="Школа № 1", inn=legal_inn(1)))
    closed = _ev(OrganisationClosed(organisation_id=org, version=2, municipality_oktmo=KALUGA,
                                    kind=OrganisationKind.SCHOOL, closed_on=date(2026, 8, 31)))
    await _apply(pool, [closed])
    await _apply(pool, [registered, closed])  # the older one arrives late; the closing is a redelivery
    row = await pool.fetchrow("select * from registry_organisations where organisation_id = $1", org)
    assert (row["active"], row["version"], row["name"]) == (False, 2, None)
    await _apply(pool, [_ev(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=KALUGA,
                                                   kind=OrganisationKind.SCHOOL, name="Школа", inn=legal_inn(1)))])
    assert not await pool.fetchval("select active from registry_organisations where organisation_id = $1", org)


async def test_employments_follow_the_highest_version_in_and_across_batches(pool):
    person, emp, org, org2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    started = _employment(EmploymentStarted, emp, person, org, 1)
    moved = _employment(EmploymentChanged, emp, person, org2, 2, municipality_oktmo=OBNINSK,
                        subjects=["physics", "mathematics"], effective_date=date(2024, 1, 1), changed=["subjects"])
    await _apply(pool, [_ev(PersonRegistered(person_id=person, version=1, birth_year=1980,
                                             registered_municipality=KALUGA))])
    await _apply(pool, [moved, started])  # out of order in one batch
    async with pool.acquire() as conn:
        [row] = (await current_employments(conn, [person]))[person]
        assert (row["organisation_id"], row["municipality_oktmo"], row["subjects"]) == (
            org2, OBNINSK, ["physics", "mathematics"])
        assert await known_persons(conn, [person, uuid.uuid4()]) == {person}
    await _apply(pool, [started])  # a redelivery changes nothing
    ended = _employment(EmploymentEnded, emp, person, org2, 3, municipality_oktmo=OBNINSK,
                        end_date=date(2025, 6, 30))
    await _apply(pool, [ended])
    async with pool.acquire() as conn:
        assert (await current_employments(conn, [person]))[person] == []


async def test_bodies_are_created_and_closed(pool):
    body = uuid.uuid4()
    facts = dict(body_id=body, kind="municipal_methodical_council", level=BodyLevel.MUNICIPAL,
                 municipality_oktmo=KALUGA)
    await _apply(pool, [_ev(BodyCreated(**facts, name="ГМО учителей математики", created_on=date(2025, 9, 1)))])
    await _apply(pool, [_ev(BodyClosed(**facts, closed_on=date(2026, 6, 1)))])
    row = await pool.fetchrow("select * from registry_bodies where body_id = $1", body)
    assert (row["name"], row["active"], row["level"]) == ("ГМО учителей математики", False, "municipal")


async def test_an_organisation_projected_before_the_inn_was_kept_learns_it_from_the_same_version(pool):
    org = uuid.uuid4()
    await pool.execute("insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active,"
                       " version) values ($1, $2, 'school', 'Школа № 9', true, 1)", org, KALUGA)
    again = _ev(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=KALUGA,
                                       kind=OrganisationKind.SCHOOL, name="Школа № 9", inn=legal_inn(9)))
    await _apply(pool, [again])
    assert await pool.fetchval("select inn from registry_organisations where organisation_id = $1", org) == legal_inn(9)
    older = _ev(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=KALUGA,
                                       kind=OrganisationKind.SCHOOL, name="Школа № 9", inn=legal_inn(10)))
    await _apply(pool, [older])  # a known ИНН is not replaced by an event of the same version
    assert await pool.fetchval("select inn from registry_organisations where organisation_id = $1", org) == legal_inn(9)


async def test_municipalities_are_known_by_name_for_diplomas(pool):
    assert await _name(pool, "29609000") is None  # not announced: diplomas show the ОКТМО
    await _apply(pool, [_ev(MunicipalityRegistered(oktmo="29609000", name="Бабынинский район"))])
    assert await _name(pool, "29609000") == "Бабынинский район"
    assert await _name(pool, None) is None  # a regional stage has no municipality


async def _name(pool, oktmo):
    async with pool.acquire() as conn:
        return await municipality_name(conn, oktmo)
