"""Monitoring's indicators on a real PostgreSQL (and broker for the replay from topics): facts projected
incrementally from events, duplicates and out-of-order events, values and their announcements, an indicator
added as data (with a campaign's values), the analyst's no-person rule, and a replay giving equal values."""
import json
import random
import uuid
from datetime import date, timedelta

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer

from metodset_contracts.catalogue import event_type
from metodset_contracts.courses import CourseCompleted, CourseKind
from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
from metodset_contracts.staff import EmploymentEnded, EmploymentStarted
from metodset_kit.consumer import claim_new
from metodset_kit.events import new_event
from metodset_kit.service import create_app
from metodset_monitoring import replay
from metodset_monitoring.app import SPEC, MonitoringSettings
from metodset_monitoring.compute import claim_dirty, seed_catalogue
from metodset_monitoring.domain.periods import PeriodKind, containing
from metodset_monitoring.facts_projection import FACTS, mark_dirty
from metodset_monitoring.projection import MUNICIPALITY_NAMES
from metodset_monitoring.recomputer import EVERYTHING, LOCK, Recomputer
from tests.conftest import migrated_pool, settings_for
from tests.factories import legal_inn
from tests.registry_app import bearer

pytestmark = pytest.mark.integration

KALUGA, OBNINSK = "29701000", "29715000"
UPGRADED = "staff_upgraded_3y_share"
PERIOD = containing(date.today(), PeriodKind.ACADEMIC_YEAR)


@pytest.fixture(scope="module")
async def pool(infra, namespace):
    pool = await migrated_pool(settings_for(infra, namespace, "monitoring"), "metodset_monitoring")
    async with pool.acquire() as conn:
        await seed_catalogue(conn)
    yield pool
    await pool.close()


@pytest.fixture(scope="module")
async def api(infra, namespace, pool):
    settings = MonitoringSettings(**settings_for(infra, namespace, "monitoring").model_dump())
    app = create_app(SPEC, settings)
    app.state.pool = pool
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://monitoring") as http:
        http._infra = infra
        yield http


def _ev(data):
    return new_event(data, source="urn:test", subject="x")


async def _apply(pool, events):
    _APPLIED.extend(e for e in events if e.id not in {a.id for a in _APPLIED})
    async with pool.acquire() as conn, conn.transaction():
        for projection in (MUNICIPALITY_NAMES, FACTS):
            fresh = await claim_new(conn, projection.name, [e for e in events if e.type in projection.handled_types])
            if fresh:
                await projection.apply(conn, fresh)


def _org(oktmo, n):
    return _ev(OrganisationRegistered(organisation_id=uuid.uuid4(), version=1, municipality_oktmo=oktmo,
                                      kind=OrganisationKind.SCHOOL, name=f"Школа № {n}", inn=legal_inn(n)))


def _job(org_event, person, cls=EmploymentStarted, version=1, **kw):
    d = org_event.data
    return _ev(cls(employment_id=kw.pop("employment_id", uuid.uuid4()), person_id=person, version=version,
                   organisation_id=d["organisationId"], municipality_oktmo=d["municipalityOktmo"],
                   position="teacher", subjects=["mathematics"], rate=1.0, main=True, start_date=date(2015, 9, 1),
                   birth_year=1980, **kw))


def _course(person, day):
    return _ev(CourseCompleted(course_id=uuid.uuid4(), person_id=person, kind=CourseKind.UPGRADE, programme="ПК",
                               hours=36, start_date=day - timedelta(days=20), end_date=day))


async def _values(pool, code, period=PERIOD.code):
    rows = await pool.fetch("select level, subject, value from indicator_values where code = $1 and period = $2",
                            code, period)
    return {(r["level"], r["subject"]): r["value"] for r in rows}


async def _announced(pool, code):
    rows = await pool.fetch("select event_type, value from outbox where topic = 'monitoring.indicators.v1'")
    return [(r["event_type"].split(".")[-2], json.loads(bytes(r["value"]))["data"]) for r in rows
            if json.loads(bytes(r["value"]))["data"]["code"] == code]


@pytest.fixture(scope="module")
async def region(pool):
    """Kaluga: one school, 4 teachers, 2 upgraded this year; Obninsk: one school, 2 teachers, none upgraded."""
    kaluga, obninsk = _org(KALUGA, 1), _org(OBNINSK, 2)
    teachers = [uuid.uuid4() for _ in range(6)]
    jobs = [_job(kaluga, p) for p in teachers[:4]] + [_job(obninsk, p) for p in teachers[4:]]
    courses = [_course(p, PERIOD.start + timedelta(days=10)) for p in teachers[:2]]
    events = [kaluga, obninsk, *jobs, *courses]
    await _apply(pool, events)
    return {"kaluga": kaluga.data["organisationId"], "obninsk": obninsk.data["organisationId"],
            "teachers": teachers, "events": events}


