"""`make bench`: monitoring's full recomputation (replay) of a large region next to raw consumption of the
same topics, and the latency from a source event to the changed indicator value at a steady rate.

A region as the generator would make it at scale (BENCH_SCALE=1: 1,500 organisations, 30,000 staff,
100,000 course records, 5,000 methodical events with their registrations and credited hours) is produced to
the topics. Raw: an aiokafka consumer group reads them all back. Replay: `replay.rebuild` from the topics
(parse, inbox, facts, then every indicator for three years). Latency: a live consumer (the kit's) and the
recomputation loop over the replayed facts, events sent at a steady BENCH_RATE per second; an event's latency
runs from its send to the commit of the first recomputation round that claimed its batch's marks.

Olympiad results reach monitoring as their stages' protocols (tallies per organisation, never a pupil), the
admissions to the next stage and the appeals: 300,000 school-stage results of 24 subjects in every
municipality are 720 protocols with a tally per school, plus the municipal stages' protocols, 30,000
admissions and 3,000 appeals. Figures only; nothing here asserts a speed."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker

from metodset_contracts import event_type
from metodset_contracts import olympiads as ol
from metodset_contracts.courses import CourseCompleted, CourseKind
from metodset_contracts.methodical_events import (
    CompletedWithHours,
    EventFormat,
    EventLevel,
    EventScheduled,
    RegistrationConfirmed,
    SessionFacts,
)
from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
from metodset_contracts.staff import EmploymentStarted
from metodset_kit import logging as log
from metodset_kit.consumer import subscribe
from metodset_kit.events import outgoing
from metodset_monitoring import replay
from metodset_monitoring.compute import seed_catalogue
from metodset_monitoring.consumer import CONSUMER
from metodset_monitoring.recomputer import Recomputer
from metodset_tools.devstack import Infrastructure, free_port
from tests.bench.baselines import percentile
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RATE = int(os.environ.get("BENCH_RATE", "200"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
TODAY = date.today()


def _out(data, key):
    return outgoing(data, source="urn:bench", subject="bench", key=key)


def region(rng: random.Random):
    """(topic, key, value) of a whole region, and the persons with their organisations for the live part."""
    orgs, persons, out = [], [], []
    n_orgs, per_org = int(1500 * SCALE), 20
    for i in range(n_orgs):
        oktmo = f"2970{i % 30:04d}"
        org = uuid.uuid4()
        orgs.append((org, oktmo))
        out.append(_out(OrganisationRegistered(organisation_id=org, version=1, municipality_oktmo=oktmo,
                                               kind=OrganisationKind.SCHOOL, name=f"Школа {i}", inn=legal_inn(i + 1)),
                        str(org)))
        for _ in range(per_org):
            person = uuid.uuid4()
            persons.append((person, org, oktmo))
            out.append(_out(EmploymentStarted(
                employment_id=uuid.uuid4(), person_id=person, version=1, organisation_id=org,
                municipality_oktmo=oktmo, position="teacher", subjects=["mathematics"], rate=1.0, main=True,
                start_date=date(2010 + rng.randrange(15), 9, 1), birth_year=1960 + rng.randrange(40)), str(person)))
    for _ in range(int(100_000 * SCALE)):
        person = rng.choice(persons)[0]
        out.append(_course(person, TODAY - timedelta(days=rng.randrange(5 * 365))))
    for e in range(int(5000 * SCALE)):
        org, oktmo = rng.choice(orgs)
        event, start = uuid.uuid4(), TODAY - timedelta(days=rng.randrange(3 * 365))
        at = dt.datetime(start.year, start.month, start.day, 10, tzinfo=dt.UTC)
        out.append(_out(EventScheduled(
            event_id=event, version=1, form="seminar", title=f"Семинар {e}", level=EventLevel.MUNICIPAL,
            organiser_organisation_id=org, municipality_oktmo=oktmo, format=EventFormat.IN_PERSON, capacity=30,
            sessions=[SessionFacts(session_id=uuid.uuid4(), starts_at=at, ends_at=at + timedelta(hours=2), hours=2)],
            hours=2), str(event)))
        for person, porg, poktmo in rng.sample(persons, 10):
            out.append(_out(RegistrationConfirmed(registration_id=uuid.uuid4(), event_id=event, person_id=person,
                                                  municipality_oktmo=poktmo, organisation_id=porg), str(event)))
            out.append(_out(CompletedWithHours(event_id=event, person_id=person, form="seminar", title="Семинар",
                                               hours=2, programme_hours=2, start_date=start, end_date=start),
                            str(event)))
    out += olympiad(rng, orgs, int(300_000 * SCALE))
    return out, persons


SUBJECTS = ["mathematics", "russian", "physics", "chemistry", "biology", "informatics", "history", "literature",
            "english", "geography", "social_studies", "economics", "law", "ecology", "astronomy", "art",
            "technology", "physical_education", "safety", "german", "french", "chinese", "spanish", "italian"]


def olympiad(rng: random.Random, orgs, results: int):
    """The school and municipal stages of this year: protocols with tallies per school, admissions, appeals."""
    by_muni: dict[str, list[uuid.UUID]] = {}
    for org, oktmo in orgs:
        by_muni.setdefault(oktmo, []).append(org)
    year = TODAY.year if TODAY.month >= 9 else TODAY.year - 1
    per_stage = max(1, results // (len(by_muni) * len(SUBJECTS)))
    out, admitted = [], 0
    for oktmo, schools in by_muni.items():
        for subject in SUBJECTS:
            school_stage, municipal = uuid.uuid4(), uuid.uuid4()
            for stage_id, level in ((school_stage, ol.OlympiadStageLevel.SCHOOL),
                                    (municipal, ol.OlympiadStageLevel.MUNICIPAL)):
                facts = dict(stage_id=stage_id, year=year, subject=subject, stage=level, municipality_oktmo=oktmo)
                out.append(_out(ol.OlympiadStageOpened(**facts, grades=[7, 8, 9, 10, 11]), str(stage_id)))
                n = per_stage if level is ol.OlympiadStageLevel.SCHOOL else per_stage // 10
                out.append(_out(ol.OlympiadProtocolPublished(
                    **facts, protocol_version=1, participants=n, winners=n // 20, prize_winners=n // 5,
                    organisations=_tallies(rng, schools, oktmo, n)), str(stage_id)))
            facts = dict(stage_id=municipal, year=year, subject=subject, stage=ol.OlympiadStageLevel.MUNICIPAL,
                         municipality_oktmo=oktmo)
            for i in range(per_stage // 10):
                admitted += 1
                out.append(_out(ol.OlympiadAdmitted(**facts, participant_code=f"P{admitted:07d}",
                                                    from_stage_id=school_stage, grade=7 + i % 5, score=30.0,
                                                    reason=ol.AdmissionReason.PASSING_SCORE), str(municipal)))
                if i % 10 == 0:
                    out.append(_out(ol.OlympiadAppealResolved(
                        **{**facts, "stage_id": school_stage, "stage": ol.OlympiadStageLevel.SCHOOL},
                        participant_code=f"P{admitted:07d}", grade=7 + i % 5, previous_score=28.0, score=31.0,
                        status=ol.OlympiadStatus.PARTICIPANT), str(school_stage)))
    return out


def _tallies(rng: random.Random, schools, oktmo: str, n: int) -> list[ol.OlympiadOrganisationTally]:
    counts = [0] * len(schools)
    for _ in range(n):
        counts[rng.randrange(len(schools))] += 1
    return [ol.OlympiadOrganisationTally(organisation_id=org, municipality_oktmo=oktmo, participants=c,
                                         winners=c // 20, prize_winners=c // 5)
            for org, c in zip(schools, counts, strict=True) if c]


def _course(person, end):
    return _out(CourseCompleted(course_id=uuid.uuid4(), person_id=person, kind=CourseKind.UPGRADE, programme="ПК",
                                hours=36, start_date=end - timedelta(days=14), end_date=end), str(person))


async def produce(bootstrap: str, namespace: str, events) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20, max_batch_size=512 * 1024)
    await producer.start()
    try:
        futures = [await producer.send(f"{namespace}.{event_type(e.type).topic}", e.value, key=e.key.encode())
                   for e in events]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def raw_consume(bootstrap: str, namespace: str, n: int) -> float:
    consumer = AIOKafkaConsumer(*[f"{namespace}.{t}" for t in replay.TOPICS], bootstrap_servers=bootstrap,
                                group_id=f"bench-{uuid.uuid4().hex}", auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    started, seen = time.perf_counter(), 0
    try:
        while seen < n:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            seen += sum(len(v) for v in batch.values())
            await consumer.commit()
    finally:
        await consumer.stop()
    return n / (time.perf_counter() - started)


class TimedRecomputer(Recomputer):
    """Records (claimed at, committed at) of every round that recomputed something."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.rounds_at: list[tuple[float, float]] = []

    async def run_once(self):
        claimed = time.time()
        changes = await super().run_once()
        if changes is not None and self.rounds > len(self.rounds_at):
            self.rounds_at.append((claimed, time.time()))
        return changes


