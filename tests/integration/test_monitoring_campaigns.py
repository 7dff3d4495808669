"""Data-collection campaigns through the monitoring service's REST API on a real database, their events relayed
to the real broker: a form and a campaign assigned by kind; draft → submit (per-field errors) → municipal
approval → regional approval → facts rows; return after approval removes the facts; scope (another
municipality's form answers 404); completeness and its xlsx; reminders once a day; an anonymous survey with
small groups suppressed; a municipality's own campaign; file fields; GraphQL through the gateway's resolvers on
the real service; campaign facts rebuilt from the approved forms."""
import asyncio
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from metodset_contracts.catalogue import CAMPAIGNS_TOPIC
from metodset_kit import kafka
from metodset_kit.relay import Relay
from tests.monitoring_app import KALUGA, OBNINSK, monitoring_client, seed_organisation
from tests.topics import read_all

pytestmark = pytest.mark.integration

FORM = {"code": "contingent", "title": "Контингент обучающихся", "fields": [
    {"code": "students_total", "title": "Число обучающихся", "type": "number", "required": True, "minimum": 0,
     "maximum": 5000, "integer": True},
    {"code": "shift", "title": "Сменность", "type": "choice",
     "options": [{"code": "one", "title": "одна смена"}, {"code": "two", "title": "две смены"}]},
    {"code": "note", "title": "Примечание", "type": "text", "maxLength": 200},
]}


@pytest.fixture(scope="module")
async def api(infra, namespace, tmp_path_factory):
    async with monitoring_client(infra, namespace, storage_dir=tmp_path_factory.mktemp("storage")) as http:
        yield http


@pytest.fixture(scope="module")
async def world(api, as_role):
    """Two schools and a kindergarten in Kaluga, a school in Obninsk; the form and a campaign for schools."""
    schools = [await seed_organisation(api.pool, KALUGA) for _ in range(2)]
    await seed_organisation(api.pool, KALUGA, kind="kindergarten")
    obninsk = await seed_organisation(api.pool, OBNINSK)
    r = await api.post("/campaign-forms", json=FORM, headers=as_role())
    assert r.status_code == 201, r.text
    deadline = date.today() + timedelta(days=2)
    r = await api.post("/campaigns", headers=as_role(), json={
        "code": "contingent_2025", "title": "Контингент 2025/2026", "formCode": "contingent", "period": "2025/2026",
        "periodStart": "2025-09-01", "deadline": deadline.isoformat(),
        "assign": {"kinds": ["school"], "municipalities": [KALUGA, OBNINSK]}})
    assert r.status_code == 201, r.text
    return {"campaign": r.json()["id"], "schools": schools, "obninsk": obninsk}


def _values(**kw):
    return [{"field": k, "value": v} for k, v in kw.items()]


async def _submission_of(api, as_role, campaign, org):
    r = await api.get(f"/campaigns/{campaign}/submissions", headers=as_role())
    return next(s for s in r.json()["items"] if s["organisationId"] == org)


