"""Annual work plans through the events service's REST API on a real database: items, statuses and
plan-versus-fact, linked events completing items, the scope matrix, events.plans.v1 without titles, the xlsx
«Анализ выполнения годового плана» with its totals, and the next year's plan started from this one."""
import datetime
import io
import json
import uuid
from datetime import date

import openpyxl
import pytest

from tests.plans_app import KALUGA, OBNINSK, events_client, organisation, person

pytestmark = pytest.mark.integration
YEAR = date.today().year - 1 if date.today().month < 9 else date.today().year  # the current academic year
LAST = f"{YEAR + 1}-08"  # not ended before the year does


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with events_client(infra, namespace) as http:
        yield http


async def _methodical_event(pool, org: str) -> uuid.UUID:
    """A methodical event (ev-core's table), put straight into the database: plans only link it by id."""
    event = uuid.uuid4()
    await pool.execute(
        "insert into methodical_events (id, form, title, level, organiser_organisation_id, municipality_oktmo, "
        "format, capacity, registration_opens, registration_closes, starts_at, ends_at, starts_key, hours, "
        "created_by) values ($1, 'seminar', 'Семинар', 'municipal', $2, $3, 'in_person', 10, now(), now(), now(), "
        "now(), now()::text, 2, 't')", event, uuid.UUID(org), KALUGA)
    return event


async def _plan(api, headers, org, year=YEAR):
    r = await api.post("/work-plans", json={"organisationId": org, "year": year}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def _item(api, headers, plan, direction="analytical", months=(LAST,), title="Анализ ВПР", **kw):
    r = await api.post(f"/work-plans/{plan}/items", headers=headers,
                       json={"direction": direction, "months": list(months), "title": title, **kw})
    assert r.status_code == 201, r.text
    return r.json()


async def _mark(api, headers, plan, item, status, **kw):
    return await api.post(f"/work-plans/{plan}/items/{item}/status", json={"status": status, **kw}, headers=headers)


async def test_a_plan_with_items_statuses_and_fulfilment(api, as_role):
    org = await organisation(api.pool, name="Муниципальная методическая служба", kind="methodical_service")
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    plan = await _plan(api, methodist, org)
    assert (plan["academicYear"], plan["organisationName"], plan["items"]) == (
        f"{YEAR}/{YEAR + 1}", "Муниципальная методическая служба", [])
    assert [t["directionTitle"] for t in plan["fulfilment"]["directions"]] == [
        "аналитическое", "информационное", "организационно-методическое", "консультационное"]
    responsible = await person(api.pool)
    done = await _item(api, methodist, plan["id"], responsibleId=responsible, expectedResult="Справка")
    cancelled = await _item(api, methodist, plan["id"], "informational", title="Выпуск бюллетеня")
    moved = await _item(api, methodist, plan["id"], "consultative", title="Консультации для молодых педагогов")
    await _item(api, methodist, plan["id"], "consultative", title="Ещё одна консультация")
    assert (await _mark(api, methodist, plan["id"], done["id"], "done")).json()["statusTitle"] == "выполнено"
    assert (await _mark(api, methodist, plan["id"], cancelled["id"], "cancelled")).status_code == 200
    r = await _mark(api, methodist, plan["id"], moved["id"], "moved", movedTo=f"{YEAR + 1}-09", note="Перенос")
    assert r.status_code == 200 and r.json()["movedTo"] == f"{YEAR + 1}-09", r.text

    got = (await api.get(f"/organisations/{org}/work-plans/{YEAR}", headers=methodist)).json()
    overall = got["fulfilment"]["overall"]
    assert (overall["total"], overall["counted"], overall["done"], overall["cancelled"], overall["moved"],
            overall["share"]) == (4, 3, 1, 1, 1, round(1 / 3, 4))
    consultative = got["fulfilment"]["directions"][3]
    assert (consultative["direction"], consultative["counted"], consultative["share"]) == ("consultative", 2, 0.0)

    # the topic: ids, codes and months — no titles, no expected results
    rows = await api.pool.fetch("select topic, value from outbox where key = $1", plan["id"])
    assert {r["topic"] for r in rows} == {"events.plans.v1"} and len(rows) == 3
    text = " ".join(r["value"].decode() if isinstance(r["value"], bytes) else str(r["value"]) for r in rows)
    assert "Анализ" not in text and "Справка" not in text and "Консультации" not in text
    moved_event = next(json.loads(r["value"]) for r in rows if f"{YEAR + 1}-09" in str(r["value"]))
    assert (moved_event["data"]["status"], moved_event["data"]["previous"]) == ("moved", "planned")


async def test_refusals_name_the_field(api, as_role):
    org = await organisation(api.pool)
    plan = await _plan(api, as_role(), org)
    cases = [({"direction": "sport", "months": [LAST], "title": "x"}, "direction"),
             ({"direction": "analytical", "months": [f"{YEAR - 1}-10"], "title": "x"}, "months"),
             ({"direction": "analytical", "months": ["2026-13"], "title": "x"}, "months"),
             ({"direction": "analytical", "months": [LAST], "title": "x", "eventIds": [str(uuid.uuid4())]},
              "eventIds"),
             ({"direction": "analytical", "months": [LAST], "title": "x", "responsibleId": str(uuid.uuid4())},
              "responsibleId")]
    for body, field in cases:
        r = await api.post(f"/work-plans/{plan['id']}/items", json=body, headers=as_role())
        assert r.status_code == 422 and field in r.json()["detail"][0]["loc"], (body, r.text)
    item = await _item(api, as_role(), plan["id"])
    r = await _mark(api, as_role(), plan["id"], item["id"], "moved")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "movedTo"]
    r = await _mark(api, as_role(), plan["id"], item["id"], "overdue")
    assert r.status_code == 422
    again = await api.post("/work-plans", json={"organisationId": org, "year": YEAR}, headers=as_role())
    assert again.status_code == 409
    unknown = await api.post("/work-plans", json={"organisationId": str(uuid.uuid4()), "year": YEAR},
                             headers=as_role())
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "organisationId"]


