"""Staff on a real database: persons, hire, transfer, dismissal, history as of a date, the scope of every
role (a refused read answers exactly like a missing id), audit entries, lists and counts, catalogues."""
import uuid
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
async def world(api, as_role):
    """Schools A and B of Kaluga, C of Obninsk; a teacher of A (hired 400 days ago)."""
    coordinator = as_role()
    orgs = {}
    for name, n, oktmo in (("A", 9101, KALUGA), ("B", 9102, KALUGA), ("C", 9103, OBNINSK)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        orgs[name] = r.json()["id"]
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    person = await api.post("/persons", headers=methodist, json={
        "lastName": "Семёнова", "firstName": "Анна", "middleName": "Петровна", "birthDate": "1999-03-01",
        "snils": snils(1)})
    assert person.status_code == 201, person.text
    pid = person.json()["id"]
    hired = await api.post("/employments", headers=methodist, json={
        "personId": pid, "organisationId": orgs["A"], "position": "teacher", "subjects": ["mathematics"],
        "rate": "1.0", "main": True, "startDate": ago(400)})
    assert hired.status_code == 201, hired.text
    return {"orgs": orgs, "person": pid, "employment": hired.json()["id"]}


async def test_person_record_with_experience_and_employment(api, as_role, world):
    r = await api.get(f"/persons/{world['person']}", headers=as_role())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["fullName"] == "Семёнова Анна Петровна"
    assert body["snils"] == f"{snils(1)[:3]}-{snils(1)[3:6]}-{snils(1)[6:9]} {snils(1)[9:]}"
    assert body["experience"]["pedagogicalDays"] == 401
    assert body["youngSpecialist"] is True
    [e] = body["employments"]
    assert (e["organisationId"], e["position"], e["positionTitle"], e["subjects"]) == \
        (world["orgs"]["A"], "teacher", "учитель", ["mathematics"])


@pytest.mark.parametrize(("role", "scope", "sees"), [
    ("regional_coordinator", {}, True),
    ("municipal_methodist", {"municipality": KALUGA}, True),
    ("municipal_methodist", {"municipality": OBNINSK}, False),
    ("organisation_admin", {"organisation": "A"}, True),
    ("organisation_admin", {"organisation": "B"}, False),
    ("analyst", {}, False),
    ("service", {}, False),
])
async def test_scope_matrix_refused_reads_answer_like_missing(api, as_role, world, role, scope, sees):
    scope = {k: world["orgs"].get(v, v) for k, v in scope.items()}
    headers = as_role(role, **scope)
    r = await api.get(f"/persons/{world['person']}", headers=headers)
    missing_id = str(uuid.uuid4())
    missing = await api.get(f"/persons/{missing_id}", headers=headers)
    assert missing.status_code == 404
    if sees:
        assert r.status_code == 200
    else:
        assert r.status_code == 404
        assert r.json() == {"detail": [{**missing.json()["detail"][0],
                                        "msg": missing.json()["detail"][0]["msg"].replace(missing_id,
                                                                                          world["person"])}]}
        patched = await api.patch(f"/persons/{world['person']}", headers=headers, json={"phone": "+7 900 000 00 00"})
        assert patched.status_code == 404
        dismissed = await api.post(f"/employments/{world['employment']}/dismiss", headers=headers,
                                   json={"endDate": ago(1)})
        assert dismissed.status_code == 404


async def test_lists_counts_and_their_scope(api, as_role, world):
    kaluga = as_role("municipal_methodist", municipality=KALUGA)
    page = await api.get("/staff", headers=kaluga, params={"limit": 10})
    assert page.status_code == 200, page.text
    assert world["person"] in [i["id"] for i in page.json()["items"]]
    assert page.json()["totalCount"] >= 1
    other = await api.get("/staff", headers=as_role("municipal_methodist", municipality=OBNINSK),
                          params={"municipality": KALUGA})
    assert other.status_code == 403
    own = await api.get("/staff", headers=as_role("municipal_methodist", municipality=OBNINSK))
    assert world["person"] not in [i["id"] for i in own.json()["items"]]
    assert (await api.get("/staff", headers=as_role("analyst"))).status_code == 403
    counts = await api.get("/staff/counts", headers=as_role("analyst"),
                           params={"municipality": KALUGA, "groupBy": "position"})
    assert counts.status_code == 200, counts.text
    assert {"key": "teacher", "title": "учитель", "count": counts.json()["total"]} in counts.json()["groups"]
    assert "Семёнова" not in counts.text
    young = await api.get("/staff/counts", headers=as_role("service"), params={"groupBy": "youngSpecialist"})
    assert young.status_code == 200 and young.json()["groups"][0]["key"] in ("true", "false")


async def test_transfer_dismiss_and_history_as_of(api, as_role, world):
    coordinator = as_role()
    pid = (await api.post("/persons", headers=coordinator, json={
        "lastName": "Орлов", "firstName": "Пётр", "birthDate": "1980-05-05"})).json()["id"]
    hired = await api.post("/employments", headers=coordinator, json={
        "personId": pid, "organisationId": world["orgs"]["B"], "position": "teacher", "subjects": ["physics"],
        "rate": 1, "main": True, "startDate": ago(100)})
    eid = hired.json()["id"]
    moved = await api.post(f"/employments/{eid}/transfer", headers=coordinator, json={
        "effectiveDate": ago(50), "position": "methodist", "subjects": [], "rate": "0.5"})
    assert moved.status_code == 200, moved.text
    early = await api.post(f"/employments/{eid}/dismiss", headers=coordinator, json={"endDate": ago(101)})
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "endDate"]
    assert (await api.post(f"/employments/{eid}/dismiss", headers=coordinator,
                           json={"endDate": ago(10)})).status_code == 200
    then = (await api.get(f"/persons/{pid}", headers=coordinator, params={"asOf": ago(60)})).json()
    assert [(e["position"], e["rate"]) for e in then["employments"]] == [("teacher", "1.00")]
    later = (await api.get(f"/persons/{pid}", headers=coordinator, params={"asOf": ago(20)})).json()
    assert [(e["position"], e["rate"]) for e in later["employments"]] == [("methodist", "0.50")]
    assert (await api.get(f"/persons/{pid}", headers=coordinator)).json()["employments"] == []
    listed = await api.get("/staff", headers=coordinator, params={"asOf": ago(60), "position": "teacher",
                                                                  "organisation": world["orgs"]["B"]})
    assert [i["id"] for i in listed.json()["items"]] == [pid]
    now = await api.get("/staff", headers=coordinator, params={"organisation": world["orgs"]["B"]})
    assert pid not in [i["id"] for i in now.json()["items"]]
    events = await api.pool.fetch("select event_type from outbox where key = $1 order by seq", pid)
    assert [e["event_type"].split(".")[4] for e in events] == ["registered", "started", "changed", "ended"]


