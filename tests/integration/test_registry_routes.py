"""Deficit diagnostics and individual routes on a real database: the seeded instrument, results and deficits
as of a date, a route opened on suggestions (a site of a matching topic, a mentor strong in the area),
completed by hand and by fact, closed with the change per area; the scope matrix (a refused read answers like
a missing one), audit entries, the events (codes and dates, no names, no scores)."""
import json
import uuid
from datetime import date, timedelta

import pytest

from metodset_contracts.reference import diagnostic_instruments
from metodset_registry.domain.diagnostics import instrument_from, instrument_json
from metodset_registry.growth.routes import handlers as route_cases
from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
AREAS = ["subject_knowledge", "methodical", "psychological_pedagogical", "digital", "functional_literacy",
         "upbringing"]


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def scores(**low) -> dict:
    return {a: low.get(a, 85) for a in AREAS}


async def person(api, headers, last: str, n: int, org: str, years: int | None = None) -> str:
    body = {"lastName": last, "firstName": "Анна", "middleName": "Петровна", "birthDate": "1980-03-01",
            "snils": snils(n)}
    if years:
        body["experienceBefore"] = {"years": years, "pedagogicalYears": years, "asOf": ago(400)}
    r = await api.post("/persons", headers=headers, json=body)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    hired = await api.post("/employments", headers=headers, json={
        "personId": pid, "organisationId": org, "position": "teacher", "main": True, "startDate": ago(400)})
    assert hired.status_code == 201, hired.text
    return pid


@pytest.fixture(scope="module")
async def world(api, as_role):
    """Schools A, B of Kaluga (B an internship site on digital education), C of Obninsk; a teacher of A, a
    strong colleague of B with ten years, a weak colleague of B, a strong teacher of C (another municipality)."""
    coordinator = as_role()
    orgs = {}
    for name, n, oktmo in (("A", 9301, KALUGA), ("B", 9302, KALUGA), ("C", 9303, OBNINSK)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        orgs[name] = r.json()["id"]
    site = await api.post(f"/organisations/{orgs['B']}/sites", headers=coordinator, json={
        "kind": "internship", "from": ago(300), "topic": "Цифровая образовательная среда",
        "order": {"number": "12-п", "date": ago(300)}})
    assert site.status_code == 201, site.text
    people = {"teacher": await person(api, coordinator, "Семёнова", 31, orgs["A"]),
              "mentor": await person(api, coordinator, "Крылова", 32, orgs["B"], years=10),
              "weak": await person(api, coordinator, "Лисина", 33, orgs["B"], years=10),
              "far": await person(api, coordinator, "Дальняя", 34, orgs["C"], years=10)}
    for who, low in (("mentor", {}), ("weak", {"digital": 20}), ("far", {})):
        r = await api.post(f"/persons/{people[who]}/diagnostics", headers=coordinator, json={
            "instrument": "prof_deficits", "date": ago(50), "scores": scores(**low)})
        assert r.status_code == 201, r.text
    return {"orgs": orgs, **people}


async def test_the_reference_instrument_is_seeded_as_the_json_file_has_it(api, as_role):
    r = await api.get("/diagnostics/instruments", headers=as_role("analyst"))
    assert r.status_code == 200, r.text
    [seeded] = [i for i in r.json()["items"] if i["code"] == "prof_deficits"]
    assert seeded == instrument_json(instrument_from(diagnostic_instruments()[0]))


async def test_only_the_coordinator_adds_instruments_and_they_are_checked(api, as_role):
    raw = instrument_json(instrument_from(diagnostic_instruments()[0])) | {"code": "short_check",
                                                                           "name": "Экспресс-диагностика"}
    refused = await api.post("/diagnostics/instruments", headers=as_role("municipal_methodist", municipality=KALUGA),
                             json=raw)
    assert refused.status_code == 403
    added = await api.post("/diagnostics/instruments", headers=as_role(), json=raw)
    assert added.status_code == 201, added.text
    again = await api.post("/diagnostics/instruments", headers=as_role(), json=raw)
    assert again.status_code == 409
    bad = raw | {"code": "bad_one", "name": "Другая", "levels": [{"code": "low", "title": "низкий"}]}
    wrong = await api.post("/diagnostics/instruments", headers=as_role(), json=bad)
    assert wrong.status_code == 422 and "неизвестный уровень" in wrong.text


async def test_deficits_follow_the_latest_result_as_of_a_date(api, as_role, world):
    coordinator, pid = as_role(), world["teacher"]
    first = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(40), "scores": scores(digital=25, methodical=54)})
    assert first.status_code == 201, first.text
    assert [(d["area"], d["level"], d["areaTitle"]) for d in first.json()["deficits"]] == [
        ("methodical", "significant", "Методические компетенции"), ("digital", "critical", "Цифровые компетенции")]
    twice = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(40), "scores": scores()})
    assert twice.status_code == 409
    partial = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(39), "scores": {"digital": 50}})
    assert partial.status_code == 422 and "Нет балла" in partial.text
    before = await api.get(f"/persons/{pid}/deficits", headers=coordinator, params={"asOf": ago(41)})
    assert (before.json()["resultId"], before.json()["items"]) == (None, [])
    now = (await api.get(f"/persons/{pid}/deficits", headers=coordinator)).json()
    assert [d["area"] for d in now["items"]] == ["methodical", "digital"] and now["resultId"] == first.json()["id"]
    [event] = await api.pool.fetch("select value from outbox where event_type like '%deficits.diagnosed%' "
                                   "and key = $1", pid)
    data = json.loads(event["value"])["data"]
    assert data["deficits"] == [{"area": "methodical", "level": "significant"},
                                {"area": "digital", "level": "critical"}]
    assert "scores" not in data and "Семёнова" not in json.dumps(data, ensure_ascii=False)