async def test_values_per_level_come_from_the_projected_facts_and_are_announced(pool, region):
    recomputer = Recomputer(pool)
    changes = await recomputer.run_once()
    assert {(c.code, c.level.value, c.subject) for c in changes} >= {(UPGRADED, "region", "region")}
    got = await _values(pool, UPGRADED)
    assert got[("region", "region")] == pytest.approx(2 / 6)
    assert got[("municipality", KALUGA)] == 0.5 and got[("municipality", OBNINSK)] == 0.0
    assert got[("organisation", region["kaluga"])] == 0.5
    announced = await _announced(pool, UPGRADED)
    assert ("value_changed", ) == tuple({kind for kind, _ in announced})
    assert any(d["subject"] == KALUGA and d["value"] == 0.5 and d["previous"] is None for _, d in announced)
    assert await recomputer.run_once() == []  # nothing dirty, nothing recomputed


async def test_incremental_update_duplicates_and_out_of_order_events(pool, region):
    recomputer = Recomputer(pool)
    await recomputer.run_once()
    before = await _values(pool, UPGRADED)
    await _apply(pool, region["events"])  # a redelivery of everything changes nothing
    assert await recomputer.run_once() == []
    assert await _values(pool, UPGRADED) == before

    third = _course(region["teachers"][4], PERIOD.start + timedelta(days=30))  # Obninsk's first upgrade
    await _apply(pool, [third])
    changes = await recomputer.run_once()
    assert {(c.level.value, c.subject, c.previous, c.value) for c in changes if c.code == UPGRADED} >= {
        ("municipality", OBNINSK, 0.0, 0.5)}

    # a late record of last year's course: last year's value moves, this year's stays
    past = PERIOD.previous()
    before_past = (await _values(pool, UPGRADED, past.code))[("municipality", OBNINSK)]
    await _apply(pool, [_course(region["teachers"][5], past.end - timedelta(days=3))])
    changes = await recomputer.run_once()
    assert {(c.period, c.subject) for c in changes if c.level.value == "municipality"} == {
        (past.code, OBNINSK), (PERIOD.code, OBNINSK)}  # within three years of both periods' ends
    assert (await _values(pool, UPGRADED, past.code))[("municipality", OBNINSK)] == before_past + 0.5

    # an employment that ended before this period's end, its ending arriving before its start
    leaver, job = uuid.uuid4(), uuid.uuid4()
    obninsk = next(e for e in region["events"] if e.data.get("organisationId") == region["obninsk"])
    ended = _job(obninsk, leaver, EmploymentEnded, 2, employment_id=job, end_date=PERIOD.start)
    await _apply(pool, [ended])
    await _apply(pool, [_job(obninsk, leaver, employment_id=job)])
    row = await pool.fetchrow("select valid_to, version from facts where kind = 'employment' and record_id = $1",
                              str(job))
    assert (row["valid_to"], row["version"]) == (PERIOD.start, 2)
    await _apply(pool, [_course(leaver, PERIOD.start)])
    await recomputer.run_once()
    # both of Obninsk's teachers upgraded; the leaver, with a course but no job at the end, counts nowhere
    assert (await _values(pool, UPGRADED))[("municipality", OBNINSK)] == 1.0


async def test_an_indicator_added_as_data_is_computed_for_past_periods_with_campaign_values(pool, api, region):
    past = PERIOD.previous()
    # the campaigns service's shape: approved values per respondent and field
    await pool.execute(
        "insert into facts (kind, record_id, organisation_id, municipality_oktmo, value, attrs) values "
        "('campaign', 'c1:' || $1 || ':students_total', $1::uuid, $2, 400, $3::jsonb), "
        "('campaign', 'c1:' || $4 || ':students_total', $4::uuid, $5, 100, $3::jsonb)",
        region["kaluga"], KALUGA, {"campaign": "c1", "form": "f", "field": "students_total", "period": past.code},
        region["obninsk"], OBNINSK)
    await _apply(pool, [_course(region["teachers"][0], past.start + timedelta(days=5))])
    definition = {"title": "Курсы на 100 обучающихся", "unit": "на 100", "direction": "higher",
                  "formula": {"numerator": {"kind": "course", "when": "started_in", "attribute": "employment"},
                              "denominator": {"kind": "campaign", "measure": "sum", "when": "period_attr",
                                              "where": [{"field": "attrs.field", "op": "eq",
                                                         "value": "students_total"}]},
                              "scale": 100}}
    refused = await api.put("/indicator-definitions/courses_per_100_students", json=definition,
                            headers=bearer(api_infra(api), "analyst"))
    assert refused.status_code == 403
    bad = await api.put("/indicator-definitions/courses_per_100_students",
                        json={**definition, "formula": {"numerator": {"kind": "course", "when": "soon"}}},
                        headers=bearer(api_infra(api)))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "formula", "numerator", "when"]
    ok = await api.put("/indicator-definitions/courses_per_100_students", json=definition,
                       headers=bearer(api_infra(api)))
    assert ok.status_code == 200, ok.text
    got = (await api.get("/indicator-values", params={"code": "courses_per_100_students", "period": past.code,
                                                     "level": "municipality"}, headers=bearer(api_infra(api)))).json()
    by = {v["subject"]: v for v in got}
    assert by[KALUGA]["value"] == 0.25 and by[KALUGA]["numerator"] == 1 and by[KALUGA]["denominator"] == 400
    assert by[OBNINSK]["value"] == 1.0 and by[KALUGA]["dynamics"][-1] == {"period": past.code, "value": 0.25}
    assert await _values(pool, "courses_per_100_students", PERIOD.code) != {}  # computed for the current one too


