"""Recommendations on a real database: the indicator engine's hook raises one per (rule, subject, period) with its
event and `facts` row, marks it when the value comes back; the lifecycle through REST to closing with evidence;
rules as data; the scope matrix (a refused read answers like a missing one); the shares."""
import json
import uuid
from datetime import date

import pytest

from metodset_monitoring.compute import seed_catalogue
from metodset_monitoring.domain.periods import PeriodKind, containing
from metodset_monitoring.domain.values import IndicatorValueChange, Level
from metodset_monitoring.recommendations import on_values_changed
from metodset_monitoring.recomputer import Recomputer
from tests.monitoring_app import KALUGA, OBNINSK, monitoring_client, school, working

pytestmark = pytest.mark.integration
PERIOD = containing(date.today(), PeriodKind.ACADEMIC_YEAR).code


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with monitoring_client(infra, namespace) as http:
        yield http


async def hook(pool, *changes):
    async with pool.acquire() as conn, conn.transaction():
        await on_values_changed(conn, list(changes))


def org_change(org, value, previous, code="staff_upgraded_3y_share"):
    return IndicatorValueChange(code, PERIOD, Level.ORGANISATION, str(org), value, previous)


async def recommendations_of(pool, org):
    return await pool.fetch("select * from recommendations where organisation_id = $1", org)


async def outbox_of(pool, key):
    rows = await pool.fetch("select event_type, topic, value from outbox where key = $1 order by seq", str(key))
    return [(r["event_type"].split(".")[-2], r["topic"], json.loads(r["value"])["data"]) for r in rows]


async def test_the_hook_raises_once_per_rule_subject_and_period(api):
    org = await school(api.pool)
    await hook(api.pool, org_change(org, 0.5, 0.9))
    await hook(api.pool, org_change(org, 0.5, 0.9))  # the same change handed over twice
    await hook(api.pool, org_change(org, 0.4, 0.5))  # staying below
    [r] = await recommendations_of(api.pool, org)
    assert (r["value"], r["current_value"]) == (0.5, 0.4)  # raised at 0.5, the indicator now at 0.4
    assert (r["rule"], r["municipality_oktmo"], r["addressee"], r["status"]) == (
        "upgraded_3y_low_organisation", KALUGA, "organisation", "raised")
    assert "0,5" in r["text"] and "0,8" in r["text"]
    [(kind, topic, data)] = await outbox_of(api.pool, r["id"])
    assert (kind, topic, data["organisationId"], data["dueOn"]) == (
        "raised", "monitoring.recommendations.v1", str(org), r["due_on"].isoformat())
    fact = await api.pool.fetchrow("select * from facts where kind = 'recommendation' and record_id = $1",
                                   str(r["id"]))
    assert (fact["organisation_id"], fact["municipality_oktmo"], fact["valid_from"], fact["valid_to"]) == (
        org, KALUGA, r["raised_on"], None)
    assert fact["attrs"] == {"status": "raised", "due_on": r["due_on"].isoformat(), "closed_on_time": False,
                             "rule": "upgraded_3y_low_organisation", "indicator": "staff_upgraded_3y_share"}

    await hook(api.pool, org_change(org, 0.9, 0.4))  # back above: marked, still open
    [r] = await recommendations_of(api.pool, org)
    assert r["value_returned_on"] is not None and r["status"] == "raised" and r["current_value"] == 0.9
    await hook(api.pool, org_change(org, 0.3, 0.9))  # below again in the same period: still the one
    assert len(await recommendations_of(api.pool, org)) == 1
    assert [k for k, _, _ in await outbox_of(api.pool, r["id"])] == ["raised", "updated"]


async def test_municipality_values_address_the_methodical_service_and_unrelated_codes_do_nothing(api):
    oktmo = "29705000"
    await hook(api.pool, IndicatorValueChange("young_specialists_mentored_share", PERIOD, Level.MUNICIPALITY, oktmo,
                                              0.5, None),
               IndicatorValueChange("unknown_indicator", PERIOD, Level.MUNICIPALITY, oktmo, 0.0, 1.0))
    rows = await api.pool.fetch("select * from recommendations where municipality_oktmo = $1", oktmo)
    assert [(r["rule"], r["addressee"], r["organisation_id"]) for r in rows] == [
        ("young_mentored_low_municipality", "methodical_service", None)]