async def test_submission_to_final_approval_gives_facts(api, as_role, world):
    campaign, org = world["campaign"], world["schools"][0]
    admin = as_role("organisation_admin", organisation=org)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    draft = await api.post(f"/campaigns/{campaign}/drafts", headers=admin,
                           json={"organisationId": org, "values": _values(note="черновик")})
    assert draft.status_code == 200 and draft.json()["status"] == "draft", draft.text

    bad = await api.post(f"/campaigns/{campaign}/submissions", headers=admin,
                         json={"organisationId": org, "values": _values(students_total=12.5, shift="three")})
    assert bad.status_code == 422
    by_field = {d["loc"][-1]: d["msg"] for d in bad.json()["detail"]}
    assert by_field == {"students_total": "Поле «Число обучающихся»: ожидается целое число",
                        "shift": by_field["shift"]} and "three" in by_field["shift"]
    check = await api.post(f"/campaigns/{campaign}/check", headers=admin, json={"organisationId": org, "values": []})
    assert [p["field"] for p in check.json()["problems"]] == ["students_total"]

    ok = await api.post(f"/campaigns/{campaign}/submissions", headers=admin,
                        json={"organisationId": org, "values": _values(students_total=420, shift="two")})
    assert ok.status_code == 200 and ok.json()["status"] == "submitted", ok.text
    sid = ok.json()["id"]
    early = await api.post(f"/campaign-submissions/{sid}/approve", headers=as_role())
    assert early.status_code == 409  # the municipality approves first
    assert (await api.post(f"/campaign-submissions/{sid}/approve", headers=admin)).status_code == 403
    step = await api.post(f"/campaign-submissions/{sid}/approve", headers=methodist)
    assert step.json()["status"] == "approved_by_municipality", step.text
    assert await api.pool.fetchval("select count(*) from facts where kind = 'campaign'") == 0
    final = await api.post(f"/campaign-submissions/{sid}/approve", headers=as_role())
    assert final.json()["status"] == "approved" and final.json()["approvedAt"], final.text

    rows = {r["record_id"]: r for r in await api.pool.fetch("select * from facts where kind = 'campaign'")}
    total = rows[f"{campaign}:{org}:students_total"]
    assert (float(total["value"]), str(total["organisation_id"]), total["municipality_oktmo"], total["version"],
            total["valid_from"]) == (420.0, org, KALUGA, 1, date(2025, 9, 1))
    assert total["attrs"] == {"campaign": "contingent_2025", "form": "contingent", "field": "students_total",
                              "period": "2025/2026"}
    assert rows[f"{campaign}:{org}:shift"]["attrs"]["choice"] == "two"
    assert f"{campaign}:{org}:note" not in rows

    returned = await api.post(f"/campaign-submissions/{sid}/return", headers=as_role(),
                              json={"comment": "Сверьте с ФРДО"})
    assert (returned.json()["status"], returned.json()["returnComment"]) == ("returned", "Сверьте с ФРДО")
    assert await api.pool.fetchval("select count(*) from facts where record_id like $1", f"{campaign}:{org}:%") == 0
    await api.post(f"/campaigns/{campaign}/submissions", headers=admin,
                   json={"organisationId": org, "values": _values(students_total=421)})
    await api.post(f"/campaign-submissions/{sid}/approve", headers=methodist)
    await api.post(f"/campaign-submissions/{sid}/approve", headers=as_role())
    again = await api.pool.fetch("select * from facts where record_id like $1", f"{campaign}:{org}:%")
    assert [(r["record_id"].rsplit(":", 1)[-1], float(r["value"]), r["version"]) for r in again] == [
        ("students_total", 421.0, 2)]


async def test_municipal_return_needs_a_comment_and_reopens_the_form(api, as_role, world):
    campaign, org = world["campaign"], world["schools"][1]
    admin = as_role("organisation_admin", organisation=org)
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    sid = (await api.post(f"/campaigns/{campaign}/submissions", headers=admin,
                          json={"organisationId": org, "values": _values(students_total=300)})).json()["id"]
    assert (await api.post(f"/campaigns/{campaign}/drafts", headers=admin,
                           json={"organisationId": org, "values": []})).status_code == 409
    empty = await api.post(f"/campaign-submissions/{sid}/return", headers=methodist, json={"comment": " "})
    assert empty.status_code == 422
    r = await api.post(f"/campaign-submissions/{sid}/return", headers=methodist, json={"comment": "Нет данных"})
    assert (r.json()["status"], r.json()["returnedBy"]) == ("returned", "municipality")
    redraft = await api.post(f"/campaigns/{campaign}/drafts", headers=admin,
                             json={"organisationId": org, "values": _values(students_total=310)})
    assert redraft.status_code == 200 and redraft.json()["status"] == "returned"


