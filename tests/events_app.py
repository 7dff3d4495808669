"""The events service's app called in process on a module's own database (no lifespan: no broker), and a
seed of its projection of the registry (organisations and staff as the registry's events would bring them)."""
import contextlib
import uuid
from datetime import date

import httpx

from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
from metodset_contracts.staff import EmploymentStarted, PersonRegistered
from metodset_events.app import SPEC, EventsSettings
from metodset_events.projection import apply_registry_events
from metodset_kit.events import new_event
from metodset_kit.service import create_app
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn

KALUGA, OBNINSK = "29701000", "29715000"


@contextlib.asynccontextmanager
async def events_client(infra, namespace, facts=None, **overrides):
    """An httpx client of the events service; `client.pool` is its database. `facts` replaces the event facts
    that certificates, calendars and feedback read (facts.EventFacts); `overrides` are EventsSettings."""
    base = settings_for(infra, namespace, "events", database_pool_max=20)
    settings = EventsSettings(**{**base.model_dump(), **overrides})
    pool = await migrated_pool(settings, "metodset_events")
    app = create_app(SPEC, settings)
    app.state.pool = pool
    if facts is not None:
        app.state.event_facts = facts
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://events") as http:
            http.pool = pool
            yield http
    finally:
        await pool.close()


def _ev(data):
    return new_event(data, source="urn:test", subject="seed")


async def seed_organisation(pool, municipality: str, n: int, kind=OrganisationKind.SCHOOL, name: str | None = None):
    org = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await apply_registry_events(conn, [_ev(OrganisationRegistered(
            organisation_id=org, version=1, municipality_oktmo=municipality, kind=kind, name=name or f"Школа № {n}",
            inn=legal_inn(n)))])
    return org


async def seed_staff(pool, organisation: uuid.UUID, municipality: str, count: int, position: str = "teacher",
                     subjects: tuple[str, ...] = ("mathematics",)) -> list[uuid.UUID]:
    persons = [uuid.uuid4() for _ in range(count)]
    events = []
    for p in persons:
        events.append(_ev(PersonRegistered(person_id=p, version=1, birth_year=1985,
                                           registered_municipality=municipality)))
        events.append(_ev(EmploymentStarted(
            employment_id=uuid.uuid4(), person_id=p, version=1, organisation_id=organisation,
            municipality_oktmo=municipality, position=position, subjects=list(subjects), rate=1.0, main=True,
            start_date=date(2020, 9, 1), birth_year=1985)))
    async with pool.acquire() as conn, conn.transaction():
        await apply_registry_events(conn, events)
    return persons