async def test_values_of_a_period_long_past_raise_nothing(api):
    org = await school(api.pool)
    await hook(api.pool, IndicatorValueChange("staff_upgraded_3y_share", "2019/2020", Level.ORGANISATION, str(org),
                                              0.1, None))
    assert await recommendations_of(api.pool, org) == []


async def _raised(api, oktmo=KALUGA):
    org = await school(api.pool, oktmo)
    await hook(api.pool, org_change(org, 0.1, 0.95))
    [r] = await recommendations_of(api.pool, org)
    return org, str(r["id"])


async def test_the_lifecycle_through_rest(api, as_role):
    org, rid = await _raised(api)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    assignee = await working(api.pool)
    early = await api.patch(f"/recommendations/{rid}", json={"inProgress": True}, headers=methodist)
    assert early.status_code == 409, early.text
    got = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": assignee}, headers=methodist)
    assert got.status_code == 200 and got.json()["status"] == "assigned", got.text
    bad = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": "Иванов"}, headers=methodist)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "assigneeId"]
    for stranger in (str(uuid.uuid4()), await working(api.pool, OBNINSK)):  # nobody; someone of another town
        refused = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": stranger}, headers=methodist)
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "assigneeId"], (
            refused.text)
        assert "не найден среди работающих в муниципалитете" in refused.json()["detail"][0]["msg"]
    assert (await api.get(f"/recommendations/{rid}", headers=methodist)).json()["assigneeId"] == assignee
    region_wide = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": await working(
        api.pool, OBNINSK)}, headers=as_role("regional_coordinator"))  # the region names anyone working in it
    assert region_wide.status_code == 200, region_wide.text
    got = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": assignee}, headers=methodist)
    raised_on = got.json()["raisedOn"]
    edited = await api.patch(f"/recommendations/{rid}", headers=methodist,
                             json={"text": "Составить график курсов", "dueOn": raised_on, "inProgress": True})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["text"], edited.json()["dueOn"], edited.json()["status"]) == (
        "Составить график курсов", raised_on, "in_progress")
    too_early = await api.patch(f"/recommendations/{rid}", json={"dueOn": "2000-01-01"}, headers=methodist)
    assert too_early.status_code == 422 and too_early.json()["detail"][0]["loc"] == ["body", "dueOn"]
    no_evidence = await api.post(f"/recommendations/{rid}/close", json={"evidenceText": " "}, headers=methodist)
    assert no_evidence.status_code == 422
    closed = await api.post(f"/recommendations/{rid}/close", headers=methodist,
                            json={"evidenceText": "График утверждён", "evidenceLink": "https://ou.example/g.pdf"})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["closedOnTime"], body["evidenceLink"], body["statusTitle"]) == (
        "closed", True, "https://ou.example/g.pdf", "выполнена")
    again = await api.post(f"/recommendations/{rid}/cancel", json={"reason": "x"}, headers=methodist)
    assert again.status_code == 409
    kinds = [k for k, _, _ in await outbox_of(api.pool, rid)]
    assert kinds == ["raised", "assigned", "assigned", "assigned", "updated", "closed"]  # re-assigned twice
    text = " ".join(json.dumps(d, ensure_ascii=False) for _, _, d in await outbox_of(api.pool, rid))
    assert "График" not in text and "курсов" not in text
    fact = await api.pool.fetchrow("select valid_to, attrs from facts where record_id = $1", rid)
    assert fact["valid_to"] is not None and fact["attrs"]["closed_on_time"] is True

    async with api.pool.acquire() as conn:  # the share closed on time is itself an indicator
        await seed_catalogue(conn)
    await Recomputer(api.pool).run_once()
    value = await api.pool.fetchrow("select numerator, denominator, value from indicator_values where code = $1"
                                    " and level = 'organisation' and subject = $2",
                                    "recommendations_closed_on_time_share", str(org))
    assert (value["numerator"], value["denominator"], value["value"]) == (1, 1, 1.0)