async def test_a_methodist_sees_a_person_they_registered_until_employed_elsewhere(api, as_role, world):
    obninsk = as_role("municipal_methodist", municipality=OBNINSK)
    pid = (await api.post("/persons", headers=obninsk, json={
        "lastName": "Новикова", "firstName": "Ольга", "birthDate": "1990-01-01"})).json()["id"]
    assert (await api.get(f"/persons/{pid}", headers=obninsk)).status_code == 200
    assert (await api.get(f"/persons/{pid}", headers=as_role("municipal_methodist",
                                                            municipality=KALUGA))).status_code == 404
    out = await api.post("/employments", headers=obninsk, json={
        "personId": pid, "organisationId": world["orgs"]["A"], "position": "teacher", "startDate": ago(5)})
    assert out.status_code == 403


async def test_one_main_employment(api, as_role, world):
    r = await api.post("/employments", headers=as_role(), json={
        "personId": world["person"], "organisationId": world["orgs"]["B"], "position": "teacher",
        "main": True, "startDate": ago(30)})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "main"]


async def test_audit_entries_of_reads(api, as_role, world):
    admin = as_role("organisation_admin", organisation=world["orgs"]["A"])
    assert (await api.get(f"/persons/{world['person']}", headers=admin)).status_code == 200
    assert (await api.get("/staff", headers=admin)).status_code == 200
    trail = await api.get("/audit-log", headers=as_role(), params={"personId": world["person"], "limit": 2})
    assert trail.status_code == 200, trail.text
    body = trail.json()
    assert [(e["role"], e["operation"]) for e in body["items"]] == [
        ("organisation_admin", "staff.list"), ("organisation_admin", "person.get")]
    assert body["nextCursor"] and body["totalCount"] > 2
    more = await api.get("/audit-log", headers=as_role(), params={"personId": world["person"],
                                                                  "after": body["nextCursor"]})
    assert all(e["id"] < body["items"][-1]["id"] for e in more.json()["items"])
    assert (await api.get("/audit-log", headers=admin)).status_code == 403


async def test_catalogues_are_data_the_region_extends(api, as_role, world):
    positions = await api.get("/catalogues/positions", headers=as_role("analyst"))
    assert {"code": "teacher", "title": "учитель", "extra": {"group": "pedagogical"}, "origin": "reference"} \
        in positions.json()
    item = {"code": "tutor_online", "title": "тьютор дистанционного обучения", "extra": {"group": "pedagogical"}}
    assert (await api.post("/catalogues/positions/items", headers=as_role("municipal_methodist",
                                                                          municipality=KALUGA),
                           json=item)).status_code == 403
    assert (await api.post("/catalogues/positions/items", headers=as_role(), json=item)).status_code == 201
    assert (await api.post("/catalogues/positions/items", headers=as_role(), json=item)).status_code == 409
    pid = (await api.post("/persons", headers=as_role(), json={
        "lastName": "Тест", "firstName": "Тьютор", "birthDate": "1985-01-01"})).json()["id"]
    hired = await api.post("/employments", headers=as_role(), json={
        "personId": pid, "organisationId": world["orgs"]["C"], "position": "tutor_online", "startDate": ago(3)})
    assert hired.status_code == 201, hired.text
    bad = await api.post("/employments", headers=as_role(), json={
        "personId": pid, "organisationId": world["orgs"]["C"], "position": "astronaut", "main": False,
        "startDate": ago(3)})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "position"]


