"""Courses and attestation on a real database: recording with the hour rules, the course rule through the
person and the staff list filter, categories with history, the attestation due list, the scope of every role
(a refused read answers exactly like a missing id), audit entries and events without personal data."""
import json
import uuid
from datetime import date, timedelta

import pytest

from metodset_registry.domain.courses import add_years
from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def course(**more) -> dict:
    return {"kind": "UPGRADE", "programme": "Реализация требований обновлённых ФГОС", "provider": "КИРО",
            "hours": 36, "startDate": ago(40), "endDate": ago(30), "format": "DISTANCE",
            "certificateNumber": "402400001", **more}


async def _person(api, headers, org: str, n: int, last: str) -> str:
    person = await api.post("/persons", headers=headers, json={
        "lastName": last, "firstName": "Анна", "birthDate": "1980-03-01", "snils": snils(n)})
    assert person.status_code == 201, person.text
    hired = await api.post("/employments", headers=headers, json={
        "personId": person.json()["id"], "organisationId": org, "position": "teacher", "startDate": ago(2000)})
    assert hired.status_code == 201, hired.text
    return person.json()["id"]


@pytest.fixture(scope="module")
async def world(api, as_role):
    """School A of Kaluga, C of Obninsk; teachers: Аверина (A), Борисова (A), Васильева (C)."""
    coordinator = as_role()
    orgs = {}
    for name, n, oktmo in (("A", 9301, KALUGA), ("C", 9303, OBNINSK)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ курсы {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        orgs[name] = r.json()["id"]
    people = {"a": await _person(api, coordinator, orgs["A"], 301, "Аверина"),
              "b": await _person(api, coordinator, orgs["A"], 302, "Борисова"),
              "c": await _person(api, coordinator, orgs["C"], 303, "Васильева")}
    return {"orgs": orgs, **people}


async def test_a_course_is_recorded_listed_and_published_without_personal_data(api, as_role, world):
    coordinator = as_role()
    r = await api.post(f"/persons/{world['a']}/courses", headers=coordinator,
                       json=course(providerOrganisationId=world["orgs"]["A"], provider=None))
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["kind"], body["kindTitle"], body["hours"], body["provider"], body["format"]) == \
        ("UPGRADE", "повышение квалификации", 36, "МБОУ СОШ курсы A", "DISTANCE")
    again = await api.post(f"/persons/{world['a']}/courses", headers=coordinator,
                           json=course(programme="  реализация требований  обновленных ФГОС"))
    assert again.status_code == 409, again.text
    listed = (await api.get(f"/persons/{world['a']}/courses", headers=coordinator)).json()
    assert (listed["totalCount"], listed["items"][0]["id"]) == (1, body["id"])
    value = await api.pool.fetchval("select value from outbox where key = $1 and event_type = "
                                    "'ru.metodset.registry.course.completed.v1'", world["a"])
    data = json.loads(value)["data"]
    assert (data["personId"], data["courseId"], data["hours"]) == (world["a"], body["id"], 36)
    assert "402400001" not in json.dumps(data) and "Аверина" not in json.dumps(data)


@pytest.mark.parametrize(("change", "field"), [
    ({"hours": 15}, "hours"), ({"kind": "RETRAINING", "hours": 249}, "hours"),
    ({"startDate": ago(5), "endDate": ago(6)}, "endDate"), ({"endDate": (date.today() + timedelta(days=1)).isoformat()},
                                                            "endDate"),
])
async def test_the_rules_are_checked_and_name_the_field(api, as_role, world, change, field):
    r = await api.post(f"/persons/{world['b']}/courses", headers=as_role(), json=course(**change))
    assert r.status_code == 422, r.text
    assert field in json.dumps(r.json())


async def test_the_course_rule_on_the_person_and_the_staff_filter(api, as_role, world):
    coordinator = as_role()
    exactly = add_years(date.today(), -3)  # three years ago today: due today, still in time
    r = await api.post(f"/persons/{world['b']}/courses", headers=coordinator,
                       json=course(startDate=(exactly - timedelta(days=5)).isoformat(), endDate=exactly.isoformat(),
                                   certificateNumber="B-1"))
    assert r.status_code == 201, r.text
    growth = (await api.get(f"/persons/{world['b']}/growth", headers=coordinator)).json()
    assert (growth["courseDue"], growth["courseOverdue"]) == (date.today().isoformat(), False)
    a_year_ago = await api.get(f"/persons/{world['b']}/growth", headers=coordinator, params={"asOf": ago(365)})
    assert a_year_ago.json()["courseOverdue"] is False
    c = (await api.get(f"/persons/{world['c']}/growth", headers=coordinator)).json()
    assert (c["courseDue"], c["courseOverdue"], c["lastUpgradeEnd"]) == (None, True, None)

    overdue = await api.get("/staff", headers=coordinator, params={"courseOverdue": "true", "limit": 1000})
    ids = {i["id"] for i in overdue.json()["items"]}
    assert world["c"] in ids and world["a"] not in ids and world["b"] not in ids
    in_time = await api.get("/staff", headers=coordinator, params={"courseOverdue": "false", "limit": 1000})
    assert {world["a"], world["b"]} <= {i["id"] for i in in_time.json()["items"]}
    # C's upgrade ended three years and a day ago: due yesterday, overdue today, in time as of yesterday
    late = add_years(date.today(), -3) - timedelta(days=1)
    r = await api.post(f"/persons/{world['c']}/courses", headers=coordinator,
                       json=course(startDate=(late - timedelta(days=5)).isoformat(), endDate=late.isoformat(),
                                   certificateNumber="C-1"))
    assert r.status_code == 201, r.text
    c = (await api.get(f"/persons/{world['c']}/growth", headers=coordinator)).json()
    assert (c["courseDue"], c["courseOverdue"]) == (ago(1), True)

    async def overdue_on(day: str | None) -> set:
        page = await api.get("/staff", headers=coordinator, params={"courseOverdue": "true", "limit": 1000,
                                                                    **({"asOf": day} if day else {})})
        return {i["id"] for i in page.json()["items"]} & {world["a"], world["b"], world["c"]}

    assert await overdue_on(None) == {world["c"]}
    assert await overdue_on(ago(1)) == set()
    # 3 years and a day ago: A's and B's courses had not ended yet (their persons' last ends lie after the day:
    # the courses themselves are read), C's ended that very day
    assert await overdue_on(late.isoformat()) == {world["a"], world["b"]}
    counts = await api.get("/staff/counts", headers=coordinator, params={"courseOverdue": "true"})
    assert counts.status_code == 200


async def test_categories_supersede_keep_history_and_feed_the_due_list(api, as_role, world):
    coordinator = as_role()
    first = await api.post(f"/persons/{world['a']}/category", headers=coordinator, json={
        "category": "first", "awardedOn": add_years(date.today(), -5).isoformat(), "orderNumber": "№ 1-к"})
    assert first.status_code == 201, first.text
    body = first.json()["category"]
    assert (body["code"], body["name"], body["expiresOn"]) == \
        ("first", "первая квалификационная категория", (date.today() - timedelta(days=1)).isoformat())
    c = await api.post(f"/persons/{world['c']}/category", headers=coordinator, json={
        "category": "highest", "awardedOn": ago(365 * 4), "orderNumber": "№ 7"})
    assert c.status_code == 201, c.text
    due = (await api.get("/attestation/due", headers=coordinator, params={"withinMonths": 0})).json()
    assert [(i["personId"], i["expired"]) for i in due["items"]] == [(world["a"], True)]
    wide = (await api.get("/attestation/due", headers=coordinator, params={"withinMonths": 24})).json()
    assert [i["personId"] for i in wide["items"]] == [world["a"], world["c"]]
    page = (await api.get("/attestation/due", headers=coordinator, params={"withinMonths": 24, "limit": 1})).json()
    rest = (await api.get("/attestation/due", headers=coordinator,
                          params={"withinMonths": 24, "limit": 1, "after": page["nextCursor"]})).json()
    assert ([i["personId"] for i in rest["items"]], rest["nextCursor"], page["totalCount"]) == ([world["c"]], None, 2)
    kaluga = as_role("municipal_methodist", municipality=KALUGA)
    mine = (await api.get("/attestation/due", headers=kaluga, params={"withinMonths": 24})).json()
    assert [i["personId"] for i in mine["items"]] == [world["a"]]
    assert (await api.get("/attestation/due", headers=kaluga, params={"municipality": OBNINSK})).status_code == 403

    higher = await api.post(f"/persons/{world['a']}/category", headers=kaluga, json={
        "category": "highest", "awardedOn": ago(0), "orderNumber": "№ 2-к"})
    assert higher.status_code == 201, higher.text
    growth = higher.json()
    assert growth["category"]["code"] == "highest" and growth["category"]["current"] is True
    assert [(h["code"], h["current"]) for h in growth["categoryHistory"]] == [("highest", True), ("first", False)]
    back = await api.post(f"/persons/{world['a']}/category", headers=kaluga, json={
        "category": "first", "awardedOn": ago(10), "orderNumber": "№ 3"})
    assert back.status_code == 422 and "awardedOn" in back.text
    after = (await api.get("/attestation/due", headers=coordinator, params={"withinMonths": 24})).json()
    assert [i["personId"] for i in after["items"]] == [world["c"]]


@pytest.mark.parametrize(("role", "scope", "sees"), [
    ("regional_coordinator", {}, True),
    ("municipal_methodist", {"municipality": KALUGA}, True),
    ("municipal_methodist", {"municipality": OBNINSK}, False),
    ("organisation_admin", {"organisation": "A"}, True),
    ("organisation_admin", {"organisation": "C"}, False),
    ("analyst", {}, False),
    ("service", {}, False),
])
async def test_scope_matrix_refused_answers_like_missing(api, as_role, world, role, scope, sees):
    headers = as_role(role, **{k: world["orgs"].get(v, v) for k, v in scope.items()})
    missing = str(uuid.uuid4())
    for path in ("courses", "growth"):
        r = await api.get(f"/persons/{world['a']}/{path}", headers=headers)
        gone = await api.get(f"/persons/{missing}/{path}", headers=headers)
        assert gone.status_code == 404
        if sees:
            assert r.status_code == 200, r.text
        else:
            assert r.status_code == 404
            assert r.json()["detail"][0]["msg"] == gone.json()["detail"][0]["msg"].replace(missing, world["a"])
    written = await api.post(f"/persons/{world['a']}/courses", headers=headers,
                             json=course(certificateNumber=f"scope-{role}-{scope}"))
    assert written.status_code == (201 if sees else 404 if role not in ("analyst", "service") else 403), written.text
    due = await api.get("/attestation/due", headers=headers)
    assert due.status_code == (200 if role not in ("analyst", "service") else 403)


async def test_reads_of_courses_and_growth_are_audited(api, as_role, world):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    before = await api.pool.fetchval("select count(*) from audit_log where resource_id = $1", world["b"])
    await api.get(f"/persons/{world['b']}/courses", headers=methodist)
    await api.get(f"/persons/{world['b']}/growth", headers=methodist)
    await api.get("/attestation/due", headers=methodist, params={"withinMonths": 120})
    ops = await api.pool.fetch("select operation from audit_log where resource_id = $1 order by id", world["b"])
    assert len(ops) == before + 2
    assert [r["operation"] for r in ops[-2:]] == ["person.courses", "person.growth"]
    listed = await api.pool.fetchval("select operation from audit_log where resource_id = $1 order by id desc "
                                     "limit 1", world["a"])  # A is on the due list; B has no category
    assert listed == "attestation.due"


async def test_the_categories_catalogue_is_served_with_its_validity(api, as_role):
    r = await api.get("/catalogues/categories", headers=as_role())
    items = {i["code"]: i for i in r.json()}
    assert items["compliance"]["title"] == "соответствие занимаемой должности"
    assert items["highest"]["extra"]["valid_years"] == 5 and "valid_years" not in items["none"]["extra"]


async def test_record_courses_for_a_future_consumer_is_idempotent_and_explains_broken_facts(api, world):
    from metodset_registry.growth.courses.handlers import record_courses

    fact = {"person_id": uuid.UUID(world["c"]), "kind": "retraining", "programme": "Педагогика и психология",
            "hours": 520, "start_date": date.today() - timedelta(days=300),
            "end_date": date.today() - timedelta(days=10),
            "certificate_number": None}
    async with api.pool.acquire() as conn, conn.transaction():
        first = await record_courses(conn, [fact, dict(fact), {**fact, "hours": 100}], "events")
    assert [d.outcome for d in first] == ["created", "unchanged", "error"]
    assert first[1].course_id == first[0].course_id and first[2].field == "hours"
    async with api.pool.acquire() as conn, conn.transaction():
        again = await record_courses(conn, [fact], "events")
    assert [(d.outcome, d.course_id) for d in again] == [("unchanged", first[0].course_id)]