async def test_an_item_past_its_month_is_overdue_and_linked_events_complete_it(api, as_role):
    org = await organisation(api.pool)
    plan = await _plan(api, as_role(), org, YEAR - 1)  # last academic year: every month has ended
    event = await _methodical_event(api.pool, org)
    linked = await _item(api, as_role(), plan["id"], "organisational_methodical", months=[f"{YEAR - 1}-11"],
                         eventIds=[str(event)])
    overdue = await _item(api, as_role(), plan["id"], months=[f"{YEAR}-02"])
    assert (linked["status"], overdue["status"]) == ("overdue", "overdue")
    await api.pool.execute("update methodical_events set completed_at = now() where id = $1", event)
    got = (await api.get(f"/work-plans/{plan['id']}", headers=as_role())).json()
    assert [i["status"] for i in got["items"]] == ["done", "overdue"]
    assert (got["fulfilment"]["overall"]["done"], got["fulfilment"]["overall"]["overdue"]) == (1, 1)


async def test_scope_matrix(api, as_role):
    org = await organisation(api.pool)
    other_org = await organisation(api.pool)
    obninsk_org = await organisation(api.pool, OBNINSK)
    plan = await _plan(api, as_role(), org)
    item = await _item(api, as_role(), plan["id"])
    roles = {
        "coordinator": (as_role(), True, True),
        "methodist": (as_role("municipal_methodist", municipality=KALUGA), True, True),
        "other methodist": (as_role("municipal_methodist", municipality=OBNINSK), False, False),
        "admin": (as_role("organisation_admin", organisation=org), True, True),
        "other admin": (as_role("organisation_admin", organisation=other_org), False, False),
        "analyst": (as_role("analyst"), True, False),
    }
    missing = await api.get(f"/work-plans/{uuid.uuid4()}", headers=as_role())
    for name, (headers, reads, manages) in roles.items():
        r = await api.get(f"/work-plans/{plan['id']}", headers=headers)
        assert r.status_code == (200 if reads else 404), name
        if not reads:
            assert r.json()["detail"][0]["type"] == missing.json()["detail"][0]["type"]
        r = await _mark(api, headers, plan["id"], item["id"], "planned")
        assert r.status_code == (200 if manages else 404 if not reads else 403), (name, r.text)
        x = await api.get(f"/work-plans/{plan['id']}/analysis.xlsx", headers=headers)
        assert x.status_code == (200 if reads else 404), name
    for headers, org_id in ((as_role("municipal_methodist", municipality=KALUGA), obninsk_org),
                            (as_role("organisation_admin", organisation=org), other_org),
                            (as_role("analyst"), other_org)):
        r = await api.post("/work-plans", json={"organisationId": org_id, "year": YEAR}, headers=headers)
        assert r.status_code == 403