async def live(infra, namespace: str, pool, persons, rng) -> list[float]:
    live_ns = f"{namespace}live"
    settings = settings_for(infra, live_ns, "monitoring")
    broker = KafkaBroker(infra.bootstrap_servers, logger=logging.getLogger("faststream.access.kafka"),
                         log_level=logging.DEBUG)
    subscribe(broker, lambda: pool, CONSUMER, settings)
    recomputer = TimedRecomputer(pool, interval=0.05)
    loop = asyncio.create_task(recomputer.run())
    producer = AIOKafkaProducer(bootstrap_servers=infra.bootstrap_servers, acks="all", linger_ms=0)
    await producer.start()
    from metodset_kit import kafka

    await kafka.ensure_topics(settings, [settings.topic(t) for t in CONSUMER.topics])
    await broker.start()
    sent: dict[uuid.UUID, float] = {}
    try:
        await asyncio.sleep(3)  # the consumer group settles
        every = 1 / RATE
        started = time.perf_counter()
        for i in range(RATE * SECONDS):
            e = _course(rng.choice(persons)[0], TODAY - timedelta(days=1))
            sent[e.id] = time.time()
            await producer.send(f"{live_ns}.{event_type(e.type).topic}", e.value, key=e.key.encode())
            await asyncio.sleep(max(0.0, started + (i + 1) * every - time.perf_counter()))
        for _ in range(600):
            got = await pool.fetchval("select count(*) from inbox where consumer = $1 and event_id = any($2)",
                                      CONSUMER.name, list(sent))
            if got == len(sent) and not await pool.fetchval("select count(*) from facts_dirty"):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1)
    finally:
        await producer.stop()
        await broker.stop()
        recomputer.stopped.set()
        await loop
    received = {r["event_id"]: r["received_at"].timestamp() for r in await pool.fetch(
        "select event_id, received_at from inbox where consumer = $1 and event_id = any($2)", CONSUMER.name,
        list(sent))}
    out = []
    for eid, at in received.items():
        done = next((c for s, c in recomputer.rounds_at if s > at), None)
        if done is not None:
            out.append((done - sent[eid]) * 1000)
    return sorted(out)


