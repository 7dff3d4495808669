"""Flags of organisations through the registry's REST API on a real database: history, as-of, scope, outbox."""
import json

import pytest

from tests.factories import legal_inn
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
ORDER = "Приказ министерства образования Калужской области № 123 от 01.09.2025"


_n = iter(range(20_000, 30_000))


async def _register(api, as_role, oktmo=KALUGA, **fields) -> dict:
    n = next(_n)
    body = {"name": f"МБОУ СОШ № {n}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n), **fields}
    r = await api.post("/organisations", json=body, headers=as_role())
    assert r.status_code == 201, r.text
    return r.json()


async def _outbox(api, org_id: str) -> list[dict]:
    rows = await api.pool.fetch("select value from outbox where key = $1 order by seq", org_id)
    return [json.loads(r["value"]) for r in rows]


def _flag(kind="low_results", start="2025-09-01", end=None, source=ORDER) -> dict:
    return {"kind": kind, "from": start, "to": end, "source": source}


async def test_flag_set_cleared_and_history_kept(api, as_role):
    org = await _register(api, as_role)
    url = f"/organisations/{org['id']}/flags"
    r = await api.post(url, json=_flag(end="2026-08-31"), headers=as_role())
    assert r.status_code == 201, r.text
    flag = r.json()
    assert flag["kindTitle"].startswith("Низкие") and flag["from"] == "2025-09-01" and flag["source"] == ORDER

    r = await api.post(f"{url}/{flag['id']}/clear", json={"to": "2025-12-31"}, headers=as_role())
    assert r.status_code == 200, r.text
    assert r.json()["to"] == "2025-12-31" and r.json()["setTo"] == "2026-08-31" and r.json()["cleared"]
    r = await api.post(url, json=_flag(start="2026-09-01"), headers=as_role())
    assert r.status_code == 201, r.text

    history = (await api.get(url, headers=as_role("analyst"))).json()
    assert [(f["from"], f["to"]) for f in history] == [("2025-09-01", "2025-12-31"), ("2026-09-01", None)]
    assert (await api.get(url, params={"asOf": "2026-01-15"}, headers=as_role("analyst"))).json() == []
    [current] = (await api.get(url, params={"asOf": "2027-01-01"}, headers=as_role("analyst"))).json()
    assert current["from"] == "2026-09-01"

    events = [e for e in await _outbox(api, org["id"]) if "flag" in e["type"]]
    assert [e["type"].rsplit(".", 2)[-2] for e in events] == ["flag_set", "flag_cleared", "flag_set"]
    assert events[1]["data"] == {"organisationId": org["id"], "municipalityOktmo": KALUGA, "flagId": flag["id"],
                                 "kind": "low_results", "validFrom": "2025-09-01", "validTo": "2025-12-31"}
    assert all(org["name"] not in json.dumps(e, ensure_ascii=False) for e in events)


async def test_overlapping_flag_of_the_same_kind_is_refused_naming_the_field(api, as_role):
    org = await _register(api, as_role)
    url = f"/organisations/{org['id']}/flags"
    assert (await api.post(url, json=_flag(), headers=as_role())).status_code == 201
    r = await api.post(url, json=_flag(start="2030-01-01"), headers=as_role())
    assert r.status_code == 409
    assert r.json()["detail"][0]["loc"] == ["body", "from"] and "пересекаться" in r.json()["detail"][0]["msg"]
    r = await api.post(url, json=_flag(kind="difficult_conditions", start="2030-01-01"), headers=as_role())
    assert r.status_code == 201, r.text
    r = await api.post(url, json=_flag(kind="unobjective_results", start="2025-01-01", end="2024-12-31"),
                       headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "to"]
    assert len(await _outbox(api, org["id"])) == 3  # registered and the two flags set


async def test_source_is_required(api, as_role):
    org = await _register(api, as_role)
    body = _flag()
    del body["source"]
    r = await api.post(f"/organisations/{org['id']}/flags", json=body, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "source"


async def test_methodist_flags_only_their_municipality(api, as_role):
    ours, theirs = await _register(api, as_role), await _register(api, as_role, oktmo=OBNINSK)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    assert (await api.post(f"/organisations/{ours['id']}/flags", json=_flag(), headers=methodist)).status_code == 201
    r = await api.post(f"/organisations/{theirs['id']}/flags", json=_flag(), headers=methodist)
    assert r.status_code == 403
    assert (await api.get(f"/organisations/{theirs['id']}/flags", headers=as_role())).json() == []


@pytest.mark.parametrize(("role", "title"), [("organisation_admin", "Администратор организации"),
                                             ("analyst", "Аналитик"), ("service", "Сервисная учётная запись")])
async def test_other_roles_are_refused_with_the_role_named(api, as_role, role, title):
    org = await _register(api, as_role)
    scope = {"organisation": org["id"]} if role == "organisation_admin" else {}
    r = await api.post(f"/organisations/{org['id']}/flags", json=_flag(), headers=as_role(role, **scope))
    assert r.status_code == 403 and r.json()["detail"][0]["msg"].startswith(title)
    flag = (await api.post(f"/organisations/{org['id']}/flags", json=_flag(), headers=as_role())).json()
    r = await api.post(f"/organisations/{org['id']}/flags/{flag['id']}/clear", json={"to": "2025-12-31"},
                       headers=as_role(role, **scope))
    assert r.status_code == 403 and title in r.json()["detail"][0]["msg"]
    assert [f["cleared"] for f in (await api.get(f"/organisations/{org['id']}/flags", headers=as_role())).json()] \
        == [False]


async def test_unknown_flag_or_organisation_is_404(api, as_role):
    org = await _register(api, as_role)
    r = await api.post(f"/organisations/{org['id']}/flags/{org['id']}/clear", json={"to": "2025-12-31"},
                       headers=as_role())
    assert r.status_code == 404
    assert (await api.get("/organisations/00000000-0000-4000-8000-000000000000/flags",
                          headers=as_role())).status_code == 404


def _site(kind="innovation", level="regional", start="2025-01-01", end="2027-12-31") -> dict:
    return {"kind": kind, "level": level, "from": start, "to": end, "topic": "Формирование функциональной грамотности",
            "order": {"number": "456-п", "date": "2024-12-20"}}


async def test_site_status_granted_ended_and_history_kept(api, as_role):
    org = await _register(api, as_role)
    url = f"/organisations/{org['id']}/sites"
    r = await api.post(url, json=_site(), headers=as_role("municipal_methodist", municipality=KALUGA))
    assert r.status_code == 201, r.text
    site = r.json()
    assert site["title"] == "Инновационная площадка (региональный уровень)" and site["levelTitle"] == "Региональный"
    assert site["order"] == {"number": "456-п", "date": "2024-12-20"}
    assert (await api.post(url, json=_site(kind="base", level=None), headers=as_role())).status_code == 201

    r = await api.post(f"{url}/{site['id']}/end", json={"to": "2025-12-31"}, headers=as_role())
    assert r.status_code == 200, r.text
    assert r.json()["to"] == "2025-12-31" and r.json()["grantedTo"] == "2027-12-31" and r.json()["ended"]
    assert len((await api.get(url, headers=as_role("analyst"))).json()) == 2
    [base] = (await api.get(url, params={"asOf": "2026-03-01"}, headers=as_role("analyst"))).json()
    assert base["kind"] == "base"

    events = [e for e in await _outbox(api, org["id"]) if "site_status" in e["type"]]
    assert [e["type"].rsplit(".", 2)[-2] for e in events] == ["site_status_granted", "site_status_granted",
                                                              "site_status_ended"]
    assert events[2]["data"]["siteId"] == site["id"] and events[2]["data"]["validTo"] == "2025-12-31"
    assert events[0]["data"]["level"] == "regional" and events[0]["data"]["orderDate"] == "2024-12-20"


async def test_site_rules_refuse_with_the_field_named(api, as_role):
    org = await _register(api, as_role)
    url = f"/organisations/{org['id']}/sites"
    assert (await api.post(url, json=_site(), headers=as_role())).status_code == 201
    r = await api.post(url, json=_site(start="2027-12-31", end=None), headers=as_role())
    assert r.status_code == 409 and r.json()["detail"][0]["loc"] == ["body", "from"]
    r = await api.post(url, json=_site(level=None), headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "level"]
    admin = as_role("organisation_admin", organisation=org["id"])
    r = await api.post(url, json=_site(level="federal"), headers=admin)
    assert r.status_code == 403 and r.json()["detail"][0]["msg"].startswith("Администратор организации")
    theirs = await _register(api, as_role, oktmo=OBNINSK)
    r = await api.post(f"/organisations/{theirs['id']}/sites", json=_site(),
                       headers=as_role("municipal_methodist", municipality=KALUGA))
    assert r.status_code == 403


async def test_parent_at_registration_and_by_update_with_its_rules(api, as_role):
    head = await _register(api, as_role)
    branch = await _register(api, as_role, parentId=head["id"])
    assert branch["parentId"] == head["id"] and branch["status"] == "active"
    [registered] = await _outbox(api, branch["id"])
    assert registered["data"]["parentId"] == head["id"]

    other = await _register(api, as_role, oktmo=OBNINSK)
    r = await api.patch(f"/organisations/{branch['id']}", json={"parentId": other["id"]}, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "parentId"]
    r = await api.patch(f"/organisations/{head['id']}", json={"parentId": branch["id"]}, headers=as_role())
    assert r.status_code == 422 and "цикл" in r.json()["detail"][0]["msg"]
    admin = as_role("organisation_admin", organisation=branch["id"])
    r = await api.patch(f"/organisations/{branch['id']}", json={"parentId": None}, headers=admin)
    assert r.status_code == 403 and "головная организация" in r.json()["detail"][0]["msg"]
    r = await api.patch(f"/organisations/{branch['id']}", json={"parentId": None}, headers=as_role())
    assert r.status_code == 200 and r.json()["parentId"] is None
    assert (await _outbox(api, branch["id"]))[-1]["data"]["changed"] == ["parentId"]


async def test_reorganisation_closes_into_the_successor(api, as_role):
    org, successor = await _register(api, as_role), await _register(api, as_role)
    url = f"/organisations/{org['id']}/reorganise"
    admin = as_role("organisation_admin", organisation=org["id"])
    r = await api.post(url, json={"successorId": successor["id"], "on": "2025-09-01"}, headers=admin)
    assert r.status_code == 403 and r.json()["detail"][0]["msg"].startswith("Администратор организации")
    r = await api.post(url, json={"successorId": org["id"]}, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "successorId"]
    r = await api.post(url, json={"successorId": successor["id"], "on": "2025-09-01"}, headers=as_role())
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["status"] == "reorganised" and shown["successorId"] == successor["id"]
    assert shown["closedOn"] == "2025-09-01" and not shown["active"]
    reorganised = (await _outbox(api, org["id"]))[-1]
    assert reorganised["type"].endswith("organisation.reorganised.v1")
    assert reorganised["data"]["successorId"] == successor["id"] and "name" not in reorganised["data"]
    r = await api.post(url, json={"successorId": successor["id"]}, headers=as_role())
    assert r.status_code == 409
    r = await api.post(f"/organisations/{successor['id']}/reorganise", json={"successorId": org["id"]},
                       headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "successorId"]