async def test_a_route_on_suggestions_completed_by_hand_and_by_fact_closes_with_the_change(api, as_role, world):
    methodist, pid = as_role("municipal_methodist", municipality=KALUGA), world["teacher"]
    offered = await api.get(f"/persons/{pid}/route/suggestions", headers=methodist)
    assert offered.status_code == 200, offered.text
    items = offered.json()["items"]
    digital = [(s["kind"], s["ref"]) for s in items if s["area"] == "digital"]
    assert ("internship", world["orgs"]["B"]) in digital and ("mentoring", world["mentor"]) in digital
    assert ("mentoring", world["weak"]) not in digital and ("mentoring", world["far"]) not in digital
    assert ("self_study", None) in digital
    chosen = [next(s for s in items if s["area"] == "digital" and s["kind"] == k)
              for k in ("internship", "mentoring")] + [{"kind": "course", "area": "methodical",
                                                         "title": "КПК «Современный урок»", "ref": "course-42"}]
    opened = await api.post(f"/persons/{pid}/routes", headers=methodist, json={"items": [
        {k: s[k] for k in ("kind", "area", "title", "ref")} | {"dueDate": ago(-90)} for s in chosen]})
    assert opened.status_code == 201, opened.text
    route = opened.json()
    assert (route["status"], [a["area"] for a in route["areas"]]) == ("open", ["methodical", "digital"])
    assert (await api.post(f"/persons/{pid}/routes", headers=methodist, json={})).status_code == 409
    no_deficit = await api.post(f"/routes/{route['id']}/items", headers=methodist, json={
        "kind": "self_study", "area": "upbringing", "title": "Чтение"})
    assert no_deficit.status_code == 422 and "дефицита нет" in no_deficit.text

    internship = route["items"][0]["id"]
    done = await api.post(f"/routes/{route['id']}/items/{internship}/complete", headers=methodist, json={})
    assert done.status_code == 200, done.text
    assert done.json()["items"][0]["status"] == "done" and done.json()["items"][0]["byFact"] is False
    assert (await api.post(f"/routes/{route['id']}/items/{internship}/complete", headers=methodist,
                           json={})).status_code == 409

    async with api.pool.acquire() as conn, conn.transaction():  # what the courses code calls
        completed = await route_cases.complete_by_fact(conn, uuid.UUID(pid), "course", "methodical", "course-42",
                                                       date.today())
        again = await route_cases.complete_by_fact(conn, uuid.UUID(pid), "course", "methodical", "course-42",
                                                   date.today())
    assert [i.title for i in completed] == ["КПК «Современный урок»"] and again == []

    later = await api.post(f"/persons/{pid}/diagnostics", headers=methodist, json={
        "instrument": "prof_deficits", "date": ago(0), "scores": scores(digital=75, methodical=50)})
    assert later.status_code == 201, later.text
    closed = await api.post(f"/routes/{route['id']}/close", headers=methodist, json={"note": "Итог обсуждён"})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["outcome"]) == ("closed", "partially_closed")
    assert {d["area"]: d["delta"] for d in body["deltas"]} == {"methodical": -4.0, "digital": 50.0}
    none_open = await api.get(f"/persons/{pid}/route", headers=methodist)
    assert (none_open.status_code, none_open.json()) == (200, None)
    history = (await api.get(f"/persons/{pid}/routes", headers=methodist)).json()
    assert [r["id"] for r in history["items"]] == [route["id"]] and history["totalCount"] == 1

    kinds = [r["event_type"] for r in await api.pool.fetch(
        "select event_type from outbox where event_type like '%route.%' and key = $1 order by seq", pid)]
    assert [k.split(".")[-2] for k in kinds] == ["opened", "item_completed", "item_completed", "closed"]
    [closing] = await api.pool.fetch("select value from outbox where event_type like '%route.closed%' and key = $1",
                                     pid)
    data = json.loads(closing["value"])["data"]
    assert (data["outcome"], data["closedAreas"], sorted(data["itemKinds"])) == (
        "partially_closed", ["digital"], ["course", "internship"])