async def main() -> None:
    log.configure("monitoring-bench", "WARNING")  # figures only: not a line per recomputation round
    rng = random.Random(2026)
    data = Path(tempfile.mkdtemp(prefix="metodset-bench-mon-"))
    infra = Infrastructure(data, kafka_port=free_port()).start()
    namespace = f"benchmon{uuid.uuid4().hex[:6]}"
    try:
        made = time.perf_counter()
        events, persons = region(rng)
        made = time.perf_counter() - made
        await produce(infra.bootstrap_servers, namespace, events)
        raw = await raw_consume(infra.bootstrap_servers, namespace, len(events))
        pool = await migrated_pool(settings_for(infra, namespace, "monitoring", database_pool_max=8),
                                   "metodset_monitoring")
        async with pool.acquire() as conn:
            await seed_catalogue(conn)
        started = time.perf_counter()
        applied_at: list[float] = []
        report = await replay.rebuild(pool, replay.from_topics(infra.bootstrap_servers,
                                                               lambda t: f"{namespace}.{t}"),
                                      progress=lambda done, total: applied_at.append(time.perf_counter()))
        total = time.perf_counter() - started
        applying = applied_at[-1] - started
        values = await pool.fetchval("select count(*) from indicator_values")
        lat = await live(infra, namespace, pool, persons, rng)
        await pool.close()
    finally:
        infra.stop()
    n = len(events)
    print(f"\nMonitoring benchmark: {n} events ({int(1500 * SCALE)} organisations, {len(persons)} staff, "
          f"{int(100_000 * SCALE)} courses, {int(5000 * SCALE)} events with registrations and hours, "
          f"{int(300_000 * SCALE)} olympiad results; "
          f"generated in {made:.0f} s)")
    print(f"  baseline  raw aiokafka consumption of the topics        {raw:10.0f} events/s")
    print(f"  replay    topics → facts → every indicator, 3 years     {n / total:10.0f} events/s "
          f"({total:.1f} s: applying {applying:.1f} s, recomputing {total - applying:.1f} s, {values} values)")
    print(f"  of which  applying the events to facts                   {report.applied / applying:10.0f} events/s")
    if lat:
        print(f"  latency   event sent → indicator value committed, {len(lat)} courses at {RATE}/s: "
              f"p50 {statistics.median(lat):.0f} ms, p99 {percentile(lat, 99):.0f} ms, max {lat[-1]:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