async def test_another_municipality_answers_like_a_missing_one(api, as_role, world):
    campaign = world["campaign"]
    theirs = await _submission_of(api, as_role, campaign, world["obninsk"])
    kaluga = as_role("municipal_methodist", municipality=KALUGA)
    for method, path, body in (("GET", f"/campaign-submissions/{theirs['id']}", None),
                               ("POST", f"/campaign-submissions/{theirs['id']}/approve", None),
                               ("POST", f"/campaign-submissions/{theirs['id']}/return", {"comment": "x"})):
        r = await api.request(method, path, headers=kaluga, json=body)
        assert r.status_code == 404, (path, r.text)
    missing = await api.get("/campaign-submissions/00000000-0000-0000-0000-000000000000", headers=kaluga)
    assert r.json()["detail"][0]["type"] == missing.json()["detail"][0]["type"] == "not_found"
    listed = await api.get(f"/campaigns/{campaign}/submissions", headers=kaluga)
    assert {s["municipalityOktmo"] for s in listed.json()["items"]} == {KALUGA}
    other_admin = as_role("organisation_admin", organisation=world["obninsk"])
    refused = await api.post(f"/campaigns/{campaign}/drafts", headers=other_admin,
                             json={"organisationId": world["schools"][0], "values": []})
    assert refused.status_code == 404
    stranger = as_role("municipal_methodist", municipality="29705000")
    assert (await api.get(f"/campaigns/{campaign}", headers=stranger)).status_code == 404
    assert (await api.get("/campaigns", headers=stranger)).json()["totalCount"] == 0


async def test_completeness_and_its_xlsx(api, as_role, world):
    campaign = world["campaign"]
    rows = (await api.get(f"/campaigns/{campaign}/completeness", headers=as_role())).json()
    by = {r["municipalityOktmo"]: r for r in rows}
    assert by[KALUGA]["assigned"] == 2 and by[OBNINSK]["assigned"] == 1 and by[None]["assigned"] == 3
    assert by[KALUGA]["submitted"] >= by[KALUGA]["approved"]
    mine = (await api.get(f"/campaigns/{campaign}/completeness",
                          headers=as_role("municipal_methodist", municipality=OBNINSK))).json()
    assert [r["municipalityOktmo"] for r in mine] == [OBNINSK, None]
    report = await api.get(f"/reports/campaigns/{campaign}/completeness.xlsx", headers=as_role())
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    book = load_workbook(io.BytesIO(report.content))
    sheet = book["Полнота"]
    captions = [c.value for c in sheet[4]]
    assert captions[:5] == ["Муниципалитет", "ОКТМО", "Назначено", "Представлено", "Принято регионом"]
    assert [sheet.cell(row=r, column=2).value for r in range(5, 8)] == [KALUGA, OBNINSK, None]
    assert sheet.cell(row=7, column=1).value == "Итого" and sheet.cell(row=7, column=3).value == 3
    assert book["Респонденты"].max_row == 4


async def test_reminders_once_a_day_and_events_on_the_broker(api, as_role, world, infra):
    day = date.today()
    first = await api.post("/campaigns/reminders", headers=as_role(), params={"day": day.isoformat()})
    assert first.status_code == 200, first.text
    assert first.json()["reminders"] == 2  # the deadline is two days away
    again = await api.post("/campaigns/reminders", headers=as_role(), params={"day": day.isoformat()})
    assert again.json()["reminders"] == 0
    assert (await api.post("/campaigns/reminders", headers=as_role("analyst"))).status_code == 403

    settings = api.settings
    await kafka.ensure_topics(settings, [settings.topic(CAMPAIGNS_TOPIC)])
    producer = kafka.producer(settings)
    await producer.start()
    relay = Relay(api.pool, producer, batch_size=100, poll_interval=0.1, topic_of=settings.topic)
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(300):
            if await api.pool.fetchval("select count(*) from outbox where sent_at is null") == 0:
                break
            await asyncio.sleep(0.1)
    finally:
        relay.stop()
        await task
        await producer.stop()
    records = await read_all(infra.bootstrap_servers, settings.topic(CAMPAIGNS_TOPIC))
    types = {json.loads(r.value)["type"].split(".")[-2] for r in records}
    assert {"opened", "form_submitted", "submission_approved", "submission_returned", "reminder_due"} <= types
    text = b" ".join(r.value for r in records).decode()
    assert "Сверьте" not in text and "Нет данных" not in text  # comments stay in the service
    reminded = {d["organisationId"]: d["reason"] for d in (json.loads(r.value)["data"] for r in records)
                if "reason" in d}
    # Obninsk's school has not submitted, the second Kaluga school was returned; the approved one is left alone
    assert reminded == {world["obninsk"]: "deadline_approaching", world["schools"][1]: "deadline_approaching"}