@pytest.mark.parametrize(("role", "scope", "sees"), [
    ("regional_coordinator", {}, True),
    ("municipal_methodist", {"municipality": KALUGA}, True),
    ("municipal_methodist", {"municipality": OBNINSK}, False),
    ("organisation_admin", {"organisation": "A"}, False),
    ("organisation_admin", {"organisation": "B"}, True),
    ("analyst", {}, False),
    ("service", {}, False),
])
async def test_scope_matrix_a_refused_read_answers_like_a_missing_one(api, as_role, world, role, scope, sees):
    headers = as_role(role, **{k: world["orgs"].get(v, v) for k, v in scope.items()})
    pid, missing = world["weak"], str(uuid.uuid4())
    for path in ("diagnostics", "deficits", "route/suggestions", "routes"):
        r = await api.get(f"/persons/{pid}/{path}", headers=headers)
        absent = await api.get(f"/persons/{missing}/{path}", headers=headers)
        assert absent.status_code == 404
        if sees:
            assert r.status_code == 200, (path, r.text)
        else:
            assert (r.status_code, r.text.replace(pid, missing)) == (404, absent.text)
    write = await api.post(f"/persons/{pid}/diagnostics", headers=headers, json={
        "instrument": "prof_deficits", "date": ago(1), "scores": scores()})
    assert write.status_code == (201 if sees else 404)
    if sees:
        await api.pool.execute("delete from diagnostic_results where person_id = $1 and taken_on = $2",
                               uuid.UUID(pid), date.today() - timedelta(days=1))


async def test_a_route_of_a_person_out_of_scope_answers_like_a_missing_route(api, as_role, world):
    coordinator = as_role()
    opened = await api.post(f"/persons/{world['weak']}/routes", headers=coordinator, json={})
    assert opened.status_code == 201, opened.text
    rid = opened.json()["id"]
    far = as_role("municipal_methodist", municipality=OBNINSK)
    for path in (f"/routes/{rid}/close", f"/routes/{uuid.uuid4()}/close"):
        r = await api.post(path, headers=far, json={})
        assert (r.status_code, r.json()["detail"][0]["type"]) == (404, "not_found")
    assert (await api.post(f"/routes/{rid}/close", headers=coordinator, json={})).json()["outcome"] == \
        "not_rediagnosed"


async def test_every_read_of_diagnostics_and_routes_is_audited(api, as_role, world):
    headers = as_role("municipal_methodist", municipality=KALUGA)
    pid = world["mentor"]
    before = await api.pool.fetchval("select count(*) from audit_log where resource_id = $1", pid)
    for path in ("diagnostics", "deficits", "routes"):
        assert (await api.get(f"/persons/{pid}/{path}", headers=headers)).status_code == 200
    rows = await api.pool.fetch("select operation, subject from audit_log where resource_id = $1 order by id", pid)
    assert len(rows) == before + 3
    assert [r["operation"] for r in rows[-3:]] == ["diagnostics.list", "deficits.get", "route.list"]


async def course(api, headers, pid: str, programme: str, end: str):
    r = await api.post(f"/persons/{pid}/courses", headers=headers, json={
        "kind": "UPGRADE", "programme": programme, "hours": 36, "startDate": end, "endDate": end})
    assert r.status_code == 201, r.text


