"""Support cases of low-result schools on a real database and broker: a low_results flag opens one case even when
delivered twice, a clearing (also one that arrives first) closes it; consultations of the school's support
requests join its timeline; curator, plan, visits, closing and the scope matrix through REST; results and
recommendations of the school on the case."""
import json
import uuid
from datetime import timedelta

import pytest
from faststream.kafka import KafkaBroker

from metodset_contracts.catalogue import ORGANISATIONS_TOPIC
from metodset_contracts.organisations import FlagKind, OrganisationFlagCleared, OrganisationFlagSet
from metodset_contracts.requests import ConsultationForm, RequestAssigned, RequestConsulted
from metodset_kit import kafka
from metodset_kit.consumer import stop as stop_consumers
from metodset_kit.consumer import subscribe
from metodset_kit.events import new_event
from metodset_monitoring.consumer import CONSUMER
from metodset_monitoring.domain.values import IndicatorValueChange, Level
from metodset_monitoring.publishing import today
from metodset_monitoring.recommendations import on_values_changed
from metodset_monitoring.support.projection import apply_support_events
from tests.monitoring_app import KALUGA, OBNINSK, monitoring_client, school, working
from tests.waiting import eventually

pytestmark = pytest.mark.integration
OPENED = today() - timedelta(days=60)


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with monitoring_client(infra, namespace) as http:
        yield http


def ev(data):
    return new_event(data, source="urn:test", subject="test")


def flag_set(org, flag, kind=FlagKind.LOW_RESULTS, oktmo=KALUGA):
    return ev(OrganisationFlagSet(organisation_id=org, municipality_oktmo=oktmo, flag_id=flag, kind=kind,
                                  valid_from=OPENED))


def flag_cleared(org, flag, valid_to, oktmo=KALUGA):
    return ev(OrganisationFlagCleared(organisation_id=org, municipality_oktmo=oktmo, flag_id=flag,
                                      kind=FlagKind.LOW_RESULTS, valid_from=OPENED, valid_to=valid_to))


async def apply(pool, *events):
    async with pool.acquire() as conn, conn.transaction():
        await apply_support_events(conn, list(events))


async def cases_of(pool, org):
    return await pool.fetch("select * from support_cases where organisation_id = $1", org)


async def test_a_flag_delivered_twice_through_the_broker_opens_one_case(api, infra, namespace):
    settings = api.settings
    topic = settings.topic(ORGANISATIONS_TOPIC)
    await kafka.ensure_topics(settings, [t for name in CONSUMER.topics for t in (settings.topic(name),
                                                                                 f"{settings.topic(name)}.dlq")])
    org, flag = uuid.uuid4(), uuid.uuid4()
    event = flag_set(org, flag)
    other_kind = flag_set(org, uuid.uuid4(), kind=FlagKind.DIFFICULT_CONDITIONS)
    broker = KafkaBroker(settings.bootstrap_servers)
    subscribe(broker, lambda: api.pool, CONSUMER, settings)  # as the service runs it
    producer = kafka.producer(settings)
    await producer.start()
    await broker.start()
    try:
        for e in (event, other_kind, event):  # the same event id twice
            await (await producer.send(topic, e.to_bytes(), key=str(org).encode()))
        again = event.model_copy(update={"id": uuid.uuid4()})  # redelivered under a new id (a replay of history)
        await (await producer.send(topic, again.to_bytes(), key=str(org).encode()))
        await eventually(lambda: api.pool.fetchval(
            "select count(*) = 3 from inbox where consumer = 'monitoring.projections'"))
    finally:
        await stop_consumers(broker)
        await producer.stop()
    [case] = await cases_of(api.pool, org)
    assert (case["flag_id"], case["status"], case["opened_on"], case["municipality_oktmo"]) == (
        flag, "opened", OPENED, KALUGA)
    rows = await api.pool.fetch("select event_type, value from outbox where key = $1", str(case["id"]))
    assert [r["event_type"].split(".")[-2] for r in rows] == ["opened"]
    assert json.loads(rows[0]["value"])["data"]["flagId"] == str(flag)
    fact = await api.pool.fetchrow("select * from facts where kind = 'support_case' and record_id = $1",
                                   str(case["id"]))
    assert (fact["organisation_id"], fact["valid_from"], fact["valid_to"], fact["attrs"]) == (
        org, OPENED, None, {"status": "opened", "flag": "low_results"})


