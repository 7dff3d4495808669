"""kit.consumer.combined: one consumer for several projections hands each part its own events, in order."""
import asyncio
import uuid

from metodset_contracts import event_type
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC, REQUESTS_TOPIC, TOPICS
from metodset_contracts.organisations import OrganisationClosed
from metodset_kit.consumer import Projection, combined
from metodset_kit.events import new_event
from tests.factories import registered_event as _registered


def _closed():
    return new_event(OrganisationClosed(organisation_id=uuid.uuid4(), version=2, municipality_oktmo="29701000",
                                        kind="school", closed_on="2026-01-01"), source="urn:test", subject="x")


def _recording(name: str, topics: list[str], types: set[str], seen: dict) -> Projection:
    async def apply(conn, events):
        assert conn == "tx"
        seen.setdefault(name, []).append([e.id for e in events])
    return Projection(name=name, topics=topics, apply=apply, handled_types=types)


def test_each_part_gets_only_its_types_in_order_and_none_when_it_has_none():
    seen: dict = {}
    closed_type = event_type(OrganisationClosed).type
    everything = _recording("all", [ORGANISATIONS_TOPIC], set(), seen)  # empty: every type on its topics
    closing = _recording("closing", [ORGANISATIONS_TOPIC], {closed_type}, seen)
    requests = _recording("requests", [REQUESTS_TOPIC], set(), seen)
    one = combined("svc.projections", [everything, closing, requests])
    events = [_registered(1), _closed(), _registered(2)]

    asyncio.run(one.apply("tx", events))

    assert seen == {"all": [[e.id for e in events]], "closing": [[events[1].id]]}
    assert one.name == "svc.projections"
    assert one.topics == sorted({ORGANISATIONS_TOPIC, REQUESTS_TOPIC})
    assert one.handled_types == {t.type for topic in (ORGANISATIONS_TOPIC, REQUESTS_TOPIC) for t in TOPICS[topic]}


def test_the_monitoring_consumer_covers_what_its_three_projections_did():
    from metodset_monitoring.consumer import CONSUMER
    from metodset_monitoring.facts_projection import FACTS
    from metodset_monitoring.projection import MUNICIPALITY_NAMES
    from metodset_monitoring.support.projection import SUPPORT_CASES

    parts = (MUNICIPALITY_NAMES, FACTS, SUPPORT_CASES)
    assert CONSUMER.handled_types == set().union(*(p.handled_types for p in parts))
    assert set(CONSUMER.topics) == {t for p in parts for t in p.topics}


def test_a_patient_projection_waits_longer_for_a_fetch_and_a_combined_one_as_its_least_patient_part():
    from dataclasses import replace

    from metodset_kit.consumer import fetch_wait_ms
    from metodset_kit.settings import ServiceSettings
    from metodset_registry.consumers.events_courses import COMPLETED_PROGRAMMES

    base = {"service_name": "registry", "database_url": "postgresql://u@db:5432/postgres",
            "kafka_bootstrap_servers": "k1:9092", "jwt_jwks_file": "/etc/metodset/jwks.json"}
    quick = ServiceSettings(**base, consumer_fetch_max_wait_ms=50)
    slow = ServiceSettings(**base, consumer_fetch_max_wait_ms=5000)
    watched = _recording("watched", [ORGANISATIONS_TOPIC], set(), {})
    patient = replace(watched, name="patient", patience_ms=1000)

    assert fetch_wait_ms(watched, quick) == 50
    assert fetch_wait_ms(patient, quick) == 1000
    assert fetch_wait_ms(patient, slow) == 5000  # a longer configured wait wins
    assert fetch_wait_ms(combined("both", [patient, watched]), quick) == 50
    assert fetch_wait_ms(combined("both", [patient, patient]), quick) == 1000
    assert fetch_wait_ms(COMPLETED_PROGRAMMES, quick) == 1000
