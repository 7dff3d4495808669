"""Mentoring through the registry's REST API on a real database: pairs and groups, the rules' refusals, the
mentor's load, the scope matrix, the audit of names, registry.mentoring.v1 without names, and the young
specialists without a mentor at the boundaries of a mentoring's dates."""
import json
import uuid
from datetime import date, timedelta

import pytest

from tests.integration.test_registry_bodies import _school
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
_n = iter(range(60_000, 70_000))


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


async def _teacher(api, organisation: str, *, young: bool, last: str = "Иванова") -> str:
    """A teacher of the organisation: young (born 26 years ago, working for a year) or experienced (born in
    1975, working since 2000)."""
    pid = uuid.uuid4()
    birth = date.today().replace(year=date.today().year - 26, day=1) if young else date(1975, 5, 5)
    hired = date.today() - timedelta(days=365) if young else date(2000, 9, 1)
    n = next(_n)
    await api.pool.execute(
        "insert into persons (id, last_name, first_name, middle_name, birth_date, name_key, registered_by) "
        "values ($1, $2, 'Анна', 'Петровна', $3, $4, 'test')", pid, f"{last}{n}", birth, f"{last}{n} анна".lower())
    job = uuid.uuid4()
    await api.pool.execute("insert into employments (id, person_id, organisation_id, start_date, created_by) "
                           "values ($1, $2, $3, $4, 'test')", job, pid, uuid.UUID(organisation), hired)
    await api.pool.execute("insert into employment_terms (employment_id, valid_from, position, subjects, rate, "
                           "main, recorded_by) values ($1, $2, 'teacher', '{}', 1, true, 'test')", job, hired)
    return str(pid)


async def _start(api, as_role, mentor, *mentees, form="experienced_young", start=None, headers=None):
    return await api.post("/mentoring", json={"mentorId": mentor, "menteeIds": list(mentees), "form": form,
                                              "startDate": start or _day(30), "programme": "Адаптация"},
                          headers=headers or as_role())


