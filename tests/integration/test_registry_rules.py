"""Field-level write rules, contact details and closing dates through the registry's REST API on a real database."""
import json
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn, ogrn
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration


_n = iter(range(100, 10_000))


async def _register(api, as_role, **fields) -> dict:
    n = next(_n)
    body = {"name": f"МБОУ СОШ № {n}", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(n), **fields}
    r = await api.post("/organisations", json=body, headers=as_role())
    assert r.status_code == 201, r.text
    return r.json()


async def _outbox(api, org_id: str) -> list[dict]:
    rows = await api.pool.fetch("select value from outbox where key = $1 order by seq", org_id)
    return [json.loads(r["value"]) for r in rows]


async def test_contacts_and_ogrn_are_registered_shown_and_published(api, as_role):
    org = await _register(api, as_role, ogrn=ogrn(1), address="Калуга, ул. Ленина, 1", phone="+7 (4842) 56-12-34",
                          email="school@kaluga.ru", website="https://school.kaluga.ru")
    shown = (await api.get(f"/organisations/{org['id']}", headers=as_role("analyst"))).json()
    assert {k: shown[k] for k in ("ogrn", "address", "phone", "email", "website")} == {
        "ogrn": ogrn(1), "address": "Калуга, ул. Ленина, 1", "phone": "+7 (4842) 56-12-34",
        "email": "school@kaluga.ru", "website": "https://school.kaluga.ru"}
    [registered] = await _outbox(api, org["id"])
    assert registered["data"]["ogrn"] == ogrn(1) and registered["data"]["website"] == "https://school.kaluga.ru"


async def test_organisation_admin_changes_contacts_and_short_name(api, as_role):
    org = await _register(api, as_role)
    admin = as_role("organisation_admin", organisation=org["id"])
    r = await api.patch(f"/organisations/{org['id']}", headers=admin,
                        json={"phone": "8 (4842) 11-22-33", "shortName": "СОШ", "kind": "school", "inn": org["inn"]})
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "8 (4842) 11-22-33" and r.json()["shortName"] == "СОШ" and r.json()["version"] == 2
    updated = (await _outbox(api, org["id"]))[-1]["data"]
    assert sorted(updated["changed"]) == ["phone", "shortName"] and updated["phone"] == "8 (4842) 11-22-33"


@pytest.mark.parametrize("change,fields,message", [
    ({"kind": "regional_institute", "inn": "7707083893"}, ["kind", "inn"],
     "Администратор организации не может изменять поля: вид организации, ИНН"),
    ({"name": "Иное", "phone": "8 800 000 00 00"}, ["name"],
     "Администратор организации не может изменять поле: полное наименование"),
    ({"municipalityOktmo": OBNINSK}, ["municipalityOktmo"],
     "Администратор организации не может изменять поле: муниципалитет"),
    ({"ogrn": "1027700132195"}, ["ogrn"], "Администратор организации не может изменять поле: ОГРН"),
])
async def test_organisation_admin_may_not_change_identity_fields(api, as_role, change, fields, message):
    org = await _register(api, as_role)
    r = await api.patch(f"/organisations/{org['id']}", json=change,
                        headers=as_role("organisation_admin", organisation=org["id"]))
    assert r.status_code == 403, r.text
    detail = r.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", f] for f in fields]
    assert {d["msg"] for d in detail} == {message}
    shown = (await api.get(f"/organisations/{org['id']}", headers=as_role())).json()
    assert shown == org and len(await _outbox(api, org["id"])) == 1


async def test_organisation_admin_may_not_close_the_organisation(api, as_role):
    org = await _register(api, as_role)
    r = await api.post(f"/organisations/{org['id']}/close", json={},
                       headers=as_role("organisation_admin", organisation=org["id"]))
    assert r.status_code == 403, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "closedOn"]
    assert r.json()["detail"][0]["msg"].startswith("Администратор организации не может изменять поле")
    assert (await api.get(f"/organisations/{org['id']}", headers=as_role())).json()["active"] is True