def api_infra(api):
    return api._infra


async def test_drill_down_persons_for_scope_never_for_an_analyst(pool, api, region):
    await Recomputer(pool).run_once()
    params = {"period": PERIOD.code, "level": "municipality", "subject": KALUGA}
    infra = api_infra(api)
    full = (await api.get(f"/indicator-values/{UPGRADED}/records", params=params, headers=bearer(infra))).json()
    assert full["totalCount"] == 2 and {r["personId"] for r in full["items"]} == {str(p) for p in
                                                                                  region["teachers"][:2]}
    page = (await api.get(f"/indicator-values/{UPGRADED}/records", params={**params, "first": 1},
                          headers=bearer(infra))).json()
    rest = (await api.get(f"/indicator-values/{UPGRADED}/records", params={**params, "after": page["nextCursor"]},
                          headers=bearer(infra))).json()
    assert len(page["items"]) == 1 and [*page["items"], *rest["items"]] == full["items"]
    analyst = (await api.get(f"/indicator-values/{UPGRADED}/records", params=params,
                             headers=bearer(infra, "analyst"))).json()
    assert analyst["totalCount"] == 2 and all(r["personId"] is None for r in analyst["items"])
    other = await api.get(f"/indicator-values/{UPGRADED}/records", params=params,
                          headers=bearer(infra, "municipal_methodist", municipality=OBNINSK))
    assert other.status_code == 404
    # the methodist of Obninsk sees Kaluga's published aggregate, not its organisations
    seen = (await api.get("/indicator-values", params={"code": UPGRADED, "level": "municipality"},
                          headers=bearer(infra, "municipal_methodist", municipality=OBNINSK))).json()
    assert {v["subject"] for v in seen} == {KALUGA, OBNINSK}
    orgs = (await api.get("/indicator-values", params={"code": UPGRADED, "level": "organisation"},
                          headers=bearer(infra, "municipal_methodist", municipality=OBNINSK))).json()
    assert {v["subject"] for v in orgs} == {region["obninsk"]}
    rating = (await api.get("/ratings", params={"code": UPGRADED}, headers=bearer(infra))).json()
    assert [(r["rank"], r["subject"]) for r in rating] == [(1, OBNINSK), (2, KALUGA)]
    # last year too Obninsk (0.5, its late course) was ahead of Kaluga (0.0)
    assert [(r["previousRank"], r["rankChange"]) for r in rating] == [(1, 0), (2, 0)]
    composite = await api.get("/ratings", params={"code": "composite"}, headers=bearer(infra, "analyst"))
    assert composite.status_code == 200 and {r["subject"] for r in composite.json()} == {KALUGA, OBNINSK}


async def _snapshot(pool):
    rows = await pool.fetch("select code, period, level, subject, numerator, denominator, value "
                            "from indicator_values order by 1, 2, 3, 4")
    return [tuple(r) for r in rows]


async def test_replay_from_the_owners_outbox_and_from_the_topics_gives_the_same_values(pool, infra, namespace, region):
    async with pool.acquire() as conn:  # as the running service has it: every indicator computed
        await mark_dirty(conn, [EVERYTHING])
    await Recomputer(pool).run_once()
    before = await _snapshot(pool)
    facts_before = await pool.fetchval("select count(*) from facts")
    # the owners' history: every event applied so far, in an owner's outbox (shuffled, one duplicate)
    owner = await migrated_pool(settings_for(infra, namespace, "registry"))
    history = await _history(pool)
    try:
        shuffled = random.Random(7).sample(history, len(history)) + history[:1]
        await owner.executemany("insert into outbox (event_id, event_type, topic, key, value) values ($1, $2, $3, "
                                "'k', $4) on conflict do nothing",
                                [(e.id, e.type, event_type(e.type).topic, e.to_bytes()) for e in shuffled])
        seen = []
        report = await replay.rebuild(pool, replay.from_outboxes([_url(infra, namespace, "registry")], batch=3),
                                      progress=lambda done, total: seen.append(done))
    finally:
        await owner.close()
    assert report.applied == len(history) + 1 and seen == sorted(seen) and seen[-1] == len(history) + 1
    assert await pool.fetchval("select count(*) from facts") == facts_before  # campaign values are kept
    assert await _snapshot(pool) == before

    producer = AIOKafkaProducer(bootstrap_servers=infra.bootstrap_servers)
    await producer.start()
    try:
        for e in history:
            await producer.send_and_wait(f"{namespace}.{event_type(e.type).topic}", e.to_bytes())
    finally:
        await producer.stop()
    report = await replay.rebuild(pool, replay.from_topics(infra.bootstrap_servers, lambda t: f"{namespace}.{t}"))
    assert report.applied == len(history)
    assert await _snapshot(pool) == before