async def test_the_analysis_workbook_has_the_totals(api, as_role):
    org = await organisation(api.pool, name="МБОУ «Лицей № 9»")
    h = as_role()
    plan = await _plan(api, h, org)
    a = await _item(api, h, plan["id"], "analytical", title="Мониторинг результатов ОГЭ")
    await _item(api, h, plan["id"], "analytical", title="Анализ кадров")
    c = await _item(api, h, plan["id"], "informational", title="Новости на сайте")
    await _mark(api, h, plan["id"], a["id"], "done")
    await _mark(api, h, plan["id"], c["id"], "cancelled")
    r = await api.get(f"/work-plans/{plan['id']}/analysis.xlsx", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Анализ выполнения годового плана") and f"{YEAR}/{YEAR + 1}" in rows[0][0]
    assert rows[1][0] == "МБОУ «Лицей № 9»"
    titles = [r[1] for r in rows if isinstance(r[0], int)]
    assert titles == ["Мониторинг результатов ОГЭ", "Анализ кадров", "Новости на сайте"]
    header = next(i for i, r in enumerate(rows) if r[0] == "Направление")
    summary = {r[0]: r[1:] for r in rows[header + 1:header + 6]}
    # total, counted, done, moved, overdue, cancelled, pending, share %
    assert summary["аналитическое"][:3] == (2, 2, 1) and summary["аналитическое"][7] == 50.0
    assert summary["информационное"][:3] == (1, 0, 0) and summary["информационное"][5] == 1
    assert summary["информационное"][7] is None
    assert summary["Итого"][:3] == (3, 2, 1) and summary["Итого"][7] == 50.0


async def test_next_year_copies_items_a_year_later_with_statuses_reset_and_links_dropped(api, as_role):
    org = await organisation(api.pool)
    h = as_role("organisation_admin", organisation=org)
    plan = await _plan(api, h, org)
    event = await _methodical_event(api.pool, org)
    a = await _item(api, h, plan["id"], "consultative", months=[f"{YEAR}-12", f"{YEAR + 1}-01"], title="Консультации",
                    eventIds=[str(event)], responsibleId=await person(api.pool))
    await _mark(api, h, plan["id"], a["id"], "done")
    r = await api.post(f"/work-plans/{plan['id']}/next-year", headers=h)
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["year"] == YEAR + 1 and new["id"] != plan["id"]
    [copied] = new["items"]
    assert (copied["months"], copied["status"], copied["eventIds"], copied["title"], copied["responsibleId"]) == (
        [f"{YEAR + 1}-12", f"{YEAR + 2}-01"], "planned", [], "Консультации", a["responsibleId"])
    assert (await api.post(f"/work-plans/{plan['id']}/next-year", headers=h)).status_code == 409
    old = (await api.get(f"/work-plans/{plan['id']}", headers=h)).json()
    assert old["items"][0]["status"] == "done" and old["items"][0]["eventIds"] == [str(event)]


async def test_approval_publishes_the_item_count(api, as_role):
    org = await organisation(api.pool)
    plan = await _plan(api, as_role(), org)
    await _item(api, as_role(), plan["id"])
    r = await api.post(f"/work-plans/{plan['id']}/approve", json={"approvedOn": f"{YEAR}-08-30"}, headers=as_role())
    assert r.status_code == 200 and r.json()["approvedOn"] == f"{YEAR}-08-30", r.text
    [row] = await api.pool.fetch("select value from outbox where key = $1", plan["id"])
    data = json.loads(row["value"])["data"]
    assert (data["items"], data["year"], data["municipalityOktmo"]) == (1, YEAR, KALUGA)


async def test_linked_events_rescheduled_or_cancelled_move_or_cancel_the_item(api, as_role):
    org = await organisation(api.pool)
    plan = await _plan(api, as_role(), org)
    later, dropped = await _methodical_event(api.pool, org), await _methodical_event(api.pool, org)
    await api.pool.execute(  # the seminar's only session was rescheduled to the first days of the next year's plan
        "insert into event_sessions (id, event_id, position, starts_at, ends_at, hours, check_in_code) values"
        " ($1, $2, 1, $3::timestamptz, $3::timestamptz + interval '2 hours', 2, 'X')", uuid.uuid4(), later,
        datetime.datetime(YEAR + 1, 8, 31, 21, 30, tzinfo=datetime.UTC))  # 1 September, 00:30 in Moscow
    moved = await _item(api, as_role(), plan["id"], months=[LAST], eventIds=[str(later)])
    assert (moved["status"], moved["movedTo"]) == ("moved", f"{YEAR + 1}-09")
    cancelled = await _item(api, as_role(), plan["id"], months=[LAST], eventIds=[str(dropped)])
    assert cancelled["status"] == "planned"
    await api.pool.execute("update methodical_events set status = 'cancelled' where id = $1", dropped)
    got = (await api.get(f"/work-plans/{plan['id']}", headers=as_role())).json()
    assert [i["status"] for i in got["items"]] == ["moved", "cancelled"]
    assert (got["fulfilment"]["overall"]["moved"], got["fulfilment"]["overall"]["cancelled"]) == (1, 1)
