"""Support requests through the events service's REST API on a real database: declare → assign → consult →
close with events.requests.v1 carrying ids only, the refusals, the scope matrix, the list's filters and
cursor, and the response times per municipality."""
import json
import uuid
from datetime import timedelta

import pytest

from tests.plans_app import KALUGA, OBNINSK, events_client, organisation, person

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with events_client(infra, namespace) as http:
        yield http


async def _declare(api, headers, org, topic="Низкие результаты ВПР по математике", subject="mathematics"):
    r = await api.post("/support-requests", headers=headers,
                       json={"organisationId": org, "topic": topic, "asked": "Разобрать типичные ошибки",
                             "subject": subject})
    assert r.status_code == 201, r.text
    return r.json()


def _consultation(**kw):
    return {"form": "group", "heldOn": "2026-10-10", "minutes": 90, "participants": 12, "notes": "Разбор", **kw}


async def test_a_request_from_declaration_to_closing(api, as_role):
    org = await organisation(api.pool)
    admin = as_role("organisation_admin", organisation=org)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    r = await _declare(api, admin, org)
    assert (r["status"], r["subjectTitle"], r["municipalityOktmo"], r["responseHours"]["assigned"]) == (
        "declared", "математика", KALUGA, None)
    methodist_id = await person(api.pool)
    assigned = await api.post(f"/support-requests/{r['id']}/assign", json={"methodistId": methodist_id},
                              headers=methodist)
    assert assigned.status_code == 200 and assigned.json()["methodistId"] == methodist_id, assigned.text
    consulted = await api.post(f"/support-requests/{r['id']}/consultations", json=_consultation(), headers=methodist)
    assert consulted.status_code == 201, consulted.text
    [c] = consulted.json()["consultations"]
    assert (c["formTitle"], c["minutes"], c["participants"], c["methodistId"]) == ("групповая", 90, 12, methodist_id)
    closed = await api.post(f"/support-requests/{r['id']}/close", headers=admin,
                            json={"outcome": "resolved", "outcomeText": "Ошибки разобраны", "rating": 5})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["outcomeTitle"], body["rating"]) == ("closed", "проблема решена", 5)
    assert all(body["responseHours"][k] is not None for k in ("assigned", "consulted", "closed"))

    rows = await api.pool.fetch("select topic, event_type, value from outbox where key = $1 order by seq",
                                r["id"])
    assert {x["topic"] for x in rows} == {"events.requests.v1"}
    assert sorted(x["event_type"].split(".")[-2] for x in rows) == ["assigned", "closed", "consulted", "declared"]
    text = " ".join(x["value"].decode() if isinstance(x["value"], bytes) else str(x["value"]) for x in rows)
    assert "ВПР" not in text and "Разбор" not in text and "Ошибки" not in text
    assert any(json.loads(x["value"])["data"].get("methodistId") == methodist_id for x in rows)

    again = await api.post(f"/support-requests/{r['id']}/consultations", json=_consultation(), headers=methodist)
    assert again.status_code == 409


