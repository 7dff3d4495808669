"""The registry's consumer of events.methodical.v1: a completed programme of 16 hours or more becomes one
course record (idempotent through the inbox and the course key); shorter ones and unknown persons do not."""
import uuid
from datetime import date, timedelta

import pytest

from metodset_contracts.methodical_events import CompletedWithHours
from metodset_kit.consumer import claim_new
from metodset_kit.events import new_event
from metodset_registry.consumers.events_courses import COMPLETED_PROGRAMMES
from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA

pytestmark = pytest.mark.integration


async def _apply(pool, events):
    async with pool.acquire() as conn, conn.transaction():
        fresh = await claim_new(conn, COMPLETED_PROGRAMMES.name, events)
        await COMPLETED_PROGRAMMES.apply(conn, fresh)


def _completed(person, org, hours, title="Семинар-практикум «Смысловое чтение»"):
    return new_event(CompletedWithHours(
        event_id=uuid.uuid4(), person_id=person, form="workshop", title=title, hours=hours, programme_hours=hours,
        start_date=date.today() - timedelta(days=3), end_date=date.today() - timedelta(days=1),
        organiser_organisation_id=org,
    ), source="urn:metodset:events", subject="event")


async def test_a_completed_programme_becomes_a_course_once(api, as_role):
    coordinator = as_role()
    org = (await api.post("/organisations", headers=coordinator, json={
        "name": "МБОУ СОШ семинары", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(9501)})).json()
    person = (await api.post("/persons", headers=coordinator, json={
        "lastName": "Кузнецова", "firstName": "Анна", "birthDate": "1980-03-01", "snils": snils(501)})).json()["id"]
    long_one = _completed(uuid.UUID(person), uuid.UUID(org["id"]), 18)
    short_one = _completed(uuid.UUID(person), uuid.UUID(org["id"]), 8, title="Вебинар")
    stranger = _completed(uuid.uuid4(), uuid.UUID(org["id"]), 24)
    await _apply(api.pool, [long_one, short_one, stranger])
    await _apply(api.pool, [long_one])  # a redelivery
    again = long_one.model_copy(update={"id": uuid.uuid4()})  # the same fact published twice
    await _apply(api.pool, [again])
    courses = (await api.get(f"/persons/{person}/courses", headers=coordinator)).json()
    items = courses["items"] if isinstance(courses, dict) else courses
    assert [(c["programme"], c["hours"], c["kind"]) for c in items] == [
        ("Семинар-практикум «Смысловое чтение»", 18, "UPGRADE")]
    rows = await api.pool.fetch("select recorded_by, provider_organisation_id from courses where person_id = $1",
                                uuid.UUID(person))
    assert [(r["recorded_by"], str(r["provider_organisation_id"])) for r in rows] == [("events", org["id"])]