async def test_survey_answers_are_aggregated_and_small_groups_suppressed(api, as_role):
    form = {"code": "needs", "title": "Потребности в повышении квалификации", "fields": [
        {"code": "topic", "title": "Тема", "type": "choice",
         "options": [{"code": "fgos", "title": "ФГОС"}, {"code": "ai", "title": "ИИ в обучении"}]},
        {"code": "hours", "title": "Готов уделить часов", "type": "number", "minimum": 0, "maximum": 200}]}
    assert (await api.post("/campaign-forms", json=form, headers=as_role())).status_code == 201
    big, small = await seed_organisation(api.pool, KALUGA), await seed_organisation(api.pool, KALUGA)
    other = await seed_organisation(api.pool, OBNINSK)
    r = await api.post("/campaigns", headers=as_role(), json={
        "code": "needs_2026", "title": "Потребности 2026", "formCode": "needs", "kind": "survey", "period": "2026",
        "periodStart": "2026-01-01", "deadline": "2026-12-31", "minGroup": 5,
        "assign": {"organisationIds": [big, small, other]}})
    assert r.status_code == 201, r.text
    survey = r.json()["id"]
    for org, n in ((big, 6), (small, 2), (other, 5)):
        admin = as_role("organisation_admin", organisation=org)
        for i in range(n):
            answered = await api.post(f"/campaigns/{survey}/responses", headers=admin, json={
                "organisationId": org, "values": _values(topic="ai" if i % 2 else "fgos", hours=10 * (i + 1))})
            assert answered.status_code == 204, answered.text
    bad = await api.post(f"/campaigns/{survey}/responses", headers=as_role("organisation_admin", organisation=big),
                         json={"organisationId": big, "values": _values(hours=500)})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "hours"
    groups = {g["key"]: g for g in (await api.get(f"/campaigns/{survey}/results", headers=as_role())).json()}
    assert groups["region"]["responses"] == 13 and groups[KALUGA]["responses"] == 8
    assert groups[small]["suppressed"] and groups[small]["responses"] is None and groups[small]["fields"] == []
    assert groups[big]["suppressed"]  # else Kaluga minus this school would reveal the small one
    assert not groups[other]["suppressed"]
    mine = (await api.get(f"/campaigns/{survey}/results",
                          headers=as_role("organisation_admin", organisation=big))).json()
    assert {g["key"] for g in mine} == {"region", big}
    assert await api.pool.fetchval("select count(*) from survey_responses") == 13


class _Registry:
    """The registry as the gateway's municipality loader asks it (names of municipalities)."""

    async def call(self, method, path, token, **kwargs):
        return [{"oktmo": o, "name": f"МО {o}"} for _, o in kwargs.get("params", [])]


async def _graphql(api, headers, query: str, variables=None):
    from metodset_gateway.clients import ServiceClient
    from metodset_gateway.context import Context
    from metodset_gateway.loaders import municipalities_by_oktmo
    from metodset_gateway.schema import schema
    from metodset_kit.scope import Principal, Role

    token = headers["Authorization"].removeprefix("Bearer ")
    context = Context(principal=Principal("t", Role.REGIONAL_COORDINATOR), token=token,
                      monitoring=ServiceClient("monitoring", api, "http://monitoring"),
                      municipalities=municipalities_by_oktmo(_Registry(), token))
    result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