_APPLIED: list = []


async def _history(pool):
    return list(_APPLIED)


def _url(infra, namespace, name):
    from metodset_kit.settings import with_database

    return with_database(infra.database_url, f"{namespace}_{name}")


async def test_a_value_moving_across_its_threshold_is_announced_as_crossed(pool, region):
    await Recomputer(pool).run_once()
    await _apply(pool, [_course(p, PERIOD.start + timedelta(days=40)) for p in region["teachers"][2:4]])
    await Recomputer(pool).run_once()  # Kaluga 0.5 → 1.0 across the threshold 0.9
    crossed = [d for kind, d in await _announced(pool, UPGRADED) if kind == "threshold_crossed"]
    assert [(d["subject"], d["previous"], d["value"], d["unfavourable"]) for d in crossed
            if d["level"] == "municipality" and d["period"] == PERIOD.code] == [
        (OBNINSK, 0.5, 1.0, False), (KALUGA, 0.5, 1.0, False)]  # Obninsk's in the incremental test


async def test_a_new_day_marks_every_indicator_for_recomputation(pool):
    days = [date.today()]
    recomputer = Recomputer(pool, today=lambda: days[0])
    await recomputer.run_once()
    await recomputer._new_day()
    assert not await pool.fetchval("select count(*) from facts_dirty")
    days[0] = date.today() + timedelta(days=1)  # e.g. 1 September: a new academic year's values
    await recomputer._new_day()
    assert await pool.fetchval("select count(*) from facts_dirty where kind = $1", EVERYTHING) == 1
    await recomputer.run_once()
    assert not await pool.fetchval("select count(*) from facts_dirty")


async def test_the_loop_leaves_its_marks_while_a_replay_holds_the_lock(pool):
    async with pool.acquire() as replaying:
        await replaying.execute("select pg_advisory_lock($1)", LOCK)
        try:
            await mark_dirty(replaying, [EVERYTHING])
            assert await Recomputer(pool).run_once() == []
            assert await pool.fetchval("select count(*) from facts_dirty") == 1  # kept for after the replay
        finally:
            await replaying.execute("select pg_advisory_unlock($1)", LOCK)
    await Recomputer(pool).run_once()
    assert not await pool.fetchval("select count(*) from facts_dirty")


async def test_members_holding_one_mark_do_not_wait_for_each_other_and_the_round_waits_for_them(pool):
    """Two members of the group mark the same kind side by side; the round's claim of the mark waits until
    both committed, so it cannot recompute without the facts they wrote."""
    await Recomputer(pool).run_once()
    async with pool.acquire() as conn:
        await mark_dirty(conn, {"course": date(2025, 10, 1)})
    async with pool.acquire() as first, pool.acquire() as second, pool.acquire() as round_:
        async with first.transaction(), second.transaction():
            for member, since in ((first, date(2025, 11, 1)), (second, date(2025, 9, 1))):
                await member.execute("set local lock_timeout = '2s'")  # waiting would fail, not pass slowly
                await mark_dirty(member, {"course": since})
            await round_.execute("set lock_timeout = '200ms'")
            with pytest.raises(asyncpg.LockNotAvailableError):
                await claim_dirty(round_)
            await round_.execute("reset lock_timeout")
        assert await claim_dirty(round_) == {"course": date(2025, 9, 1)}  # the earlier day moved the mark


async def test_a_mark_since_ever_is_not_narrowed_by_a_later_day(pool):
    await Recomputer(pool).run_once()
    async with pool.acquire() as conn:
        await mark_dirty(conn, ["course"])
        await mark_dirty(conn, {"course": date(2025, 9, 1)})
        assert await claim_dirty(conn) == {"course": None}
        await mark_dirty(conn, {"course": date(2025, 9, 1)})
        await mark_dirty(conn, ["course"])
        assert await claim_dirty(conn) == {"course": None}