async def test_young_specialist_filter_agrees_with_each_record(api, as_role, world):
    coordinator = as_role()
    people = {}
    for name, birth, before in (("Опытная", "1998-01-01", {"pedagogicalYears": 4, "years": 4, "asOf": ago(500)}),
                                ("Зрелый", "1970-01-01", None), ("Начинающий", "2001-01-01", {"days": 100})):
        body = {"lastName": name, "firstName": "Тест", "birthDate": birth}
        if before:
            body["experienceBefore"] = before
        pid = (await api.post("/persons", headers=coordinator, json=body)).json()["id"]
        r = await api.post("/employments", headers=coordinator, json={
            "personId": pid, "organisationId": world["orgs"]["A"], "position": "teacher", "main": True,
            "startDate": ago(100)})
        assert r.status_code == 201, r.text
        people[name] = pid
    record = (await api.get(f"/persons/{people['Опытная']}", headers=coordinator)).json()
    assert record["experience"]["pedagogicalDays"] == 1461 + 101 and record["youngSpecialist"] is False
    young = await api.get("/staff", headers=coordinator, params={"organisation": world["orgs"]["A"],
                                                                 "youngSpecialist": "true"})
    older = await api.get("/staff", headers=coordinator, params={"organisation": world["orgs"]["A"],
                                                                 "youngSpecialist": "false"})
    young_ids = {i["id"] for i in young.json()["items"]}
    assert young_ids == {people["Начинающий"], world["person"]}
    assert {people["Опытная"], people["Зрелый"]} <= {i["id"] for i in older.json()["items"]}
    for item in young.json()["items"] + older.json()["items"]:
        assert item["youngSpecialist"] == (item["id"] in young_ids)
        record = (await api.get(f"/persons/{item['id']}", headers=coordinator)).json()
        assert record["youngSpecialist"] == item["youngSpecialist"]
    counts = (await api.get("/staff/counts", headers=as_role("analyst"), params={
        "groupBy": "youngSpecialist", "organisation": world["orgs"]["A"]})).json()
    assert {"key": "true", "title": "Молодые специалисты", "count": 2} in counts["groups"]


async def test_person_changes_keep_every_version(api, as_role, world):
    from metodset_registry.domain.history import end_of_day

    coordinator = as_role()
    pid = (await api.post("/persons", headers=coordinator, json={
        "lastName": "Белова", "firstName": "Ирина", "birthDate": "1975-07-07"})).json()["id"]
    changed = await api.patch(f"/persons/{pid}", headers=coordinator, json={"lastName": "Чернова"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    unchanged = await api.patch(f"/persons/{pid}", headers=coordinator, json={"lastName": "Чернова"})
    assert unchanged.json()["version"] == 2
    [event] = await api.pool.fetch("select value from outbox where key = $1 and event_type like '%person.updated%'",
                                   pid)
    assert b'"changed":["lastName"]' in event["value"] and "Чернова".encode() not in event["value"]
    opened = end_of_day(date.today() - timedelta(days=3))
    moved = end_of_day(date.today() - timedelta(days=2)) + timedelta(hours=1)
    await api.pool.execute("update person_versions set valid_from = $2, valid_to = $3 where person_id = $1 "
                           "and version = 1", uuid.UUID(pid), opened, moved)
    await api.pool.execute("update person_versions set valid_from = $2 where person_id = $1 and version = 2",
                           uuid.UUID(pid), moved)
    then = await api.get(f"/persons/{pid}", headers=coordinator, params={"asOf": ago(2)})
    assert then.json()["lastName"] == "Белова"
    assert (await api.get(f"/persons/{pid}", headers=coordinator)).json()["lastName"] == "Чернова"


async def test_the_seeded_catalogues_are_the_reference_data(api):
    from metodset_contracts.reference import NAMES, catalogue

    for name in NAMES:
        rows = await api.pool.fetch("select code, title, extra from catalogue_items "
                                    "where catalogue = $1 and origin = 'reference'", name)
        assert {(r["code"], r["title"], tuple(sorted(r["extra"].items()))) for r in rows} == \
            {(i.code, i.title, tuple(sorted(i.extra.items()))) for i in catalogue(name).items}, \
            f"{name}: the reference JSON changed; seed the change in a new registry migration"


async def test_a_methodist_of_a_municipality_the_registry_lacks_is_told_so(api, as_role):
    r = await api.post("/persons", json={"lastName": "Ёлкина", "firstName": "Анна", "birthDate": "1990-05-01"},
                       headers=as_role("municipal_methodist", municipality="29999000"))
    assert r.status_code == 403 and "29999000" in r.text