async def test_graphql_campaigns_through_the_gateway(api, as_role, world):
    org = await seed_organisation(api.pool, OBNINSK)
    created = await _graphql(api, as_role(), """mutation($input: CreateCampaignInput!) {
        createCampaign(input: $input) { id code form { code fields { code type required } } } }""",
                             {"input": {"code": "contingent_gql", "title": "Контингент (GraphQL)",
                                        "formCode": "contingent", "period": "2025/2026", "periodStart": "2025-09-01",
                                        "deadline": "2099-10-01", "assign": {"organisationIds": [org]}}})
    campaign = created["createCampaign"]["id"]
    assert created["createCampaign"]["form"]["fields"][0] == {"code": "students_total", "type": "NUMBER",
                                                              "required": True}
    submit = """mutation($input: CampaignAnswersInput!) { submitCampaignForm(input: $input) {
        accepted errors { field message } submission { id status version values { field value } } } }"""
    admin = as_role("organisation_admin", organisation=org)
    refused = await _graphql(api, admin, submit, {"input": {"campaignId": campaign, "organisationId": org,
                                                            "values": [{"field": "students_total", "value": -3}]}})
    payload = refused["submitCampaignForm"]
    assert payload["accepted"] is False and payload["submission"]["status"] == "DRAFT"
    assert payload["errors"] == [{"field": "students_total",
                                  "message": "Поле «Число обучающихся»: значение -3 меньше допустимого минимума 0"}]
    accepted = await _graphql(api, admin, submit, {"input": {"campaignId": campaign, "organisationId": org,
                                                             "values": [{"field": "students_total", "value": 512}]}})
    payload = accepted["submitCampaignForm"]
    assert payload["accepted"] and payload["errors"] == [] and payload["submission"]["status"] == "SUBMITTED"
    assert payload["submission"]["values"] == [{"field": "students_total", "value": 512}]
    sid = payload["submission"]["id"]
    approve = "mutation($id: ID!) { approveCampaignSubmission(id: $id) { status } }"
    methodist = as_role("municipal_methodist", municipality=OBNINSK)
    assert (await _graphql(api, methodist, approve, {"id": sid}))["approveCampaignSubmission"]["status"] == \
        "APPROVED_BY_MUNICIPALITY"
    assert (await _graphql(api, as_role(), approve, {"id": sid}))["approveCampaignSubmission"]["status"] == "APPROVED"

    read = await _graphql(api, as_role(), """query($id: ID!) { campaign(id: $id) { code completenessReport
        completeness { municipality { oktmo name } assigned submitted approved }
        submissions(first: 5) { totalCount nodes { status municipality { oktmo } } } } }""", {"id": campaign})
    c = read["campaign"]
    assert c["completeness"] == [
        {"municipality": {"oktmo": OBNINSK, "name": f"МО {OBNINSK}"}, "assigned": 1, "submitted": 1, "approved": 1},
        {"municipality": None, "assigned": 1, "submitted": 1, "approved": 1}]
    assert c["submissions"]["totalCount"] == 1 and c["submissions"]["nodes"][0]["status"] == "APPROVED"
    assert c["completenessReport"] == f"/reports/campaigns/{campaign}/completeness.xlsx"
    listed = await _graphql(api, as_role(), '{ campaigns(filter: {period: "2025/2026"}, first: 10) '
                                            '{ totalCount nodes { code } } }')
    assert {n["code"] for n in listed["campaigns"]["nodes"]} >= {"contingent_2025", "contingent_gql"}
    hidden = await _graphql(api, as_role("municipal_methodist", municipality="29705000"),
                            "query($id: ID!) { campaign(id: $id) { code } }", {"id": campaign})
    assert hidden["campaign"] is None