async def _young_without_mentor(api, headers, organisation, day: str | None = None) -> set[str]:
    params = {"organisation": organisation, **({"asOf": day} if day else {})}
    r = await api.get("/staff/young-without-mentor", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return {i["id"] for i in r.json()["items"]}


async def test_a_pair_starts_with_names_an_event_without_them_and_an_audited_read(api, as_role):
    school = await _school(api, as_role)
    mentor, mentee = await _teacher(api, school, young=False, last="Смирнова"), await _teacher(api, school, young=True)
    r = await _start(api, as_role, mentor, mentee)
    assert r.status_code == 201, r.text
    m = r.json()
    assert (m["status"], m["formTitle"], m["organisationId"], m["municipalityOktmo"]) == (
        "active", "опытный педагог — молодой специалист", school, KALUGA)
    assert m["mentor"]["fullName"].startswith("Смирнова") and [x["id"] for x in m["mentees"]] == [mentee]

    [row] = await api.pool.fetch("select topic, value from outbox where key = $1", m["id"])
    event = json.loads(row["value"])
    assert row["topic"] == "registry.mentoring.v1" and event["type"].endswith("registry.mentoring.started.v1")
    assert event["data"]["menteeIds"] == [mentee] and event["data"]["mentorId"] == mentor
    text = json.dumps(event, ensure_ascii=False)
    assert "Смирнова" not in text and "Анна" not in text

    assert (await api.get(f"/mentoring/{m['id']}", headers=as_role())).status_code == 200
    audited = await api.pool.fetch("select resource_id from audit_log where operation = 'mentoring.get'")
    assert {mentor, mentee} <= {a["resource_id"] for a in audited}


async def test_refusals_name_the_field(api, as_role):
    school = await _school(api, as_role)
    mentor = await _teacher(api, school, young=False)
    a, b = await _teacher(api, school, young=True), await _teacher(api, school, young=True)
    cases = [((mentor, mentor), {}, "menteeIds", 422),
             ((mentor, a, b), {}, "menteeIds", 422),
             ((mentor, a), {"form": "group"}, "menteeIds", 422),
             ((mentor, a), {"form": "apprenticeship"}, "form", 422),
             ((mentor, str(uuid.uuid4())), {}, "menteeIds", 422),
             ((str(uuid.uuid4()), a), {}, "mentorId", 422)]
    for people, extra, field, status in cases:
        r = await _start(api, as_role, *people, **extra)
        assert r.status_code == status and r.json()["detail"][0]["loc"][-1] == field, (people, extra, r.text)
    assert (await _start(api, as_role, mentor, a)).status_code == 201
    again = await _start(api, as_role, mentor, a, form="teacher_teacher")
    assert again.status_code == 409 and again.json()["detail"][0]["loc"][-1] == "menteeIds"


async def test_the_mentor_load_is_visible_and_its_maximum_refuses_more(api, as_role):
    school = await _school(api, as_role)
    mentor = await _teacher(api, school, young=False)
    mentees = [await _teacher(api, school, young=True) for _ in range(4)]
    assert (await _start(api, as_role, mentor, *mentees[:2], form="group")).status_code == 201
    assert (await _start(api, as_role, mentor, mentees[2])).status_code == 201
    load = (await api.get(f"/persons/{mentor}/mentor-load", headers=as_role())).json()
    assert (load["mentees"], load["maxMentees"]) == (3, 3)
    assert (await api.get(f"/persons/{mentor}/mentor-load", headers=as_role(),
                          params={"asOf": _day(31)})).json()["mentees"] == 0
    over = await _start(api, as_role, mentor, mentees[3])
    assert over.status_code == 409 and over.json()["detail"][0]["loc"][-1] == "mentorId"


async def test_scope_matrix_answers_a_refused_read_like_a_missing_one(api, as_role):
    school, other = await _school(api, as_role), await _school(api, as_role)
    far = await _school(api, as_role, OBNINSK)
    mentor, mentee = await _teacher(api, school, young=False), await _teacher(api, school, young=True)
    stranger = await _teacher(api, far, young=True)
    kaluga = as_role("municipal_methodist", municipality=KALUGA)
    r = await _start(api, as_role, mentor, mentee, headers=kaluga)
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    missing = await api.get(f"/mentoring/{uuid.uuid4()}", headers=kaluga)
    assert missing.status_code == 404
    seen = {"regional_coordinator": {}, "municipal_methodist": {"municipality": KALUGA},
            "organisation_admin": {"organisation": school}}
    hidden = {"municipal_methodist": {"municipality": OBNINSK}, "organisation_admin": {"organisation": other},
              "analyst": {}}
    for role, scope in seen.items():
        assert (await api.get(f"/mentoring/{mid}", headers=as_role(role, **scope))).status_code == 200, role
        listed = await api.get("/mentoring", params={"mentorId": mentor}, headers=as_role(role, **scope))
        assert [i["id"] for i in listed.json()["items"]] == [mid], role
    for role, scope in hidden.items():
        r = await api.get(f"/mentoring/{mid}", headers=as_role(role, **scope))
        assert r.status_code == 404 and r.json()["detail"][0]["msg"].replace(mid, "X") == \
            missing.json()["detail"][0]["msg"].replace(missing.url.path.rsplit("/", 1)[-1], "X"), role
        end = await api.post(f"/mentoring/{mid}/end", json={"endDate": _day(0), "outcome": "achieved"},
                             headers=as_role(role, **scope))
        assert end.status_code == 404, role
    obninsk = as_role("municipal_methodist", municipality=OBNINSK)
    assert (await api.get("/mentoring", params={"mentorId": mentor}, headers=obninsk)).json()["items"] == []
    assert (await api.get("/mentoring", params={"municipality": KALUGA}, headers=obninsk)).status_code == 403
    assert (await api.get("/mentoring", headers=as_role("analyst"))).status_code == 403
    foreign = await _start(api, as_role, mentor, stranger, headers=kaluga)  # a mentee beyond the methodist's reach
    assert foreign.status_code == 422 and foreign.json()["detail"][0]["loc"][-1] == "menteeIds"


async def test_young_without_mentor_at_the_boundaries_of_the_mentoring(api, as_role):
    school = await _school(api, as_role)
    mentor = await _teacher(api, school, young=False)
    mentee, alone = await _teacher(api, school, young=True), await _teacher(api, school, young=True)
    headers = as_role("organisation_admin", organisation=school)
    assert await _young_without_mentor(api, headers, school) == {mentee, alone}  # not the experienced mentor
    mid = (await _start(api, as_role, mentor, mentee, start=_day(30))).json()["id"]
    assert await _young_without_mentor(api, headers, school) == {alone}
    assert await _young_without_mentor(api, headers, school, _day(31)) == {mentee, alone}
    assert await _young_without_mentor(api, headers, school, _day(30)) == {alone}

    r = await api.post(f"/mentoring/{mid}/end", json={"endDate": _day(5), "status": "completed",
                                                     "outcome": "achieved", "outcomeText": "Программа выполнена"},
                       headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["endDate"], r.json()["outcome"]["code"]) == ("completed", _day(5), "achieved")
    assert await _young_without_mentor(api, headers, school, _day(5)) == {alone}
    assert await _young_without_mentor(api, headers, school, _day(4)) == {mentee, alone}
    again = await api.post(f"/mentoring/{mid}/end", json={"endDate": _day(0), "outcome": "achieved"}, headers=headers)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"][-1] == "id"

    ended = json.loads(await api.pool.fetchval("select value from outbox where key = $1 order by seq desc limit 1",
                                               mid))
    assert ended["type"].endswith("registry.mentoring.ended.v1")
    assert (ended["data"]["endDate"], ended["data"]["status"], ended["data"]["outcome"]) == (
        _day(5), "completed", "achieved")
    assert "Программа" not in json.dumps(ended, ensure_ascii=False)
    audited = await api.pool.fetch("select resource_id from audit_log where operation = 'staff.young_without_mentor'")
    assert {alone, mentee} <= {a["resource_id"] for a in audited}
    refused = await api.get("/staff/young-without-mentor", params={"organisation": str(uuid.uuid4())},
                            headers=headers)
    assert refused.status_code == 403


async def test_lists_filter_and_page_by_cursor(api, as_role):
    school = await _school(api, as_role)
    mentor = await _teacher(api, school, young=False)
    mentees = [await _teacher(api, school, young=True) for _ in range(3)]
    ids = [(await _start(api, as_role, mentor, m, start=_day(20 + i))).json()["id"] for i, m in enumerate(mentees)]
    await api.post(f"/mentoring/{ids[0]}/end", json={"endDate": _day(1), "outcome": "mentee_left",
                                                      "status": "terminated"}, headers=as_role())
    seen, after = [], None
    while True:
        r = await api.get("/mentoring", params={"organisation": school, "limit": 1, **({"after": after} if after
                                                                                        else {})}, headers=as_role())
        page = r.json()
        assert page["totalCount"] == 3
        seen += [i["id"] for i in page["items"]]
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == sorted(ids)
    active = await api.get("/mentoring", params={"organisation": school, "status": "active"}, headers=as_role())
    assert {i["id"] for i in active.json()["items"]} == set(ids[1:])
    by_mentee = await api.get("/mentoring", params={"menteeId": mentees[0]}, headers=as_role())
    assert [i["id"] for i in by_mentee.json()["items"]] == [ids[0]]
    by_person = await api.get("/mentoring", params={"personId": mentor, "asOf": _day(0)}, headers=as_role())
    assert {i["id"] for i in by_person.json()["items"]} == set(ids[1:])


async def test_the_forms_are_a_catalogue_the_region_extends(api, as_role):
    forms = (await api.get("/catalogues/mentoring_forms", headers=as_role())).json()
    assert {"teacher_teacher", "experienced_young", "group"} <= {f["code"] for f in forms}
    added = await api.post("/catalogues/mentoring_forms/items", headers=as_role(),
                           json={"code": "virtual", "title": "виртуальное наставничество", "extra": {"kind": "pair"}})
    assert added.status_code == 201, added.text
    school = await _school(api, as_role)
    mentor, mentee = await _teacher(api, school, young=False), await _teacher(api, school, young=True)
    r = await _start(api, as_role, mentor, mentee, form="virtual")
    assert r.status_code == 201 and r.json()["formTitle"] == "виртуальное наставничество"
