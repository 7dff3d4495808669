"""Competitions on the events service: a municipal «Учитель года» stage run by its methodist, entries by
organisation administrators, a jury whose conflicts of interest are refused with the reason, results ranked and
published, winners advanced to the regional stage; a student competition whose entrants are read only within
scope and audit-logged, and never reach the topic; entries' materials scoped like the entries."""
import json
import uuid

import pytest

from tests.events_app import KALUGA, OBNINSK, events_client, seed_organisation, seed_staff
from tests.registry_app import bearer

pytestmark = pytest.mark.integration
STUDENT = {"lastName": "Соколова", "firstName": "Варвара", "middleName": "Игоревна", "grade": 9}


@pytest.fixture(scope="module")
async def api(infra, namespace, tmp_path_factory):
    async with events_client(infra, namespace, storage_dir=tmp_path_factory.mktemp("storage")) as http:
        http.schools = [await seed_organisation(http.pool, KALUGA, 900 + i) for i in range(3)]
        http.obninsk_school = await seed_organisation(http.pool, OBNINSK, 950)
        http.teachers = [(await seed_staff(http.pool, s, KALUGA, 2)) for s in http.schools]
        http.jurors = [(await seed_staff(http.pool, s, KALUGA, 1))[0] for s in http.schools]
        yield http


@pytest.fixture(scope="module")
def coordinator(infra):
    return bearer(infra)


@pytest.fixture(scope="module")
def kaluga(infra):
    return bearer(infra, "municipal_methodist", municipality=KALUGA)


def admin(infra, organisation):
    return bearer(infra, "organisation_admin", organisation=str(organisation))


async def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


async def competition(api, headers, kind="staff", **extra):
    body = {"title": "Учитель года — 2027" if kind == "staff" else "Юные исследователи", "kind": kind,
            "format": "professional_skill" if kind == "staff" else "conference", "year": 2027, **extra}
    return await ok(await api.post("/competitions", json=body, headers=headers), 201)


async def nomination(api, headers, competition_id, title="Учитель года"):
    criteria = [{"code": "lesson", "title": "Открытый урок", "maxPoints": 10},
                {"code": "essay", "title": "Эссе", "maxPoints": 5}]
    return await ok(await api.post(f"/competitions/{competition_id}/nominations",
                                   json={"title": title, "criteria": criteria}, headers=headers), 201)


async def stage(api, headers, competition_id, level="municipal", oktmo=KALUGA):
    body = {"level": level, **({"municipalityOktmo": oktmo} if oktmo else {})}
    return await ok(await api.post(f"/competitions/{competition_id}/stages", json=body, headers=headers), 201)


async def entry(api, headers, stage_id, nomination_id, organisation, members, status=201):
    body = {"nominationId": nomination_id, "organisationId": str(organisation), "members": members,
            "title": "Урок-исследование"}
    r = await api.post(f"/competition-stages/{stage_id}/entries", json=body, headers=headers)
    assert r.status_code == status, r.text
    return r.json()


async def score(api, headers, entry_id, juror, lesson, essay):
    return await api.post(f"/competition-entries/{entry_id}/scores",
                          json={"jurorId": str(juror), "scores": {"lesson": lesson, "essay": essay}}, headers=headers)


async def topic_events(api, competition_id):
    rows = await api.pool.fetch("select event_type, value from outbox where topic = 'events.competitions.v1' and"
                                " position($1::text in convert_from(value, 'UTF8')) > 0 order by seq",
                                competition_id)
    return [(r["event_type"].split(".")[-2], json.loads(r["value"])) for r in rows]