async def test_refusals(api, as_role):
    org = await organisation(api.pool)
    r = await _declare(api, as_role(), org)
    early = await api.post(f"/support-requests/{r['id']}/consultations", json=_consultation(), headers=as_role())
    assert early.status_code == 409
    closing = await api.post(f"/support-requests/{r['id']}/close", json={"outcome": "resolved"}, headers=as_role())
    assert closing.status_code == 422 and closing.json()["detail"][0]["loc"] == ["body", "outcome"]
    bad = await api.post(f"/support-requests/{r['id']}/consultations", headers=as_role(),
                         json=_consultation(form="lecture", minutes=0))
    assert bad.status_code == 422
    rating = await api.post(f"/support-requests/{r['id']}/close", json={"outcome": "withdrawn", "rating": 6},
                            headers=as_role())
    assert rating.status_code == 422
    withdrawn = await api.post(f"/support-requests/{r['id']}/close", json={"outcome": "withdrawn"}, headers=as_role())
    assert withdrawn.status_code == 200
    stranger = await api.post(f"/support-requests/{r['id']}/assign", json={"methodistId": str(uuid.uuid4())},
                              headers=as_role())
    assert stranger.status_code == 422 and stranger.json()["detail"][0]["loc"] == ["body", "methodistId"]
    unknown = await api.post("/support-requests", headers=as_role(),
                             json={"organisationId": str(uuid.uuid4()), "topic": "x", "asked": "y"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "organisationId"]


async def test_scope_matrix(api, as_role):
    org, other = await organisation(api.pool), await organisation(api.pool)
    obninsk_org = await organisation(api.pool, OBNINSK)
    r = await _declare(api, as_role(), org)
    missing = (await api.get(f"/support-requests/{uuid.uuid4()}", headers=as_role())).json()
    roles = {  # reads, assigns
        "coordinator": (as_role(), True, True),
        "methodist": (as_role("municipal_methodist", municipality=KALUGA), True, True),
        "other methodist": (as_role("municipal_methodist", municipality=OBNINSK), False, False),
        "admin": (as_role("organisation_admin", organisation=org), True, False),
        "other admin": (as_role("organisation_admin", organisation=other), False, False),
        "analyst": (as_role("analyst"), True, False),
    }
    for name, (headers, reads, assigns) in roles.items():
        got = await api.get(f"/support-requests/{r['id']}", headers=headers)
        assert got.status_code == (200 if reads else 404), name
        if not reads:
            assert got.json() == {"detail": [{**missing["detail"][0], "msg": got.json()["detail"][0]["msg"]}]}
        a = await api.post(f"/support-requests/{r['id']}/assign", json={"methodistId": await person(api.pool)},
                           headers=headers)
        assert a.status_code == (200 if assigns else 403 if reads else 404), (name, a.text)
        listed = await api.get("/support-requests", params={"limit": 1000}, headers=headers)
        assert (r["id"] in {i["id"] for i in listed.json()["items"]}) is reads, name
    for headers, org_id in ((as_role("municipal_methodist", municipality=KALUGA), obninsk_org),
                            (as_role("organisation_admin", organisation=org), other), (as_role("analyst"), org)):
        refused = await api.post("/support-requests", headers=headers,
                                 json={"organisationId": org_id, "topic": "x", "asked": "y"})
        assert refused.status_code == 403


async def test_the_list_filters_and_pages(api, as_role):
    org = await organisation(api.pool, OBNINSK)
    ids = {(await _declare(api, as_role(), org, topic=f"Тема {n}"))["id"] for n in range(5)}
    seen, after = [], None
    while True:
        params = {"organisation": org, "limit": 2, **({"after": after} if after else {})}
        page = (await api.get("/support-requests", params=params, headers=as_role())).json()
        assert page["totalCount"] == 5
        seen += [i["id"] for i in page["items"]]
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == seen and set(seen) == ids
    declared = await api.get("/support-requests", params={"municipality": OBNINSK, "status": "declared"},
                             headers=as_role())
    assert declared.json()["totalCount"] == 5
    closed = await api.get("/support-requests", params={"municipality": OBNINSK, "status": "closed"},
                           headers=as_role())
    assert closed.json()["totalCount"] == 0
    other = await api.get("/support-requests", params={"municipality": OBNINSK},
                          headers=as_role("municipal_methodist", municipality=KALUGA))
    assert other.json() == {"items": [], "nextCursor": None, "totalCount": 0}


async def test_response_times_per_municipality(api, as_role):
    oktmo = "29705000"
    org = await organisation(api.pool, oktmo)
    fast, slow, _waiting = [(await _declare(api, as_role(), org))["id"] for _ in range(3)]
    for rid in (fast, slow):
        await api.post(f"/support-requests/{rid}/assign", json={"methodistId": await person(api.pool, oktmo)},
                       headers=as_role())
    # the slow one was declared five days before it was assigned
    await api.pool.execute("update support_requests set declared_at = assigned_at - $2::interval where id = $1",
                           uuid.UUID(slow), timedelta(days=5))
    await api.pool.execute("update support_requests set declared_at = assigned_at - $2::interval where id = $1",
                           uuid.UUID(fast), timedelta(hours=6))
    r = await api.get("/support-requests/response-times", params={"municipality": oktmo, "withinDays": 3},
                      headers=as_role())
    assert r.status_code == 200, r.text
    [t] = r.json()
    assigned = t["stages"][0]
    assert (t["requests"], assigned["stage"], assigned["reached"]) == (3, "assigned", 2)
    assert assigned["medianHours"] == pytest.approx((6 + 120) / 2, abs=0.01)
    assert assigned["within"] == pytest.approx(1 / 3, abs=1e-4)
    refused = await api.get("/support-requests/response-times", params={"municipality": oktmo},
                            headers=as_role("municipal_methodist", municipality=KALUGA))
    assert refused.status_code == 404
    own = await api.get("/support-requests/response-times",
                        headers=as_role("municipal_methodist", municipality=oktmo))
    assert [x["municipalityOktmo"] for x in own.json()] == [oktmo]