async def test_a_recorded_course_completes_its_item_and_closes_the_route_and_is_suggested_to_others(api, as_role,
                                                                                                 world):
    coordinator = as_role()
    first = await person(api, coordinator, "Рябова", 35, world["orgs"]["A"])
    second = await person(api, coordinator, "Орлова", 36, world["orgs"]["A"])
    for pid in (first, second):
        r = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
            "instrument": "prof_deficits", "date": ago(30), "scores": scores(functional_literacy=30)})
        assert r.status_code == 201, r.text
    opened = await api.post(f"/persons/{first}/routes", headers=coordinator, json={"openedOn": ago(29), "items": [
        {"kind": "course", "area": "functional_literacy", "title": "КПК «Функциональная грамотность: читаем»"}]})
    assert opened.status_code == 201, opened.text
    await course(api, coordinator, first, "Функциональная  грамотность: ЧИТАЕМ", ago(10))  # no ref: by its title
    await api.post(f"/persons/{first}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(5), "scores": scores()})
    [route] = (await api.get(f"/persons/{first}/routes", headers=coordinator)).json()["items"]
    assert (route["status"], route["items"][0]["status"], route["items"][0]["byFact"]) == ("closed", "done", True)
    assert (route["closedOn"], route["outcome"]) == (ago(10), "not_rediagnosed")  # closed when the course came

    refused = await api.post(f"/persons/{first}/routes", headers=coordinator, json={})
    assert refused.status_code == 422  # the latest diagnostic shows no deficit: nothing to build a route on
    offered = (await api.get(f"/persons/{second}/route/suggestions", headers=coordinator)).json()["items"]
    [suggested] = [s for s in offered if s["kind"] == "course"]
    assert (suggested["area"], suggested["title"]) == ("functional_literacy", "Функциональная грамотность: ЧИТАЕМ")
    opened = await api.post(f"/persons/{second}/routes", headers=coordinator, json={"items": [
        {k: suggested[k] for k in ("kind", "area", "title", "ref")},
        {"kind": "self_study", "area": "functional_literacy", "title": "Самообразование"}]})
    assert opened.status_code == 201, opened.text
    await course(api, coordinator, second, "Функциональная грамотность: читаем", date.today().isoformat())
    route = (await api.get(f"/persons/{second}/route", headers=coordinator)).json()
    assert [(i["kind"], i["status"]) for i in route["items"]] == [("course", "done"), ("self_study", "planned")]


async def test_a_person_s_results_page_by_cursor(api, as_role, world):
    coordinator, pid = as_role(), world["far"]
    for back in (20, 10):
        r = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
            "instrument": "prof_deficits", "date": ago(back), "scores": scores(upbringing=10)})
        assert r.status_code == 201, r.text
    first = (await api.get(f"/persons/{pid}/diagnostics", headers=coordinator, params={"limit": 2})).json()
    assert ([r["date"] for r in first["items"]], first["totalCount"]) == ([ago(50), ago(20)], 3)
    rest = (await api.get(f"/persons/{pid}/diagnostics", headers=coordinator,
                          params={"limit": 2, "after": first["nextCursor"]})).json()
    assert ([r["date"] for r in rest["items"]], rest["nextCursor"]) == ([ago(10)], None)
    bad = await api.get(f"/persons/{pid}/diagnostics", headers=coordinator, params={"after": "x"})
    assert bad.status_code == 422


async def test_an_item_is_started_or_cancelled_and_a_cancelled_one_is_not_completed(api, as_role, world):
    coordinator = as_role()
    pid = await person(api, coordinator, "Гусева", 37, world["orgs"]["A"])
    await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(3), "scores": scores(methodical=10)})
    route = (await api.post(f"/persons/{pid}/routes", headers=coordinator, json={"items": [
        {"kind": "self_study", "area": "methodical", "title": "Чтение методической литературы"},
        {"kind": "event", "area": "methodical", "title": "Семинар «Современный урок»"}]})).json()
    first, second = (i["id"] for i in route["items"])
    started = await api.post(f"/routes/{route['id']}/items/{first}/status", headers=coordinator,
                             json={"status": "in_progress"})
    assert started.json()["items"][0]["status"] == "in_progress"
    cancelled = await api.post(f"/routes/{route['id']}/items/{second}/status", headers=coordinator,
                               json={"status": "cancelled"})
    assert cancelled.json()["items"][1]["status"] == "cancelled"
    refused = await api.post(f"/routes/{route['id']}/items/{second}/complete", headers=coordinator, json={})
    assert refused.status_code == 409 and "отменён" in refused.text
    done = await api.post(f"/routes/{route['id']}/items/{first}/status", headers=coordinator,
                          json={"status": "done"})
    assert done.status_code == 422  # done only through /complete, with its date
    missing = await api.post(f"/routes/{route['id']}/items/{uuid.uuid4()}/complete", headers=coordinator, json={})
    assert missing.status_code == 404