async def test_a_municipal_stage_runs_from_entries_to_the_winner_advanced_to_the_region(api, infra, coordinator,
                                                                                      kaluga):
    c = await competition(api, coordinator)
    nom = await nomination(api, coordinator, c["id"])
    refused = await api.post(f"/competitions/{c['id']}/stages", json={"level": "municipal",
                                                                      "municipalityOktmo": KALUGA},
                             headers=bearer(infra, "municipal_methodist", municipality=OBNINSK))
    assert refused.status_code == 403
    municipal = await stage(api, kaluga, c["id"])
    regional = await stage(api, coordinator, c["id"], "regional", None)
    again = await api.post(f"/competitions/{c['id']}/stages", json={"level": "municipal", "municipalityOktmo": KALUGA},
                           headers=kaluga)
    assert again.status_code == 409
    for juror in api.jurors:
        await ok(await api.post(f"/competition-stages/{municipal['id']}/jurors", json={"personId": str(juror)},
                                headers=kaluga), 201)
    s0, s1, s2 = api.schools
    e0 = await entry(api, admin(infra, s0), municipal["id"], nom["id"], s0, [{"personId": str(api.teachers[0][0])}])
    e1 = await entry(api, admin(infra, s1), municipal["id"], nom["id"], s1, [{"personId": str(api.teachers[1][0])}])
    e2 = await entry(api, kaluga, municipal["id"], nom["id"], s2, [{"personId": str(api.teachers[2][0])}])
    await entry(api, admin(infra, s0), municipal["id"], nom["id"], s1, [{"personId": str(api.teachers[1][1])}], 403)
    outside = await entry(api, coordinator, municipal["id"], nom["id"], api.obninsk_school,
                          [{"personId": str(api.teachers[0][1])}], 422)
    assert outside["detail"][0]["loc"] == ["body", "organisationId"]
    twice = await entry(api, kaluga, municipal["id"], nom["id"], s0, [{"personId": str(api.teachers[0][0])}], 409)
    assert "уже участвует" in twice["detail"][0]["msg"]

    conflict = await score(api, kaluga, e0["id"], api.jurors[0], 9, 4)
    assert conflict.status_code == 409 and conflict.json()["detail"][0]["loc"] == ["body", "jurorId"]
    assert "организации участника" in conflict.json()["detail"][0]["msg"]
    over = await score(api, kaluga, e0["id"], api.jurors[1], 11, 4)
    assert over.status_code == 422 and over.json()["detail"][0]["loc"] == ["body", "scores.lesson"]
    assert (await score(api, admin(infra, s0), e0["id"], api.jurors[1], 9, 4)).status_code == 403
    # e0: (13 + 12) / 2 = 12.5; e1: (12 + 13) / 2 = 12.5 — a tie for first; e2: (9 + 10) / 2 = 9.5
    for e, juror, lesson, essay in ((e0, 1, 9, 4), (e0, 2, 8, 4), (e1, 0, 8, 4), (e1, 2, 9, 4), (e2, 0, 5, 4),
                                    (e2, 1, 7, 3)):
        sheet = await ok(await score(api, kaluga, e["id"], api.jurors[juror], lesson, essay))
        assert sheet["total"] == str(lesson + essay) or float(sheet["total"]) == lesson + essay
    early = await api.post(f"/competition-stages/{municipal['id']}/advance", json={"toStageId": regional["id"]},
                           headers=kaluga)
    assert early.status_code == 409
    results = await ok(await api.post(f"/competition-stages/{municipal['id']}/publish", headers=kaluga))
    assert [(r["entryId"], float(r["score"]), r["place"], r["status"]) for r in results] == sorted([
        (e0["id"], 12.5, 1, "winner"), (e1["id"], 12.5, 1, "winner")]) + [(e2["id"], 9.5, 3, "prize_winner")]
    assert results[0]["statusTitle"] == "победитель"
    closed = await score(api, kaluga, e2["id"], api.jurors[0], 10, 5)
    assert closed.status_code == 409
    public = await ok(await api.get(f"/competition-stages/{municipal['id']}/results",
                                    headers=admin(infra, s2)))
    assert public == results

    backwards = await api.post(f"/competition-stages/{regional['id']}/advance", json={"toStageId": municipal["id"]},
                               headers=coordinator)
    assert backwards.status_code == 409
    advanced = await ok(await api.post(f"/competition-stages/{municipal['id']}/advance",
                                       json={"toStageId": regional["id"]}, headers=kaluga))
    assert sorted(a["fromEntryId"] for a in advanced) == sorted([e0["id"], e1["id"]])
    assert all(a["stageId"] == regional["id"] and a["status"] is None for a in advanced)
    assert await ok(await api.post(f"/competition-stages/{municipal['id']}/advance",
                                   json={"toStageId": regional["id"]}, headers=kaluga)) == []
    listed = await ok(await api.get(f"/competition-stages/{regional['id']}/entries", headers=coordinator))
    assert listed["totalCount"] == 2

    told = await topic_events(api, c["id"])
    kinds = [k for k, _ in told]
    assert kinds.count("entry_accepted") == 3 and kinds.count("result_published") == 3
    assert kinds.count("entry_advanced") == 2
    published = {v["data"]["entryId"]: v["data"] for k, v in told if k == "result_published"}
    assert published[e2["id"]]["status"] == "prize_winner" and published[e2["id"]]["level"] == "municipal"
    assert published[e2["id"]]["personIds"] == [str(api.teachers[2][0])]
    moved = [v["data"] for k, v in told if k == "entry_advanced"]
    assert {m["level"] for m in moved} == {"regional"} and {m["fromStageId"] for m in moved} == {municipal["id"]}


