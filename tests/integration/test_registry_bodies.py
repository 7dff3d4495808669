"""Methodical bodies through the registry's REST API on a real database: rules, scope matrix, audit of member
reads, history as of a date, compositions, and nothing personal on registry.bodies.v1."""
import json
import uuid
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
_n = iter(range(40_000, 50_000))


def _day(days_ago: int) -> str:
    return (date.today() - timedelta(days=days_ago)).isoformat()


async def _school(api, as_role, oktmo=KALUGA) -> str:
    n = next(_n)
    body = {"name": f"МБОУ СОШ № {n}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)}
    r = await api.post("/organisations", json=body, headers=as_role())
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _person(api, last="Ёлкина", first="Анна", middle="Петровна", snils=None, *, municipality=KALUGA,
                  organisation=None) -> str:
    """A person registered in a municipality (a methodist of it reaches them) or employed in an organisation."""
    pid = uuid.uuid4()
    await api.pool.execute(
        "insert into persons (id, last_name, first_name, middle_name, birth_date, snils, name_key, registered_by, "
        "registered_municipality) values ($1, $2, $3, $4, '1985-03-04', $5, $6, 'test', $7)", pid, last, first,
        middle, snils, f"{last} {first} {middle}".lower(), municipality)
    if organisation:
        job = uuid.uuid4()
        await api.pool.execute("insert into employments (id, person_id, organisation_id, start_date, created_by) "
                               "values ($1, $2, $3, '2010-09-01', 'test')", job, pid, uuid.UUID(organisation))
        await api.pool.execute("insert into employment_terms (employment_id, valid_from, position, subjects, rate, "
                               "main, recorded_by) values ($1, '2010-09-01', 'teacher', '{}', 1, true, 'test')", job)
    return str(pid)


async def _body(api, as_role, headers=None, **fields) -> dict:
    body = {"name": f"Совет {next(_n)}", "kind": "municipal_methodical_council", "municipalityOktmo": KALUGA,
            "createdOn": _day(400), **fields}
    r = await api.post("/bodies", json=body, headers=headers or as_role())
    assert r.status_code == 201, r.text
    return r.json()


async def _join(api, as_role, body_id, person, role="member", start=None, headers=None):
    return await api.post(f"/bodies/{body_id}/members", json={"personId": person, "role": role,
                                                               "from": start or _day(300)},
                          headers=headers or as_role())


async def _events(api, body_id: str) -> list[dict]:
    rows = await api.pool.fetch("select value, topic from outbox where key = $1 order by seq", body_id)
    assert {r["topic"] for r in rows} <= {"registry.bodies.v1"}
    return [json.loads(r["value"]) for r in rows]


async def test_create_body_with_level_from_its_kind_and_refusals_naming_the_field(api, as_role):
    school = await _school(api, as_role)
    shmo = await _body(api, as_role, name="ШМО учителей математики", kind="school_association",
                       municipalityOktmo=None, organisationId=school, subject="mathematics")
    assert (shmo["level"], shmo["group"], shmo["subjectTitle"]) == ("organisation", "association", "математика")
    assert shmo["kindTitle"].startswith("школьное методическое объединение") and shmo["memberCount"] == 0

    cases = [({"kind": "school_association", "organisationId": school, "municipalityOktmo": None}, "subject"),
             ({"kind": "municipal_association", "subject": "alchemy"}, "subject"),
             ({"kind": "school_methodical_council"}, "organisationId"),
             ({"kind": "professional_community"}, "level"),
             ({"kind": "working_group", "level": "municipal", "goal": "ФГ", "termStart": _day(10),
               "termEnd": _day(20)}, "termEnd"),
             ({"kind": "regional_coordination_council"}, "municipalityOktmo"),
             ({"kind": "book_club"}, "kind")]
    for fields, field in cases:
        r = await api.post("/bodies", json={"name": "Х", "municipalityOktmo": KALUGA, **fields}, headers=as_role())
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == field, (fields, r.text)

    group = await _body(api, as_role, kind="working_group", level="municipal", goal="Функциональная грамотность",
                        termStart=_day(30), termEnd=_day(-300))
    assert group["group"] == "temporary" and group["termEnd"] == _day(-300)
    r = await api.post("/bodies", json={"name": shmo["name"].upper(), "kind": "school_association",
                                        "organisationId": school, "subject": "mathematics"}, headers=as_role())
    assert r.status_code == 409 and r.json()["detail"][0]["loc"][-1] == "name"


async def test_members_history_one_chair_and_as_of(api, as_role):
    body = await _body(api, as_role)
    chair, member, later = (await _person(api, "Иванова"), await _person(api, "Петров"),
                            await _person(api, "Сидоров"))
    r = await _join(api, as_role, body["id"], chair, "chair")
    assert r.status_code == 201 and r.json()["person"]["fullName"] == "Иванова Анна Петровна", r.text
    chair_membership = r.json()["id"]
    assert (await _join(api, as_role, body["id"], member)).status_code == 201
    r = await _join(api, as_role, body["id"], later, "chair", start=_day(100))
    assert r.status_code == 409 and r.json()["detail"][0]["loc"][-1] == "role"
    r = await _join(api, as_role, body["id"], member, "secretary", start=_day(100))
    assert r.status_code == 409 and r.json()["detail"][0]["loc"][-1] == "personId"
    nobody = await _join(api, as_role, body["id"], str(uuid.uuid4()))
    assert nobody.status_code == 422 and nobody.json()["detail"][0]["loc"][-1] == "personId"
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    stranger = await _person(api, "Чужая", municipality=OBNINSK)  # out of a Kaluga methodist's reach
    r = await _join(api, as_role, body["id"], stranger, headers=methodist)
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == f"Педагог {stranger} не найден"
    assert r.json()["detail"][0]["type"] == nobody.json()["detail"][0]["type"]

    r = await api.post(f"/bodies/{body['id']}/members/{chair_membership}/leave", json={"to": _day(101)},
                       headers=as_role())
    assert r.status_code == 200 and r.json()["to"] == _day(101), r.text
    assert (await _join(api, as_role, body["id"], later, "chair", start=_day(100))).status_code == 201

    now = (await api.get(f"/bodies/{body['id']}/members", headers=as_role())).json()
    assert sorted((m["person"]["fullName"].split()[0], m["role"]) for m in now) == [("Петров", "member"),
                                                                                    ("Сидоров", "chair")]
    before = (await api.get(f"/bodies/{body['id']}/members", params={"asOf": _day(200)}, headers=as_role())).json()
    assert sorted((m["person"]["fullName"].split()[0], m["role"]) for m in before) == [("Иванова", "chair"),
                                                                                       ("Петров", "member")]
    history = (await api.get(f"/bodies/{body['id']}/members", params={"history": "true"}, headers=as_role())).json()
    assert len(history) == 3
    assert (await api.get(f"/bodies/{body['id']}", params={"asOf": _day(200)},
                          headers=as_role("analyst"))).json()["memberCount"] == 2
    r = await api.get(f"/bodies/{body['id']}", params={"asOf": _day(500)}, headers=as_role())
    assert r.status_code == 404  # not created yet then

    kinds = [e["type"].split(".")[-2] for e in await _events(api, body["id"])]
    assert kinds == ["created", "member_joined", "member_joined", "member_left", "member_joined"]


async def test_compositions_approved_by_order_and_read_as_of_a_date(api, as_role):
    body = await _body(api, as_role)
    a, b, c = await _person(api, "Аникина"), await _person(api, "Борисов"), await _person(api, "Вересаев")
    for person, role in ((a, "chair"), (b, "secretary")):
        assert (await _join(api, as_role, body["id"], person, role)).status_code == 201
    url = f"/bodies/{body['id']}/compositions"
    r = await api.post(url, json={"orderNumber": "12-п", "orderDate": _day(250), "academicYear": "2025/2026"},
                       headers=as_role())
    assert r.status_code == 201, r.text
    first = r.json()
    assert [(m["person"]["id"], m["role"]) for m in first["members"]] == [(a, "chair"), (b, "secretary")]
    r = await api.post(url, json={"orderNumber": "7-п", "orderDate": _day(50), "academicYear": "2026/27",
                                  "members": [{"personId": c, "role": "chair"}, {"personId": a, "role": "member"}]},
                       headers=as_role())
    assert r.status_code == 201, r.text
    r = await api.post(url, json={"orderNumber": "7-п", "orderDate": _day(50), "academicYear": "2026/2027"},
                       headers=as_role())
    assert r.status_code == 409

    then = (await api.get(f"/bodies/{body['id']}", params={"asOf": _day(100)}, headers=as_role())).json()
    assert then["composition"]["orderNumber"] == "12-п" and then["composition"]["memberCount"] == 2
    assert [m["person"]["fullName"].split()[0] for m in then["composition"]["members"]] == ["Аникина", "Борисов"]
    current = (await api.get(f"/bodies/{body['id']}", headers=as_role())).json()
    assert current["composition"]["academicYear"] == "2026/2027"
    assert (await api.get(f"/bodies/{body['id']}", params={"asOf": _day(260)}, headers=as_role())).json()[
        "composition"] is None
    seen_by_analyst = (await api.get(f"/bodies/{body['id']}", headers=as_role("analyst"))).json()["composition"]
    assert seen_by_analyst["memberCount"] == 2 and seen_by_analyst["members"] is None
    listed = (await api.get(url, headers=as_role("analyst"))).json()
    assert [c["orderNumber"] for c in listed] == ["12-п", "7-п"] and all(c["members"] is None for c in listed)

    [approved, _] = [e for e in await _events(api, body["id"]) if e["type"].endswith("composition_approved.v1")]
    assert approved["data"]["members"] == [{"personId": a, "role": "chair"}, {"personId": b, "role": "secretary"}]
    assert approved["data"]["orderNumber"] == "12-п" and approved["data"]["academicYear"] == "2025/2026"


async def test_closing_a_body_ends_its_memberships_and_refuses_changes(api, as_role):
    body = await _body(api, as_role)
    person = await _person(api)
    await _join(api, as_role, body["id"], person)
    r = await api.post(f"/bodies/{body['id']}/close", json={"closedOn": _day(10)}, headers=as_role())
    assert r.status_code == 200 and r.json()["closedOn"] == _day(10) and not r.json()["active"], r.text
    [m] = (await api.get(f"/bodies/{body['id']}/members", params={"history": "true"}, headers=as_role())).json()
    assert m["to"] == _day(10)
    assert (await _join(api, as_role, body["id"], await _person(api), start=_day(20))).status_code == 409
    active = (await api.get("/bodies", params={"municipality": KALUGA, "active": "false"}, headers=as_role())).json()
    assert body["id"] in [b["id"] for b in active["items"]]
    was = (await api.get("/bodies", params={"municipality": KALUGA, "active": "true", "asOf": _day(20),
                                            "limit": 5000}, headers=as_role())).json()
    assert body["id"] in [b["id"] for b in was["items"]]
    kinds = [e["type"].split(".")[-2] for e in await _events(api, body["id"])]
    assert kinds[-2:] == ["closed", "member_left"]


async def test_scope_matrix_and_refused_member_reads_answer_like_missing(api, as_role):
    school = await _school(api, as_role)
    other = await _school(api, as_role, OBNINSK)
    regional = await _body(api, as_role, kind="regional_coordination_council", municipalityOktmo=None)
    municipal = await _body(api, as_role)
    shms = await _body(api, as_role, kind="school_methodical_council", municipalityOktmo=None,
                       organisationId=school)
    roles = {
        "coordinator": as_role(),
        "kaluga": as_role("municipal_methodist", municipality=KALUGA),
        "obninsk": as_role("municipal_methodist", municipality=OBNINSK),
        "admin": as_role("organisation_admin", organisation=school),
        "other_admin": as_role("organisation_admin", organisation=other),
        "analyst": as_role("analyst"),
    }
    managers = {regional["id"]: {"coordinator"}, municipal["id"]: {"coordinator", "kaluga"},
                shms["id"]: {"coordinator", "kaluga", "admin"}}
    missing = await api.get(f"/bodies/{uuid.uuid4()}/members", headers=as_role())
    assert missing.status_code == 404
    for body_id, allowed in managers.items():
        for name, headers in roles.items():
            person = await _person(api, organisation=school)
            r = await _join(api, as_role, body_id, person, headers=headers)
            assert r.status_code == (201 if name in allowed else 403), (body_id, name, r.text)
            r = await api.get(f"/bodies/{body_id}/members", headers=headers)
            if name in allowed:
                assert r.status_code == 200, (name, r.text)
            else:
                assert r.status_code == 404, (name, r.text)
                detail = r.json()["detail"][0]
                assert detail["type"] == missing.json()["detail"][0]["type"] and detail["loc"] == ["path", "id"]
                assert detail["msg"] == f"Объединение {body_id} не найдено"
            public = await api.get(f"/bodies/{body_id}", headers=headers)
            assert public.status_code == 200 and public.json()["memberCount"] >= 1

    for name, headers in roles.items():  # creating: the same owners
        r = await api.post("/bodies", json={"name": f"ШМС {name}", "kind": "school_methodical_council",
                                            "organisationId": school}, headers=headers)
        assert r.status_code == (201 if name in {"coordinator", "kaluga", "admin"} else 403), (name, r.text)


async def test_every_read_of_member_names_is_audited(api, as_role):
    body = await _body(api, as_role)
    person = await _person(api)
    await _join(api, as_role, body["id"], person)
    before = await api.pool.fetchval("select count(*) from audit_log where resource_id = $1", person)
    headers = as_role("municipal_methodist", municipality=KALUGA)
    assert (await api.get(f"/bodies/{body['id']}/members", headers=headers)).status_code == 200
    rows = await api.pool.fetch("select role, action, resource, operation from audit_log where resource_id = $1 "
                                "order by id", person)
    assert len(rows) == before + 1
    assert tuple(rows[-1]) == ("municipal_methodist", "read", "person", "body.members")
    for refused in (as_role("analyst"), as_role("municipal_methodist", municipality=OBNINSK)):
        await api.get(f"/bodies/{body['id']}/members", headers=refused)
        await api.get(f"/bodies/{body['id']}", headers=refused)
        await api.get(f"/bodies/{body['id']}/compositions", headers=refused)
    assert await api.pool.fetchval("select count(*) from audit_log where resource_id = $1", person) == before + 1


async def test_list_filters_counts_and_cursor_pages(api, as_role):
    school = await _school(api, as_role, OBNINSK)
    made = [await _body(api, as_role, name=f"ШМО {i} {next(_n)}", kind="school_association",
                        municipalityOktmo=None, organisationId=school, subject="physics") for i in range(5)]
    await _body(api, as_role, municipalityOktmo=OBNINSK)
    seen, after = [], None
    while True:
        params = {"organisation": school, "limit": 2, **({"after": after} if after else {})}
        page = (await api.get("/bodies", params=params, headers=as_role("analyst"))).json()
        assert page["totalCount"] == 5
        seen += [b["id"] for b in page["items"]]
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == sorted(b["id"] for b in made) and len(seen) == 5
    by_municipality = (await api.get("/bodies", params={"municipality": OBNINSK, "level": "organisation"},
                                     headers=as_role())).json()
    assert by_municipality["totalCount"] == 5
    assert (await api.get("/bodies", params={"municipality": OBNINSK, "kind": "municipal_methodical_council"},
                          headers=as_role())).json()["totalCount"] == 1
    assert (await api.get("/bodies", params={"after": "junk"}, headers=as_role())).status_code == 422


async def test_no_personal_data_on_the_bodies_topic(api, as_role):
    body = await _body(api, as_role)
    person = await _person(api, "Шестакова", "Прасковья", "Ильинична", snils="11223344595")
    r = await _join(api, as_role, body["id"], person, "chair")
    member = r.json()["id"]
    await api.post(f"/bodies/{body['id']}/compositions", json={"orderNumber": "1", "orderDate": _day(5),
                                                               "academicYear": "2026/2027"}, headers=as_role())
    await api.post(f"/bodies/{body['id']}/members/{member}/leave", json={"to": _day(1)}, headers=as_role())
    await api.post(f"/bodies/{body['id']}/close", json={}, headers=as_role())
    raw = json.dumps(await _events(api, body["id"]), ensure_ascii=False)
    assert person in raw
    for personal in ("Шестакова", "Прасковья", "Ильинична", "11223344595", "1985-03-04", "fullName", "snils"):
        assert personal not in raw, personal


async def _outbox_size(api) -> int:
    return await api.pool.fetchval("select count(*) from outbox where topic = 'registry.bodies.v1'")


async def test_import_is_idempotent_and_matches_bodies_and_people(api, as_role):
    from metodset_kit.scope import Principal, Role
    from metodset_registry.bodies.import_ import import_bodies
    from metodset_registry.bodies.schemas import ImportMode

    school = await _school(api, as_role)
    chair = await _person(api, "Громова", snils="11223344596")
    member = await _person(api, "Дятлов")
    methodist = Principal("m", Role.MUNICIPAL_METHODIST, municipality=KALUGA)
    rmo = {"name": "РМО учителей физики", "kind": "municipal_association", "municipalityOktmo": KALUGA,
           "subject": "physics", "createdOn": _day(200)}
    rows = [{**rmo, "snils": "11223344596", "role": "chair", "from": _day(150)},
            {**rmo, "name": "рмо  учителей ФИЗИКИ", "personId": member, "role": "member", "from": _day(150)},
            {"name": "ШМО учителей физики", "kind": "school_association", "organisationId": school,
             "subject": "physics", "createdOn": _day(200)}]
    before = await _outbox_size(api)
    first = await import_bodies(api.pool, methodist, rows, ImportMode.ALL_OR_NOTHING)
    assert first.applied and [r.status for r in first.rows] == ["created", "updated", "created"], first
    assert first.rows[0].body_id == first.rows[1].body_id
    assert await _outbox_size(api) == before + 4  # two bodies created, two members joined
    members = (await api.get(f"/bodies/{first.rows[0].body_id}/members", headers=as_role())).json()
    assert sorted((m["person"]["id"], m["role"]) for m in members) == sorted([(chair, "chair"), (member, "member")])

    again = await import_bodies(api.pool, methodist, rows, ImportMode.ALL_OR_NOTHING)
    assert again.applied and [r.status for r in again.rows] == ["unchanged"] * 3
    assert [r.body_id for r in again.rows] == [r.body_id for r in first.rows]
    assert await _outbox_size(api) == before + 4  # the same rows twice: nothing changed, nothing emitted

    left = [{**rows[1], "to": _day(10)}]
    result = await import_bodies(api.pool, methodist, left, ImportMode.VALID_ROWS)
    assert [r.status for r in result.rows] == ["updated"] and await _outbox_size(api) == before + 5
    assert [r.status for r in (await import_bodies(api.pool, methodist, left)).rows] == ["unchanged"]


async def test_import_modes_with_bad_rows(api, as_role):
    from metodset_kit.scope import Principal, Role
    from metodset_registry.bodies.import_ import import_bodies
    from metodset_registry.bodies.schemas import ImportMode

    person = await _person(api)
    methodist = Principal("m", Role.MUNICIPAL_METHODIST, municipality=KALUGA)
    good = {"name": f"РМО {next(_n)}", "kind": "municipal_association", "municipalityOktmo": KALUGA,
            "subject": "chemistry", "personId": person, "role": "member", "createdOn": _day(30)}
    rows = [good,
            {**good, "name": "РМО без предмета", "subject": None},  # subject required
            {**good, "name": "Чужое РМО", "municipalityOktmo": OBNINSK},  # out of scope
            {**good, "name": "РМО с неизвестным", "personId": None, "snils": "00000000000"},  # no such person
            {**good, "name": "РМО с ошибкой даты", "createdOn": "31.02.2025"}]  # not a date
    before = await _outbox_size(api)
    all_or_nothing = await import_bodies(api.pool, methodist, rows, ImportMode.ALL_OR_NOTHING)
    assert not all_or_nothing.applied
    assert [r.status for r in all_or_nothing.rows] == ["created", "error", "error", "error", "error"]
    assert [r.errors[0]["field"] for r in all_or_nothing.rows[1:]] == ["subject", None, "snils", "createdOn"]
    assert await _outbox_size(api) == before
    assert await api.pool.fetchval("select count(*) from bodies where name = $1", good["name"]) == 0

    valid_rows = await import_bodies(api.pool, methodist, rows, ImportMode.VALID_ROWS)
    assert valid_rows.applied and valid_rows.counts() == {"created": 1, "updated": 0, "unchanged": 0, "error": 4}
    assert await _outbox_size(api) == before + 2
    assert await api.pool.fetchval("select count(*) from bodies where name like 'РМО%' and name <> $1 "
                                   "and created_on = $2", good["name"], date.today() - timedelta(days=30)) == 0


async def test_sites_list_organisations_holding_a_site_status_on_the_day(api, as_role):
    base, innovation, support, none = [await _school(api, as_role, OBNINSK) for _ in range(4)]

    async def grant(org, kind, start, end=None, **extra):
        r = await api.post(f"/organisations/{org}/sites", json={"kind": kind, "from": start, "to": end,
                                                                "order": {"number": "1", "date": _day(200)}, **extra},
                           headers=as_role())
        assert r.status_code == 201, r.text

    await grant(base, "base", _day(100), _day(10))  # ended
    await grant(innovation, "innovation", _day(50), level="regional")
    await grant(support, "support", _day(0))
    await grant(none, "internship", _day(-30))  # not yet

    async def holders(**params):
        r = await api.get("/sites", params={"municipality": OBNINSK, **params}, headers=as_role("analyst"))
        assert r.status_code == 200, r.text
        return sorted(o["id"] for o in r.json()["items"]), r.json()["totalCount"]

    assert await holders() == (sorted([innovation, support]), 2)
    assert await holders(asOf=_day(0)) == (sorted([innovation, support]), 2)
    assert await holders(kind="innovation") == ([innovation], 1)
    assert await holders(asOf=_day(20)) == ([], 0)  # the organisations were registered today
    first = (await api.get("/sites", params={"municipality": OBNINSK, "limit": 1}, headers=as_role())).json()
    rest = (await api.get("/sites", params={"municipality": OBNINSK, "limit": 1, "after": first["nextCursor"]},
                          headers=as_role())).json()
    assert len(first["items"]) == len(rest["items"]) == 1 and rest["nextCursor"] is None
    assert {first["items"][0]["id"], rest["items"][0]["id"]} == {innovation, support}


async def test_a_kind_the_region_added_to_its_catalogue_is_accepted(api, as_role):
    r = await api.post("/bodies", json={"name": "Совет тьюторов", "kind": "tutor_council", "level": "municipal",
                                        "municipalityOktmo": KALUGA}, headers=as_role())
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "kind"
    r = await api.post("/catalogues/body_kinds/items", json={"code": "tutor_council", "title": "совет тьюторов",
                                                             "extra": {"group": "council", "level": "any"}},
                       headers=as_role())
    assert r.status_code == 201, r.text
    body = await _body(api, as_role, name="Совет тьюторов", kind="tutor_council", level="municipal")
    assert (body["kindTitle"], body["group"], body["level"]) == ("совет тьюторов", "council", "municipal")


async def test_import_takes_sheet_rows_titles_russian_dates_and_the_organisation_inn(api, as_role):
    from types import SimpleNamespace

    from metodset_kit.scope import Principal, Role
    from metodset_registry.bodies.import_ import import_bodies

    n = next(_n)
    r = await api.post("/organisations", json={"name": f"МБОУ Лицей № {n}", "kind": "school",
                                               "municipalityOktmo": KALUGA, "inn": legal_inn(n)}, headers=as_role())
    school = r.json()["id"]
    person = await _person(api, "Зуева", snils="11223344597", organisation=school)
    admin = Principal("a", Role.ORGANISATION_ADMIN, organisation=school)
    sheet = [SimpleNamespace(number=2, values={
                 "name": "ШМО учителей химии", "kind": "Школьное методическое объединение (ШМО)",
                 "organisation_inn": legal_inn(n), "subject": "Химия", "created_on": "01.09.2025",
                 "snils": "11223344597", "role": "Председатель", "from": "01.09.2025", "extra column": "x"}),
             SimpleNamespace(number=3, values={
                 "name": "ШМО учителей химии", "kind": "school_association", "organisation_inn": legal_inn(n),
                 "subject": "chemistry", "person_id": person, "role": "секретарь", "from": "2025-09-01"}),
             SimpleNamespace(number=4, values={"name": "Совет", "kind": "тайное общество",
                                               "organisation_inn": legal_inn(n)})]
    result = await import_bodies(api.pool, admin, sheet[:1])
    assert [(r.row, r.status) for r in result.rows] == [(2, "created")], result
    body = (await api.get(f"/bodies/{result.rows[0].body_id}", headers=as_role())).json()
    assert (body["organisationId"], body["subject"], body["createdOn"]) == (school, "chemistry", "2025-09-01")
    [member] = (await api.get(f"/bodies/{body['id']}/members", headers=as_role())).json()
    assert (member["person"]["id"], member["role"], member["from"]) == (person, "chair", "2025-09-01")

    again = await import_bodies(api.pool, admin, sheet, "VALID_ROWS")
    assert [(r.row, r.status) for r in again.rows] == [(2, "unchanged"), (3, "error"), (4, "error")]
    assert again.rows[1].errors[0]["key"] == "person_id"  # the same person twice over the same dates
    assert again.rows[2].errors[0] == {"field": "kind", "key": "kind",
                                       "message": "Вид объединения «тайное общество» не найден в справочнике"}


async def test_batch_over_rest_reports_every_row_and_writes_nothing_when_all_or_nothing_fails(api, as_role):
    person = await _person(api)
    rows = [{"row": 2, "name": f"ГМО {next(_n)}", "kind": "municipal_association", "municipalityOktmo": KALUGA,
             "subject": "mathematics", "personId": person, "role": "член", "from": _day(5), "createdOn": _day(5)},
            {"row": 3, "name": "ГМО без вида", "kind": "", "municipalityOktmo": KALUGA}]
    headers = as_role("municipal_methodist", municipality=KALUGA)
    r = await api.post("/bodies/batch", json=rows, headers=headers)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["mode"], report["applied"], report["created"], report["errors"]) == ("ALL_OR_NOTHING", False, 1, 1)
    assert report["rows"][1]["row"] == 3 and report["rows"][1]["errors"][0]["field"] == "kind"
    assert await api.pool.fetchval("select count(*) from bodies where name = $1", rows[0]["name"]) == 0
    r = await api.post("/bodies/batch", params={"mode": "VALID_ROWS"}, json=rows, headers=headers)
    assert r.json()["applied"] and [x["outcome"] for x in r.json()["rows"]] == ["created", "error"]
    r = await api.post("/bodies/batch", params={"mode": "VALID_ROWS"}, json=rows[:1], headers=headers)
    assert [x["outcome"] for x in r.json()["rows"]] == ["unchanged"]
    r = await api.post("/bodies/batch", json=rows[:1], headers=as_role("analyst"))
    assert r.json()["rows"][0]["outcome"] == "error" and not r.json()["applied"]
