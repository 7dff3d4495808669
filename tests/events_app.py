"""The events service's app called in process on a module's own database (no lifespan: no broker needed), with
a projection of the registry written straight into its tables: the fixture the events integration tests share."""
import contextlib
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from metodset_events.app import SPEC, EventsSettings
from metodset_kit.service import create_app
from tests.conftest import migrated_pool, settings_for

KALUGA, OBNINSK = "29701000", "29715000"


def events_settings(infra, namespace, **overrides) -> EventsSettings:
    common = settings_for(infra, namespace, "events").model_dump()
    return EventsSettings(**{**common, **overrides})


@contextlib.asynccontextmanager
async def events_client(infra, namespace, **overrides):
    """An httpx client of the events service; `client.pool` is its database for checks behind the API."""
    settings = events_settings(infra, namespace, **overrides)
    pool = await migrated_pool(settings, "metodset_events")
    app = create_app(SPEC, settings)
    app.state.pool = pool
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://events") as http:
            http.pool = pool
            yield http
    finally:
        await pool.close()


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


async def methodical_event(pool, oktmo: str | None) -> uuid.UUID:
    """A scheduled event row (the events module's own API builds them; here only what materials need)."""
    event = uuid.uuid4()
    start = datetime.now(UTC) + timedelta(days=30)
    await pool.execute(
        """insert into methodical_events (id, form, title, level, organiser_organisation_id, municipality_oktmo,
                                          format, capacity, registration_opens, registration_closes, starts_at,
                                          ends_at, starts_key, hours, created_by)
           values ($1, 'seminar', 'Семинар', 'municipal', $2, $3, 'in_person', 30, $4, $5, $5, $6, $7, 4, 'test')""",
        event, uuid.uuid4(), oktmo, start - timedelta(days=20), start, start + timedelta(hours=4), start.isoformat())
    return event