async def test_clearing_closes_the_case_whatever_the_order(api):
    org, flag = uuid.uuid4(), uuid.uuid4()
    last_day = today() - timedelta(days=1)
    await apply(api.pool, flag_set(org, flag))
    await apply(api.pool, flag_cleared(org, flag, last_day))
    [case] = await cases_of(api.pool, org)
    assert (case["status"], case["outcome"], case["closed_on"]) == ("closed", "flag_cleared", last_day)
    kinds = [r["event_type"].split(".")[-2] for r in await api.pool.fetch(
        "select event_type from outbox where key = $1 order by seq", str(case["id"]))]
    assert kinds == ["opened", "closed"]
    fact = await api.pool.fetchrow("select valid_to, attrs from facts where record_id = $1", str(case["id"]))
    assert (fact["valid_to"], fact["attrs"]["status"]) == (last_day, "closed")

    reordered, flag2 = uuid.uuid4(), uuid.uuid4()
    await apply(api.pool, flag_cleared(reordered, flag2, last_day))  # the clearing first
    await apply(api.pool, flag_set(reordered, flag2))
    [case] = await cases_of(api.pool, reordered)
    assert (case["status"], case["opened_on"], case["closed_on"]) == ("closed", OPENED, last_day)


async def _case(api, oktmo=KALUGA):
    org = await school(api.pool, oktmo)
    await apply(api.pool, flag_set(org, uuid.uuid4(), oktmo=oktmo))
    [case] = await cases_of(api.pool, org)
    return org, str(case["id"])