async def test_scope_matrix(api, as_role):
    org, rid = await _raised(api)
    other_org = await school(api.pool)
    missing = (await api.get(f"/recommendations/{uuid.uuid4()}", headers=as_role())).json()
    roles = {  # reads, manages
        "coordinator": (as_role(), True, True),
        "methodist": (as_role("municipal_methodist", municipality=KALUGA), True, True),
        "other methodist": (as_role("municipal_methodist", municipality=OBNINSK), False, False),
        "admin": (as_role("organisation_admin", organisation=str(org)), True, False),
        "other admin": (as_role("organisation_admin", organisation=str(other_org)), False, False),
        "analyst": (as_role("analyst"), False, False),
    }
    for name, (headers, reads, manages) in roles.items():
        got = await api.get(f"/recommendations/{rid}", headers=headers)
        assert got.status_code == (200 if reads else 404), name
        if not reads:
            assert got.json()["detail"][0]["loc"] == missing["detail"][0]["loc"], name
            assert got.json()["detail"][0]["type"] == missing["detail"][0]["type"], name
        a = await api.post(f"/recommendations/{rid}/assign", json={"assigneeId": await working(api.pool)},
                           headers=headers)
        assert a.status_code == (200 if manages else 403 if reads else 404), (name, a.text)
        listed = await api.get("/recommendations", params={"limit": 1000}, headers=headers)
        if name == "analyst":
            assert listed.status_code == 403
        else:
            assert (rid in {i["id"] for i in listed.json()["items"]}) is reads, name


async def test_list_filters_pages_and_shares(api, as_role):
    oktmo = "29709000"
    ids = [(await _raised(api, oktmo))[1] for _ in range(3)]
    coordinator = as_role()
    await api.post(f"/recommendations/{ids[0]}/cancel", json={"reason": "Пересчёт"}, headers=coordinator)
    seen, after = [], None
    while True:
        page = (await api.get("/recommendations", headers=coordinator,
                              params={"municipality": oktmo, "limit": 2, **({"after": after} if after else {})})).json()
        seen += [i["id"] for i in page["items"]]
        assert page["totalCount"] == 3
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == sorted(ids)
    raised = await api.get("/recommendations", params={"municipality": oktmo, "status": "raised"}, headers=coordinator)
    assert raised.json()["totalCount"] == 2
    overdue = await api.get("/recommendations", params={"municipality": oktmo, "overdue": True}, headers=coordinator)
    assert overdue.json()["totalCount"] == 0  # due in 60 days
    await api.pool.execute("update recommendations set raised_on = raised_on - 90, due_on = due_on - 90 "
                           "where id = any($1::uuid[])", ids[1:])
    overdue = await api.get("/recommendations", params={"municipality": oktmo, "overdue": True}, headers=coordinator)
    assert [i["id"] for i in overdue.json()["items"]] == sorted(ids[1:]) and overdue.json()["items"][0]["overdue"]
    await api.post(f"/recommendations/{ids[1]}/close", json={"evidenceText": "Сделано"}, headers=coordinator)
    now = await api.get("/recommendations/shares", params={"municipality": oktmo}, headers=as_role("analyst"))
    assert now.status_code == 200, now.text
    [s] = now.json()  # ids[1] closed today, 30 days after its (moved) due date; ids[2] open and overdue
    assert (s["total"], s["overdue"], s["closed"], s["closedOnTime"], s["overdueShare"], s["closedOnTimeShare"]) == (
        2, 1, 1, 0, 0.5, 0.0)
    other = await api.get("/recommendations/shares", params={"municipality": oktmo},
                          headers=as_role("municipal_methodist", municipality=KALUGA))
    assert other.status_code == 404
    admin = await api.get("/recommendations/shares",
                          headers=as_role("organisation_admin", organisation=str(uuid.uuid4())))
    assert admin.status_code == 403


async def test_rules_are_data_edited_by_the_coordinator(api, as_role):
    rule = {"indicator": "plan_fulfilled_share", "level": "organisation", "threshold": 0.5, "direction": "below",
            "addressee": "organisation", "template": "План выполнен на {value}", "dueDays": 14}
    refused = await api.put("/recommendation-rules/plan_low_org", json=rule,
                            headers=as_role("municipal_methodist", municipality=KALUGA))
    assert refused.status_code == 403
    bad = await api.put("/recommendation-rules/plan_low_org", json={**rule, "level": "region"}, headers=as_role())
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "addressee"]
    put = await api.put("/recommendation-rules/plan_low_org", json=rule, headers=as_role())
    assert put.status_code == 200 and put.json()["addresseeTitle"] == "образовательная организация", put.text
    org = await school(api.pool)
    await hook(api.pool, org_change(org, 0.25, 0.75, code="plan_fulfilled_share"))
    [r] = await recommendations_of(api.pool, org)
    assert (r["rule"], r["text"], (r["due_on"] - r["raised_on"]).days) == ("plan_low_org", "План выполнен на 0,25", 14)
    listed = await api.get("/recommendation-rules", headers=as_role("analyst"))
    assert "plan_low_org" in {x["code"] for x in listed.json()}