async def test_a_mentoring_carried_out_completes_the_mentee_s_mentoring_item_and_not_its_start(api, as_role, world):
    """The mentoring itself is the item: starting it completes nothing, a terminated one nothing, one completed
    with its goals achieved completes the item naming its mentor (on its last day), and the route closes."""
    coordinator = as_role()
    mentee = await person(api, coordinator, "Зайцева", 41, world["orgs"]["B"])
    other = await person(api, coordinator, "Кошкина", 42, world["orgs"]["B"])
    for pid in (mentee, other):
        r = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
            "instrument": "prof_deficits", "date": ago(60), "scores": scores(digital=20)})
        assert r.status_code == 201, r.text
        r = await api.post(f"/persons/{pid}/routes", headers=coordinator, json={"openedOn": ago(59), "items": [
            {"kind": "mentoring", "area": "digital", "title": "Наставничество", "ref": world["mentor"]}]})
        assert r.status_code == 201, r.text

    async def mentoring(pid: str) -> str:
        r = await api.post("/mentoring", headers=coordinator, json={
            "mentorId": world["mentor"], "menteeIds": [pid], "form": "experienced_struggling", "startDate": ago(50)})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def item(pid: str) -> dict:
        [r] = (await api.get(f"/persons/{pid}/routes", headers=coordinator)).json()["items"]
        return {"route": r["status"], "closedOn": r["closedOn"], **{k: r["items"][0][k] for k in
                                                                     ("status", "completedOn", "byFact")}}

    started, cut_short = await mentoring(mentee), await mentoring(other)
    assert (await item(mentee))["status"] == "planned"  # the start is not the fact
    r = await api.post(f"/mentoring/{cut_short}/end", headers=coordinator, json={
        "endDate": ago(20), "status": "terminated", "outcome": "mentee_left"})
    assert r.status_code == 200, r.text
    assert (await item(other))["status"] == "planned"
    r = await api.post(f"/mentoring/{started}/end", headers=coordinator, json={
        "endDate": ago(10), "outcome": "achieved"})
    assert r.status_code == 200, r.text
    assert await item(mentee) == {"route": "closed", "closedOn": ago(10), "status": "done", "completedOn": ago(10),
                                  "byFact": True}


async def test_a_route_closes_on_the_day_its_last_item_was_done_not_on_an_earlier_fact_s_day(api, as_role, world):
    """The mentoring item done on day −10, then a course that ended on day −20 arrives: closed on day −10."""
    coordinator = as_role()
    pid = await person(api, coordinator, "Белкина", 43, world["orgs"]["B"])
    r = await api.post(f"/persons/{pid}/diagnostics", headers=coordinator, json={
        "instrument": "prof_deficits", "date": ago(60), "scores": scores(digital=20)})
    assert r.status_code == 201, r.text
    r = await api.post(f"/persons/{pid}/routes", headers=coordinator, json={"openedOn": ago(59), "items": [
        {"kind": "mentoring", "area": "digital", "title": "Наставничество", "ref": world["mentor"]},
        {"kind": "course", "area": "digital", "title": "КПК «Цифровая школа»"}]})
    assert r.status_code == 201, r.text
    r = await api.post("/mentoring", headers=coordinator, json={
        "mentorId": world["mentor"], "menteeIds": [pid], "form": "experienced_struggling", "startDate": ago(50)})
    assert r.status_code == 201, r.text
    r = await api.post(f"/mentoring/{r.json()['id']}/end", headers=coordinator, json={
        "endDate": ago(10), "outcome": "partly_achieved"})
    assert r.status_code == 200, r.text
    await course(api, coordinator, pid, "Цифровая школа", ago(20))
    [route] = (await api.get(f"/persons/{pid}/routes", headers=coordinator)).json()["items"]
    assert [(i["kind"], i["completedOn"]) for i in route["items"]] == [("mentoring", ago(10)), ("course", ago(20))]
    assert (route["status"], route["closedOn"]) == ("closed", ago(10))