async def test_the_case_through_rest_with_its_timeline_recommendations_and_results(api, as_role):
    org, cid = await _case(api)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    curator = await working(api.pool)
    nobody = await api.post(f"/support-cases/{cid}/curator", json={"curatorId": str(uuid.uuid4())},
                            headers=methodist)
    assert nobody.status_code == 422 and nobody.json()["detail"][0]["loc"] == ["body", "curatorId"], nobody.text
    got = await api.post(f"/support-cases/{cid}/curator", json={"curatorId": curator}, headers=methodist)
    assert got.status_code == 200 and (got.json()["status"], got.json()["curatorId"]) == ("active", curator), got.text
    due = (today() - timedelta(days=1)).isoformat()
    added = await api.post(f"/support-cases/{cid}/plan", headers=methodist,
                           json={"title": "Диагностика дефицитов учителей математики", "dueOn": due})
    assert added.status_code == 201, added.text
    [item] = added.json()["plan"]
    assert (item["status"], item["overdue"]) == ("planned", True)
    bad = await api.post(f"/support-cases/{cid}/plan", headers=methodist,
                         json={"title": "x", "startsOn": "2026-10-02", "dueOn": "2026-10-01"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "dueOn"]

    admin = as_role("organisation_admin", organisation=str(org))
    progress = await api.patch(f"/support-cases/{cid}/plan/{item['id']}", headers=admin,
                               json={"status": "done", "notes": "Проведена"})
    assert progress.status_code == 200, progress.text
    [item] = progress.json()["plan"]
    assert (item["status"], item["overdue"], item["doneOn"]) == ("done", False, today().isoformat())
    retitle = await api.patch(f"/support-cases/{cid}/plan/{item['id']}", headers=admin, json={"title": "Иное"})
    assert retitle.status_code == 403

    visit_day = (OPENED + timedelta(days=5)).isoformat()
    visited = await api.post(f"/support-cases/{cid}/visits", headers=methodist,
                             json={"visitedOn": visit_day, "purpose": "Посещение уроков", "methodistId": curator})
    assert visited.status_code == 201, visited.text
    early = await api.post(f"/support-cases/{cid}/visits", headers=methodist,
                           json={"visitedOn": (OPENED - timedelta(days=1)).isoformat(), "purpose": "x"})
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "visitedOn"]
    request_id, methodist_id = uuid.uuid4(), uuid.uuid4()
    consulted = ev(RequestConsulted(request_id=request_id, organisation_id=org, municipality_oktmo=KALUGA,
                                    consultation_id=uuid.uuid4(), form=ConsultationForm.GROUP,
                                    held_on=OPENED + timedelta(days=10), minutes=90, participants=8))
    before_case = ev(RequestConsulted(request_id=request_id, organisation_id=org, municipality_oktmo=KALUGA,
                                      consultation_id=uuid.uuid4(), form=ConsultationForm.GROUP,
                                      held_on=OPENED - timedelta(days=10), minutes=45, participants=3))
    await apply(api.pool, consulted, before_case, consulted)  # a consultation before any assignment arrives
    await apply(api.pool, ev(RequestAssigned(request_id=request_id, organisation_id=org, municipality_oktmo=KALUGA,
                                             methodist_id=methodist_id, assigned_at=f"{OPENED}T10:00:00Z")))

    await api.pool.execute(  # the school's values as the indicator engine stores them
        "insert into indicator_values (code, period, level, subject, municipality_oktmo, numerator, denominator, value)"
        " values ('staff_upgraded_3y_share', '2025/2026', 'organisation', $1, $2, 1, 2, 0.5),"
        " ('staff_upgraded_3y_share', '2026/2027', 'organisation', $1, $2, 3, 4, 0.75),"
        " ('staff_upgraded_3y_share', '2026/2027', 'organisation', 'other', $2, 1, 10, 0.1)", str(org), KALUGA)
    async with api.pool.acquire() as conn, conn.transaction():
        await on_values_changed(conn, [IndicatorValueChange("staff_upgraded_3y_share", "2026/2027",
                                                            Level.ORGANISATION, str(org), 0.75, None)])

    body = (await api.get(f"/support-cases/{cid}", headers=admin)).json()
    assert [(v["kind"], v["on"], v["purpose"], v["minutes"], v["methodistId"]) for v in body["visits"]] == [
        ("visit", visit_day, "Посещение уроков", None, curator),
        ("consultation", (OPENED + timedelta(days=10)).isoformat(), None, 90, str(methodist_id))]
    assert [(r["period"], r["value"]) for r in body["results"]] == [("2025/2026", 0.5), ("2026/2027", 0.75)]
    assert [r["rule"] for r in body["recommendations"]] == ["upgraded_3y_low_organisation"]

    closed = await api.post(f"/support-cases/{cid}/close", headers=methodist,
                            json={"outcome": "improved", "outcomeText": "Результаты ВПР выросли"})
    assert closed.status_code == 200 and closed.json()["outcomeTitle"] == "результаты улучшились", closed.text
    again = await api.post(f"/support-cases/{cid}/plan", headers=methodist, json={"title": "x", "dueOn": due})
    assert again.status_code == 409
    kinds = [r["event_type"].split(".")[-2] for r in await api.pool.fetch(
        "select event_type from outbox where key = $1 order by seq", cid)]
    assert kinds == ["opened", "closed"]


async def test_scope_matrix_and_list(api, as_role):
    org, cid = await _case(api)
    _, obninsk_case = await _case(api, OBNINSK)
    missing = (await api.get(f"/support-cases/{uuid.uuid4()}", headers=as_role())).json()
    roles = {  # reads, manages
        "coordinator": (as_role(), True, True),
        "methodist": (as_role("municipal_methodist", municipality=KALUGA), True, True),
        "other methodist": (as_role("municipal_methodist", municipality=OBNINSK), False, False),
        "admin": (as_role("organisation_admin", organisation=str(org)), True, False),
        "other admin": (as_role("organisation_admin", organisation=str(uuid.uuid4())), False, False),
        "analyst": (as_role("analyst"), False, False),
    }
    for name, (headers, reads, manages) in roles.items():
        got = await api.get(f"/support-cases/{cid}", headers=headers)
        assert got.status_code == (200 if reads else 404), name
        if not reads:
            assert got.json()["detail"][0]["type"] == missing["detail"][0]["type"] == "not_found", name
        c = await api.post(f"/support-cases/{cid}/curator", json={"curatorId": await working(api.pool)},
                           headers=headers)
        assert c.status_code == (200 if manages else 403 if reads else 404), (name, c.text)
        listed = await api.get("/support-cases", params={"limit": 1000}, headers=headers)
        if name == "analyst":
            assert listed.status_code == 403
            continue
        ids = {i["id"] for i in listed.json()["items"]}
        assert (cid in ids) is reads, name
        assert (obninsk_case in ids) is (name in ("coordinator", "other methodist")), name