async def test_student_entrants_are_scoped_audited_and_never_on_the_topic(api, infra, coordinator, kaluga):
    c = await competition(api, kaluga, "student", municipalityOktmo=KALUGA)
    nom = await nomination(api, kaluga, c["id"], "Естественные науки")
    st = await stage(api, kaluga, c["id"])
    s0, s1, s2 = api.schools
    await ok(await api.post(f"/competition-stages/{st['id']}/jurors", json={"personId": str(api.jurors[1])},
                            headers=kaluga), 201)
    staff_in_students = await entry(api, admin(infra, s0), st["id"], nom["id"], s0,
                                    [{"personId": str(api.teachers[0][0])}], 422)
    assert staff_in_students["detail"][0]["loc"] == ["body", "members[0]"]
    team = await entry(api, admin(infra, s0), st["id"], nom["id"], s0,
                       [STUDENT, {"lastName": "Рябинин", "firstName": "Глеб", "grade": 10,
                                  "organisationId": str(s1)}])
    assert [m["lastName"] for m in team["members"]] == ["Соколова", "Рябинин"]

    mine = await api.get(f"/competition-entries/{team['id']}", headers=admin(infra, s0))
    assert mine.status_code == 200 and mine.json()["members"][0]["firstName"] == "Варвара"
    theirs = await api.get(f"/competition-entries/{team['id']}", headers=admin(infra, s2))
    nowhere = await api.get(f"/competition-entries/{uuid.uuid4()}", headers=admin(infra, s2))
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json()["detail"][0]["loc"] == nowhere.json()["detail"][0]["loc"] == ["path", "entryId"]
    listed = await ok(await api.get(f"/competition-stages/{st['id']}/entries", headers=admin(infra, s2)))
    assert listed == {"items": [], "nextCursor": None, "totalCount": 0}
    reads = await api.pool.fetch("select role, operation from audit_log where resource = 'competition_entry'"
                                 " and resource_id = $1 order by id", team["id"])
    assert [(r["role"], r["operation"]) for r in reads] == [("organisation_admin", "submitEntry"),
                                                           ("organisation_admin", "competitionEntry")]

    conflict = await score(api, kaluga, team["id"], api.jurors[1], 8, 4)
    assert conflict.status_code == 409 and "участников команды" in conflict.json()["detail"][0]["msg"]
    unscored = await api.post(f"/competition-stages/{st['id']}/publish", headers=kaluga)
    assert unscored.status_code == 409 and team["id"] in unscored.json()["detail"][0]["msg"]

    told = json.dumps([v for _, v in await topic_events(api, c["id"])], ensure_ascii=False)
    assert told and all(word not in told for word in ("Соколова", "Варвара", "Игоревна", "Рябинин", "Глеб",
                                                      "Урок-исследование"))
    assert '"memberCount":2' in told.replace(" ", "") and '"personIds":[]' in told.replace(" ", "")


async def test_an_entrys_materials_are_read_within_the_entrys_scope(api, infra, kaluga):
    c = await competition(api, kaluga, "student", municipalityOktmo=KALUGA, title="Фестиваль проектов",
                          format="festival")
    nom = await nomination(api, kaluga, c["id"], "Проекты")
    st = await stage(api, kaluga, c["id"])
    s0, _, s2 = api.schools
    e = await entry(api, admin(infra, s0), st["id"], nom["id"], s0, [STUDENT])
    link = {"owner": "entry", "ownerId": e["id"], "title": "Презентация проекта", "url": "https://example.org/p"}
    assert (await api.post("/materials/links", json=link, headers=admin(infra, s2))).status_code == 404
    await ok(await api.post("/materials/links", json=link, headers=admin(infra, s0)), 201)
    params = {"owner": "entry", "ownerId": e["id"]}
    assert [m["title"] for m in await ok(await api.get("/materials", params=params, headers=kaluga))] == [
        "Презентация проекта"]
    assert (await api.get("/materials", params=params, headers=admin(infra, s2))).status_code == 404