async def test_a_municipality_s_own_campaign_ends_with_its_approval(api, as_role, world):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    body = {"code": "contingent_kaluga", "title": "Контингент (Калуга)", "formCode": "contingent",
            "period": "2025/2026", "periodStart": "2025-09-01", "deadline": "2099-10-01"}
    foreign = await api.post("/campaigns", headers=methodist,
                             json={**body, "assign": {"organisationIds": [world["obninsk"]]}})
    assert foreign.status_code == 403 and foreign.json()["detail"][0]["loc"] == ["body", "assign.organisationIds"]
    assert await api.pool.fetchval("select count(*) from campaigns where code = 'contingent_kaluga'") == 0
    r = await api.post("/campaigns", headers=methodist, json={**body, "assign": {"kinds": ["school"]}})
    assert r.status_code == 201 and r.json()["ownerOktmo"] == KALUGA, r.text
    campaign, org = r.json()["id"], world["schools"][0]
    schools = await api.pool.fetchval("select count(*) from organisation_facts where municipality_oktmo = $1 and "
                                      "kind = 'school' and active", KALUGA)
    assert (await api.get(f"/campaigns/{campaign}/completeness", headers=methodist)).json()[-1]["assigned"] == schools
    sid = (await api.post(f"/campaigns/{campaign}/submissions", headers=as_role("organisation_admin", organisation=org),
                          json={"organisationId": org, "values": _values(students_total=77)})).json()["id"]
    approved = await api.post(f"/campaign-submissions/{sid}/approve", headers=methodist)
    assert approved.json()["status"] == "approved"
    assert float(await api.pool.fetchval("select value from facts where record_id = $1",
                                         f"{campaign}:{org}:students_total")) == 77.0


async def test_campaign_facts_are_rebuilt_from_the_approved_forms(api, world):
    from metodset_monitoring.campaigns import rebuild_facts

    query = "select record_id, value, version, attrs from facts where kind = 'campaign' order by record_id"
    before = await api.pool.fetch(query)
    assert before
    async with api.pool.acquire() as conn, conn.transaction():
        assert await rebuild_facts(conn) == len(before)
    assert await api.pool.fetch(query) == before


async def test_a_file_field_takes_only_a_file_uploaded_to_the_form(api, as_role):
    form = {"code": "order_form", "title": "Приказ", "fields": [
        {"code": "order", "title": "Приказ о назначении", "type": "file", "required": True, "fileTypes": ["pdf"],
         "maxBytes": 1000}]}
    assert (await api.post("/campaign-forms", json=form, headers=as_role())).status_code == 201
    org = await seed_organisation(api.pool, OBNINSK)
    r = await api.post("/campaigns", headers=as_role(), json={
        "code": "orders_2026", "title": "Приказы", "formCode": "order_form", "period": "2026",
        "periodStart": "2026-01-01", "deadline": "2099-01-01", "assign": {"organisationIds": [org]}})
    campaign = r.json()["id"]
    admin = as_role("organisation_admin", organisation=org)
    png = await api.post(f"/campaigns/{campaign}/files", headers=admin, params={"organisationId": org},
                         files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")})
    assert png.status_code == 201, png.text
    pdf = await api.post(f"/campaigns/{campaign}/files", headers=admin, params={"organisationId": org},
                         files={"file": ("order.pdf", b"%PDF-1.4 order", "application/pdf")})
    ref = pdf.json()
    assert (ref["fileType"], ref["sizeBytes"], ref["fileName"]) == ("pdf", 14, "order.pdf")

    async def submit(value):
        return await api.post(f"/campaigns/{campaign}/submissions", headers=admin,
                              json={"organisationId": org, "values": [{"field": "order", "value": value}]})
    wrong_type = await submit(png.json())
    assert wrong_type.status_code == 422 and "png" in wrong_type.json()["detail"][0]["msg"]
    forged = await submit({**ref, "sha256": "b" * 64})
    assert forged.status_code == 422 and "не загружен" in forged.json()["detail"][0]["msg"]
    done = await submit(ref)
    assert done.status_code == 200 and done.json()["values"][0]["value"]["sha256"] == ref["sha256"], done.text