@pytest.mark.parametrize("role", ["analyst", "service"])
async def test_analyst_and_service_change_nothing(api, as_role, role):
    org = await _register(api, as_role)
    r = await api.patch(f"/organisations/{org['id']}", json={"address": "Калуга"}, headers=as_role(role))
    assert r.status_code == 403 and r.json()["detail"][0]["loc"] == ["body", "address"]
    title = {"analyst": "Аналитик", "service": "Сервисная учётная запись"}[role]
    assert r.json()["detail"][0]["msg"] == f"{title} не может изменять поле: адрес"


async def test_municipal_methodist_changes_every_field_of_own_municipality_only(api, as_role):
    org = await _register(api, as_role)
    own = as_role("municipal_methodist", municipality=KALUGA)
    r = await api.patch(f"/organisations/{org['id']}", json={"inn": legal_inn(9001), "ogrn": ogrn(2)}, headers=own)
    assert r.status_code == 200 and r.json()["inn"] == legal_inn(9001) and r.json()["ogrn"] == ogrn(2)
    other = as_role("municipal_methodist", municipality=OBNINSK)
    r = await api.patch(f"/organisations/{org['id']}", json={"name": "Иное"}, headers=other)
    assert r.status_code == 403
    r = await api.patch(f"/organisations/{org['id']}", json={"municipalityOktmo": OBNINSK}, headers=own)
    assert r.status_code == 403  # moving needs scope over the target municipality too
    r = await api.post(f"/organisations/{org['id']}/close", json={}, headers=other)
    assert r.status_code == 403
    r = await api.post(f"/organisations/{org['id']}/close", json={}, headers=own)
    assert r.status_code == 200 and r.json()["closedOn"] == date.today().isoformat()


@pytest.mark.parametrize("closed_on", ["9999-12-31", "tomorrow", "1989-12-31"])
async def test_a_closing_date_after_today_or_before_1990_is_refused(api, as_role, closed_on):
    if closed_on == "tomorrow":  # taken when the test runs, not when the suite was collected
        closed_on = (date.today() + timedelta(days=1)).isoformat()
    org = await _register(api, as_role)
    r = await api.post(f"/organisations/{org['id']}/close", json={"closedOn": closed_on}, headers=as_role())
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "closedOn"] and closed_on in r.json()["detail"][0]["msg"]
    shown = (await api.get(f"/organisations/{org['id']}", headers=as_role())).json()
    assert shown["active"] is True and shown["closedOn"] is None


async def test_a_past_closing_date_is_taken(api, as_role):
    org = await _register(api, as_role)
    r = await api.post(f"/organisations/{org['id']}/close", json={"closedOn": "2020-08-31"}, headers=as_role())
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["closedOn"] == "2020-08-31"


@pytest.mark.parametrize("field,value", [("inn", "0000000000"), ("ogrn", "0000000000000"), ("ogrn", "1027700132196"),
                                         ("email", "не почта"), ("website", "ftp://school.ru"), ("phone", "звоните")])
async def test_bad_identifiers_and_contacts_are_refused_naming_the_field(api, as_role, field, value):
    before = await api.pool.fetchval("select count(*) from organisations")
    body = {"name": "МБОУ СОШ", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(9500), field: value}
    r = await api.post("/organisations", json=body, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", field], r.text
    assert await api.pool.fetchval("select count(*) from organisations") == before


async def test_a_contact_is_cleared_with_null_but_the_name_is_not(api, as_role):
    org = await _register(api, as_role, phone="8 4842 00 00 00")
    r = await api.patch(f"/organisations/{org['id']}", json={"phone": None}, headers=as_role())
    assert r.status_code == 200 and r.json()["phone"] is None
    r = await api.patch(f"/organisations/{org['id']}", json={"municipalityOktmo": None}, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "municipalityOktmo"]


@pytest.mark.parametrize("role,scope,title", [
    ("analyst", {}, "Аналитик"), ("organisation_admin", {"organisation": "x"}, "Администратор организации")])
async def test_registration_refusal_names_the_callers_role(api, as_role, role, scope, title):
    body = {"name": "МБОУ СОШ", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(9600)}
    r = await api.post("/organisations", json=body, headers=as_role(role, **scope))
    assert r.status_code == 403 and r.json()["detail"][0]["msg"] == f"{title} не может регистрировать организации"
