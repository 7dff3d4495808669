"""The events service's app called in process on a module's own database (no lifespan: no broker), and a
seed of its projection of the registry (organisations and staff as the registry's events would bring them; rows
of organisations, bodies and events written straight into their tables where a test needs only those)."""
import contextlib
import uuid
from datetime import UTC, date, datetime, timedelta

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


def events_settings(infra, namespace, **overrides) -> EventsSettings:
    common = settings_for(infra, namespace, "events").model_dump()
    return EventsSettings(**{**common, **overrides})


@contextlib.asynccontextmanager
async def events_client(infra, namespace, facts=None, **overrides):
    """An httpx client of the events service; `client.pool` is its database. `facts` replaces the event facts
    that certificates, calendars and feedback read (facts.EventFacts); `overrides` are EventsSettings such as
    storage_dir."""
    settings = events_settings(infra, namespace, database_pool_max=20, **overrides)
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


async def organisation(pool, oktmo: str, active: bool = True) -> uuid.UUID:
    org = uuid.uuid4()
    await pool.execute("insert into registry_organisations (organisation_id, municipality_oktmo, kind, name, active,"
                       " version) values ($1, $2, 'school', 'Школа', $3, 1)", org, oktmo, active)
    return org


async def body(pool, level: str, oktmo: str | None = None, organisation_id: uuid.UUID | None = None) -> uuid.UUID:
    found = uuid.uuid4()
    await pool.execute("insert into registry_bodies (body_id, kind, level, municipality_oktmo, organisation_id, name)"
                       " values ($1, 'rmo', $2, $3, $4, 'РМО')", found, level, oktmo, organisation_id)
    return found


async def methodical_event(pool, organiser: uuid.UUID, oktmo: str | None) -> uuid.UUID:
    """A scheduled event row of an organisation (scheduling has its own tests; here only what materials need)."""
    event = uuid.uuid4()
    start = datetime.now(UTC) + timedelta(days=30)
    await pool.execute(
        """insert into methodical_events (id, form, title, level, organiser_organisation_id, municipality_oktmo,
                                          format, capacity, registration_opens, registration_closes, starts_at,
                                          ends_at, starts_key, hours, created_by)
           values ($1, 'seminar', 'Семинар', 'municipal', $2, $3, 'in_person', 30, $4, $5, $5, $6, $7, 4, 'test')""",
        event, organiser, oktmo, start - timedelta(days=20), start, start + timedelta(hours=4), start.isoformat())
    return event