async def test_diplomas_of_winners_and_prize_winners_verify_at_the_certificates_endpoint(api, infra, kaluga):
    c = await competition(api, kaluga, "student", municipalityOktmo=KALUGA, title="Олимпиада проектов")
    nom = await nomination(api, kaluga, c["id"], "Инженерные проекты")
    st = await stage(api, kaluga, c["id"])
    s0, s1, s2 = api.schools
    await ok(await api.post(f"/competition-stages/{st['id']}/jurors", json={"personId": str(api.jurors[2])},
                            headers=kaluga), 201)
    first = await entry(api, admin(infra, s0), st["id"], nom["id"], s0, [STUDENT])
    second = await entry(api, admin(infra, s1), st["id"], nom["id"], s1,
                         [{"lastName": "Рябинин", "firstName": "Глеб", "grade": 10}])
    third = await entry(api, admin(infra, s1), st["id"], nom["id"], s1,
                        [{"lastName": "Ветров", "firstName": "Илья", "grade": 8}])
    for e, lesson in ((first, 10), (second, 8), (third, 3)):
        await ok(await score(api, kaluga, e["id"], api.jurors[2], lesson, 5))
    fourth = await entry(api, admin(infra, s1), st["id"], nom["id"], s1, [{"lastName": "Сидоров", "firstName": "Иван",
                                                                           "grade": 7}])
    await ok(await score(api, kaluga, fourth["id"], api.jurors[2], 1, 1))  # a participant: no diploma
    early = await api.post(f"/competition-stages/{st['id']}/diplomas", json={}, headers=kaluga)
    assert early.status_code == 409
    await ok(await api.post(f"/competition-stages/{st['id']}/publish", headers=kaluga))
    issued = await ok(await api.post(f"/competition-stages/{st['id']}/diplomas", json={}, headers=kaluga))
    assert sorted((a["entryId"], a["status"]) for a in issued) == sorted([  # 1 winner, 2 prize-winners
        (first["id"], "ISSUED"), (second["id"], "ISSUED"), (third["id"], "ISSUED")])
    code = next(a["code"] for a in issued if a["entryId"] == first["id"])
    shown = await ok(await api.get(f"/certificates/{code}"))  # public, no token
    assert shown["holder"] == "Соколова Варвара Игоревна" and shown["title"] == "Диплом победителя"
    assert shown["statement"] == "стал(а) победителем конкурса"
    assert {"label": "Место", "value": "1"} in shown["facts"] and shown["subject"] == "Олимпиада проектов"
    again = await ok(await api.post(f"/competition-stages/{st['id']}/diplomas", json={}, headers=kaluga))
    assert {a["status"] for a in again} == {"ALREADY_ISSUED"} and all(a["code"] is None for a in again)
    pdf = await api.get(f"/competition-entries/{first['id']}/diplomas/student-0.pdf", headers=admin(infra, s0))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = await api.get(f"/competition-entries/{first['id']}/diplomas/student-0.pdf", headers=admin(infra, s2))
    assert other.status_code == 404


async def test_a_staff_diploma_needs_the_name_the_gateway_reads_from_the_registry(api, infra, coordinator, kaluga):
    c = await competition(api, coordinator, title="Педагогический дебют")
    nom = await nomination(api, coordinator, c["id"], "Молодой педагог")
    st = await stage(api, kaluga, c["id"])
    s0, s1, _ = api.schools
    await ok(await api.post(f"/competition-stages/{st['id']}/jurors", json={"personId": str(api.jurors[2])},
                            headers=kaluga), 201)
    teacher, other = api.teachers[0][1], api.teachers[1][1]
    won = await entry(api, kaluga, st["id"], nom["id"], s0, [{"personId": str(teacher)}])
    lost = await entry(api, kaluga, st["id"], nom["id"], s1, [{"personId": str(other)}])
    for e, lesson in ((won, 10), (lost, 9)):
        await ok(await score(api, kaluga, e["id"], api.jurors[2], lesson, 5))
    await ok(await api.post(f"/competition-stages/{st['id']}/publish", headers=kaluga))
    issued = await ok(await api.post(f"/competition-stages/{st['id']}/diplomas", headers=kaluga,
                                     json={"names": [{"personId": str(teacher), "fullName": "Берёзкина Ольга"}]}))
    answers = {a["holder"]: a for a in issued}
    assert answers[str(teacher)]["status"] == "ISSUED" and answers[str(other)]["status"] == "REFUSED"
    shown = await ok(await api.get(f"/certificates/{answers[str(teacher)]['code']}"))
    assert shown["holder"] == "Берёзкина Ольга" and shown["title"] == "Диплом победителя"


async def test_lists_page_by_cursor_and_bad_configuration_is_refused_naming_the_field(api, infra, coordinator,
                                                                                      kaluga):
    c = await competition(api, kaluga, "student", municipalityOktmo=KALUGA, title="Конференция «Шаг в науку»",
                          format="conference", year=2031)
    nom = await nomination(api, kaluga, c["id"], "Секция физики")
    st = await stage(api, kaluga, c["id"])
    made = [(await entry(api, kaluga, st["id"], nom["id"], api.schools[i % 3], [STUDENT]))["id"] for i in range(5)]
    seen, after = [], None
    while True:
        page = await ok(await api.get(f"/competition-stages/{st['id']}/entries",
                                      params={"limit": 2, **({"after": after} if after else {})}, headers=kaluga))
        assert page["totalCount"] == 5
        seen += [e["id"] for e in page["items"]]
        after = page["nextCursor"]
        if after is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5
    listed = await ok(await api.get("/competitions", params={"year": 2031, "kind": "student"}, headers=coordinator))
    assert [x["id"] for x in listed["items"]] == [c["id"]] and listed["items"][0]["stages"][0]["id"] == st["id"]

    missing = await api.get(f"/competitions/{uuid.uuid4()}", headers=coordinator)
    assert missing.status_code == 404
    both = await api.post("/competitions", headers=coordinator, json={
        "title": "Х", "kind": "staff", "format": "competition", "year": 2031,
        "awardRule": {"winners": {"places": 1, "share": 0.1}}})
    assert both.status_code == 422 and both.json()["detail"][0]["loc"] == ["body", "awardRule.winners"]
    twice = await api.post(f"/competitions/{c['id']}/nominations", headers=kaluga, json={"title": "Секция химии",
                           "criteria": [{"code": "a", "title": "А", "maxPoints": 5},
                                        {"code": "a", "title": "Б", "maxPoints": 5}]})
    assert twice.status_code == 422 and twice.json()["detail"][0]["loc"] == ["body", "criteria[1].code"]
    regional = await api.post(f"/competitions/{c['id']}/stages", headers=coordinator, json={"level": "regional"})
    assert regional.status_code == 422  # a municipality's competition stays in its municipality
    admin_stage = await api.post(f"/competitions/{c['id']}/stages", headers=admin(infra, api.schools[0]),
                                 json={"level": "school", "municipalityOktmo": KALUGA})
    assert admin_stage.status_code == 403


def pedagogue(infra, person):
    return bearer(infra, "pedagogue", person=str(person))


async def test_a_juror_signed_in_as_a_pedagogue_reads_the_stage_s_entries_and_enters_only_their_own_sheet(
        api, infra, kaluga):
    c = await competition(api, kaluga, municipalityOktmo=KALUGA, title="Педагогический дебют")
    nom = await nomination(api, kaluga, c["id"], "Молодой педагог")
    st = await stage(api, kaluga, c["id"])
    s0, s1, s2 = api.schools
    await ok(await api.post(f"/competition-stages/{st['id']}/jurors", json={"personId": str(api.jurors[2])},
                            headers=kaluga), 201)
    await ok(await api.post(f"/competition-stages/{st['id']}/jurors", json={"personId": str(api.jurors[1])},
                            headers=kaluga), 201)
    e = await entry(api, admin(infra, s0), st["id"], nom["id"], s0, [{"personId": str(api.teachers[0][0])}])
    juror, other_juror, outsider = (pedagogue(infra, p) for p in (api.jurors[2], api.jurors[1], api.teachers[1][0]))

    listed = await ok(await api.get(f"/competition-stages/{st['id']}/entries", headers=juror))
    assert [i["id"] for i in listed["items"]] == [e["id"]]
    assert (await api.get(f"/competition-entries/{e['id']}", headers=juror)).status_code == 200
    assert (await api.get(f"/competition-stages/{st['id']}/entries", headers=outsider)).json()["items"] == []
    missing = await api.get(f"/competition-entries/{uuid.uuid4()}", headers=outsider)
    refused = await api.get(f"/competition-entries/{e['id']}", headers=outsider)
    assert refused.status_code == missing.status_code == 404  # not on the jury: as if there were no entry
    assert (await score(api, outsider, e["id"], api.teachers[1][0], 5, 5)).status_code == 404

    sheet = await ok(await score(api, juror, e["id"], api.jurors[2], 9, 4))
    assert sheet["jurorId"] == str(api.jurors[2]) and float(sheet["total"]) == 13
    others = await score(api, juror, e["id"], api.jurors[1], 1, 1)  # another juror's sheet: not theirs to enter
    assert others.status_code == 403 and "только свои" in others.json()["detail"][0]["msg"]
    await ok(await score(api, other_juror, e["id"], api.jurors[1], 7, 3))
    await ok(await api.post(f"/competition-stages/{st['id']}/publish", headers=kaluga))
    closed = await score(api, juror, e["id"], api.jurors[2], 10, 5)
    assert closed.status_code == 409 and closed.json()["detail"][0]["type"] == "closed"
    assert (await api.post(f"/competition-stages/{st['id']}/publish", headers=juror)).status_code == 403
