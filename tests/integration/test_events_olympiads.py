"""The All-Russian school olympiad on the events service (real PostgreSQL): stages and who runs them, results
entered and imported from protocols (every bad row named, re-upload unchanged), statuses by the rule, passing
scores and the admission list with reasons (last year's winners too), appeals before and after publication,
frozen protocol versions, the next stage's participants, scope and audit, and no pupil's name on the topic."""
import json

import pytest

from metodset_events.olympiads_import import RESULTS
from metodset_kit.tabular.writing import kind_workbook
from tests.events_app import KALUGA, OBNINSK, events_client, seed_organisation
from tests.factories import legal_inn
from tests.registry_app import bearer
from tests.waiting import import_finished

pytestmark = pytest.mark.integration
SCHOOL_NO, OTHER_NO, OBNINSK_NO = 701, 702, 703


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with events_client(infra, namespace) as http:
        http.school = await seed_organisation(http.pool, KALUGA, SCHOOL_NO)
        http.other = await seed_organisation(http.pool, KALUGA, OTHER_NO)
        http.obninsk = await seed_organisation(http.pool, OBNINSK, OBNINSK_NO)
        yield http


@pytest.fixture(scope="module")
def roles(infra):
    """The institute (regional coordinator) and two municipalities' methodists."""
    return (bearer(infra), bearer(infra, "municipal_methodist", municipality=KALUGA),
            bearer(infra, "municipal_methodist", municipality=OBNINSK))


async def open_stage(api, headers, year=2026, subject="mathematics", stage="school", oktmo=KALUGA,
                     grades=((9, 50), (10, 50)), expect=201, **extra):
    body = {"year": year, "subject": subject, "stage": stage, "municipalityOktmo": oktmo,
            "grades": [{"grade": g, "maxScore": m} for g, m in grades], **extra}
    r = await api.post("/olympiads/stages", json=body, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


def pupil(code, score, grade=9, study=None, inn=None, **more):
    return {"participantCode": code, "lastName": f"Фамилия{code}", "firstName": "Имя", "patronymic": "Отчество",
            "organisationInn": inn or legal_inn(SCHOOL_NO), "studyGrade": study or grade, "grade": grade,
            "score": score, **more}


async def enter(api, headers, stage_id, results, expect=200):
    r = await api.post(f"/olympiads/stages/{stage_id}/results/entries", json={"results": results}, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


async def results(api, headers, stage_id):
    r = await api.get(f"/olympiads/stages/{stage_id}/results", params={"limit": 1000}, headers=headers)
    assert r.status_code == 200, r.text
    return {i["participantCode"]: (i["score"] and float(i["score"]), i["status"]) for i in r.json()["items"]}


async def admission(api, headers, stage_id):
    r = await api.get(f"/olympiads/stages/{stage_id}/admission", params={"limit": 1000}, headers=headers)
    assert r.status_code == 200, r.text
    return {i["participantCode"]: (i["grade"], i["reason"]) for i in r.json()["items"]}


async def topic(api):
    rows = await api.pool.fetch("select event_type, value from outbox where topic = 'events.olympiads.v1'"
                                " order by seq")
    return [(r["event_type"].split(".")[-2], json.loads(bytes(r["value"]))["data"]) for r in rows]


async def test_who_opens_which_stage_and_the_grades_come_from_the_reference(api, roles):
    coordinator, kaluga, obninsk = roles
    await open_stage(api, obninsk, subject="physics", expect=403)
    await open_stage(api, kaluga, stage="regional", oktmo=None, expect=403)
    bad = await open_stage(api, kaluga, subject="physics", grades=((4, 20),), expect=422)
    assert bad["detail"][0]["loc"] == ["body", "grades[0].grade"] and "5–11" in bad["detail"][0]["msg"]
    made = await open_stage(api, kaluga, subject="physics")
    assert made["stageTitle"] == "школьный этап" and made["rule"]["quota"] == "0.45"
    await open_stage(api, kaluga, subject="physics", expect=409)
    regional = await open_stage(api, coordinator, subject="physics", stage="regional", oktmo=None)
    listed = await api.get("/olympiads/stages", params={"subject": "physics", "limit": 1}, headers=obninsk)
    assert listed.json()["totalCount"] == 2 and listed.json()["nextCursor"]
    nxt = await api.get("/olympiads/stages", params={"subject": "physics", "after": listed.json()["nextCursor"]},
                        headers=obninsk)
    assert {listed.json()["items"][0]["id"], nxt.json()["items"][0]["id"]} == {made["id"], regional["id"]}


async def test_statuses_by_the_rule_and_a_higher_grade_and_every_bad_entry_named(api, roles):
    kaluga = roles[1]
    stage = await open_stage(api, kaluga, subject="chemistry")
    bad = await enter(api, kaluga, stage["id"], [
        pupil("C1", 40), pupil("C2", 30, grade=9, study=10), pupil("C3", 60),
        pupil("C4", 10, inn=legal_inn(OBNINSK_NO)), pupil("C5", 5, inn=legal_inn(9999))], expect=422)
    found = {(d["loc"][2], d["loc"][3]): d["msg"] for d in bad["detail"]}
    assert set(found) == {(1, "grade"), (2, "score"), (3, "organisationInn"), (4, "organisationInn")}
    assert "ниже класса обучения 10" in found[(1, "grade")] and "не из муниципалитета" in found[(3, "organisationInn")]
    assert await results(api, kaluga, stage["id"]) == {}  # nothing half-written
    scores = [45, 40, 35, 30, 30, 20, 10, 10, 5, 5]  # 10 in grade 9: quota 4, the 4th place shared
    written = await enter(api, kaluga, stage["id"], [pupil(f"K{i}", s) for i, s in enumerate(scores)]
                          + [pupil("H1", 20, grade=10, study=9)])  # writes for the 10th grade
    assert written == {"created": 11, "updated": 0, "unchanged": 0}
    got = await results(api, kaluga, stage["id"])
    assert [got[f"K{i}"][1] for i in range(10)] == ["winner"] + ["prize_winner"] * 4 + ["participant"] * 5
    assert got["H1"] == (20.0, "participant")  # alone in grade 10 with 40 % of the maximum
    again = await enter(api, kaluga, stage["id"], [pupil("K0", 45)])
    assert again == {"created": 0, "updated": 0, "unchanged": 1}


def protocol(rows) -> bytes:
    return kind_workbook(RESULTS, rows)


def row(code, score, grade=9, study=None, inn=None, **more):
    return {"code": code, "lastName": "Иванова", "firstName": "Мария", "patronymic": "Петровна",
            "inn": inn or legal_inn(SCHOOL_NO), "studyGrade": study or grade, "grade": grade, "score": score, **more}


async def upload(api, headers, stage_id, data, mode="VALID_ROWS"):
    started = await api.post(f"/olympiads/stages/{stage_id}/results", params={"mode": mode}, headers=headers,
                             files={"file": ("protocol.xlsx", data)})
    assert started.status_code == 202, started.text
    return await import_finished(api, headers, started.json()["id"])


async def test_a_protocol_imports_with_every_bad_row_named_and_again_changes_nothing(api, roles):
    _, kaluga, obninsk = roles
    template = await api.get("/templates/olympiad-results.xlsx", headers=kaluga)
    assert template.status_code == 200
    stage = await open_stage(api, kaluga, subject="biology")
    refused = await api.post(f"/olympiads/stages/{stage['id']}/results", params={"mode": "VALID_ROWS"},
                             headers=obninsk, files={"file": ("p.xlsx", protocol([row("B1", 10)]))})
    assert refused.status_code == 403
    unbound = await api.post("/imports", params={"kind": "olympiad-results", "mode": "VALID_ROWS"}, headers=kaluga,
                             files={"file": ("p.xlsx", protocol([row("B1", 10)]))})
    assert unbound.status_code == 422 and unbound.json()["detail"][0]["loc"] == ["query", "kind"]
    rows = [row("B1", None, task1=10, task2=15.5), row("B2", 30, grade=10, study=9), row("B3", 70),
            row("B4", 20, grade=8), row("B1", 5), row("B5", 12, inn=legal_inn(9999))]
    job = await upload(api, kaluga, stage["id"], protocol(rows))
    assert (job["status"], job["created"]) == ("DONE", 2)
    errors = {(e["row"], e["column"]): e["message"] for e in job["errors"]}
    assert set(errors) == {(4, "Баллы"), (5, "Класс участия"), (6, "Код участника"), (7, "ИНН организации")}
    assert "от 0 до 50" in errors[(4, "Баллы")] and "уже встречается в строке 2" in errors[(6, "Код участника")]
    got = await results(api, kaluga, stage["id"])
    assert got == {"B1": (25.5, "winner"), "B2": (30.0, "winner")}  # each alone in their grade, above half
    again = await upload(api, kaluga, stage["id"], protocol(rows))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    whole = await upload(api, kaluga, stage["id"], protocol(rows), mode="ALL_OR_NOTHING")
    assert whole["created"] == 0 and len(whole["errors"]) == 4


async def test_passing_scores_appeals_protocol_versions_and_the_next_stage(api, roles):
    _, kaluga, obninsk = roles
    # last year's municipal winner, now in the 10th grade, is admitted whatever their school-stage score
    last = await open_stage(api, kaluga, year=2025, stage="municipal", grades=((9, 50),))
    await enter(api, kaluga, last["id"], [pupil("W1", 40, grade=9), pupil("W2", 10, grade=9)])
    stage = await open_stage(api, kaluga, grades=((9, 50), (10, 50)))
    await enter(api, kaluga, stage["id"], [pupil(f"M{i}", s) for i, s in enumerate([45, 40, 30, 26, 25, 10])]
                + [pupil("W1", 5, grade=10)])
    assert await admission(api, kaluga, stage["id"]) == {"W1": (10, "last_year_status")}
    refused = await api.put(f"/olympiads/stages/{stage['id']}/grades/9/passing-score", json={"score": 26},
                            headers=obninsk)
    assert refused.status_code == 403
    r = await api.put(f"/olympiads/stages/{stage['id']}/grades/9/passing-score", json={"score": 26}, headers=kaluga)
    assert r.status_code == 200 and r.json()["grades"][0]["passingScore"] == "26.00"
    listed = await admission(api, kaluga, stage["id"])
    assert listed == {"M0": (9, "passing_score"), "M1": (9, "passing_score"), "M2": (9, "passing_score"),
                      "M3": (9, "passing_score"), "W1": (10, "last_year_status")}
    before = await results(api, kaluga, stage["id"])  # 6 in grade 9: quota floor(6 · 0.45) = 2
    assert [before[f"M{i}"][1] for i in range(3)] == ["winner", "prize_winner", "participant"]

    published = await api.post(f"/olympiads/stages/{stage['id']}/protocol", headers=kaluga)
    assert published.status_code == 201 and published.json() == {"version": 1, "participants": 7}
    twice = await api.post(f"/olympiads/stages/{stage['id']}/protocol", headers=kaluga)
    assert twice.status_code == 409

    # an appeal after publication: statuses and the list change now, the published version stays frozen
    appeal = await api.post(f"/olympiads/stages/{stage['id']}/appeals", headers=kaluga, json={
        "participantCode": "M4", "newScore": 41, "reason": "Задание 3 оценено заново"})
    assert appeal.status_code == 201, appeal.text
    assert appeal.json()["previousStatus"] == "participant" and appeal.json()["status"] == "prize_winner"
    assert appeal.json()["afterVersion"] == 1
    got = await results(api, kaluga, stage["id"])
    assert got["M4"] == (41.0, "prize_winner") and got["M1"] == (40.0, "participant")  # pushed out of the quota
    assert (await admission(api, kaluga, stage["id"]))["M4"] == (9, "passing_score")
    frozen = await api.pool.fetchval("select status from olympiad_protocol_rows where stage_id = $1 and version = 1"
                                     " and code = 'M4'", stage["id"])
    assert frozen == "participant"
    stage_now = (await api.get(f"/olympiads/stages/{stage['id']}", headers=kaluga)).json()
    assert stage_now["changedSincePublication"] is True
    v2 = await api.post(f"/olympiads/stages/{stage['id']}/protocol", headers=kaluga)
    assert v2.json()["version"] == 2

    # the municipal stage's participants from the list, once
    municipal = await open_stage(api, kaluga, stage="municipal", grades=((9, 60), (10, 60)))
    admitted = await api.post(f"/olympiads/stages/{municipal['id']}/participants/from-admission", headers=kaluga)
    assert admitted.json() == {"added": 6, "admitted": 6}
    again = await api.post(f"/olympiads/stages/{municipal['id']}/participants/from-admission", headers=kaluga)
    assert again.json() == {"added": 0, "admitted": 6}
    assert set(await results(api, kaluga, municipal["id"])) == {"M0", "M1", "M2", "M3", "M4", "W1"}

    published = await topic(api)
    kinds = [k for k, _ in published]
    assert {"stage_opened", "protocol_published", "appeal_resolved", "admitted"} <= set(kinds)
    # the same numbers per organisation, for monitoring's facts (numbers only, no participant)
    protocols = [d for k, d in published if k == "protocol_published"]
    for d in protocols:
        assert sum(t["participants"] for t in d["organisations"]) == d["participants"]
        assert sum(t["winners"] + t["prizeWinners"] for t in d["organisations"]) == d["winners"] + d["prizeWinners"]
        assert all(set(t) == {"organisationId", "municipalityOktmo", "participants", "winners", "prizeWinners"}
                   for t in d["organisations"])
    assert any(d["organisations"] for d in protocols)


async def test_names_are_read_in_scope_under_audit_and_never_reach_the_topic(api, infra, roles):
    _, kaluga, obninsk = roles
    stage = await open_stage(api, kaluga, subject="history")
    await enter(api, kaluga, stage["id"], [pupil("P1", 40), pupil("P2", 30, inn=legal_inn(OTHER_NO))])
    url = f"/olympiads/stages/{stage['id']}/participants/P1"
    seen = await api.get(url, headers=kaluga)
    assert seen.status_code == 200 and seen.json()["lastName"] == "ФамилияP1"
    assert await api.pool.fetchval("select count(*) from audit_log where resource = 'olympiad_participant'"
                                   " and resource_id = 'P1'") == 1
    hidden = await api.get(url, headers=obninsk)
    missing = await api.get(f"/olympiads/stages/{stage['id']}/participants/NOPE", headers=obninsk)
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == {
        "detail": [{**missing.json()["detail"][0], "msg": missing.json()["detail"][0]["msg"].replace("NOPE", "P1")}]}
    admin = bearer(infra, "organisation_admin", organisation=str(api.other))
    assert set(await results(api, admin, stage["id"])) == {"P2"}
    assert set(await results(api, obninsk, stage["id"])) == set()
    everything = json.dumps([d for _, d in await topic(api)], ensure_ascii=False)
    for secret in ("Фамилия", "Имя", "Отчество", "Иванова", "Мария", "Петровна"):
        assert secret not in everything


async def test_diplomas_verify_publicly_follow_the_latest_version_and_the_rating_ranks(api, roles, infra):
    _, kaluga, obninsk = roles
    stage = await open_stage(api, kaluga, subject="geography", grades=((9, 40),))
    await enter(api, kaluga, stage["id"], [pupil(f"G{i}", s) for i, s in enumerate([38, 30, 25, 21, 10])])
    early = await api.post(f"/olympiads/stages/{stage['id']}/diplomas", headers=kaluga)
    assert early.status_code == 409  # only a published protocol gives diplomas
    await api.post(f"/olympiads/stages/{stage['id']}/protocol", headers=kaluga)
    issued = await api.post(f"/olympiads/stages/{stage['id']}/diplomas", headers=kaluga)
    assert issued.status_code == 200, issued.text
    codes = {i["participantCode"]: i["code"] for i in issued.json()["items"]}
    assert set(codes) == {"G0", "G1"}  # 5 wrote: quota 2
    shown = await api.get(f"/certificates/{codes['G0']}")  # no token: the public verification of certificates
    assert shown.status_code == 200 and shown.json()["title"] == "Диплом победителя"
    assert shown.json()["statement"] == "стал(а) победителем этапа олимпиады"
    assert shown.json()["holder"] == "ФамилияG0 Имя Отчество" and {"label": "Баллы", "value": "38 из 40"} in \
        shown.json()["facts"]
    pdf = await api.get(f"/olympiads/stages/{stage['id']}/diplomas/G0.pdf", headers=kaluga)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await api.get(f"/olympiads/stages/{stage['id']}/diplomas/G0.pdf", headers=obninsk)).status_code == 404
    again = await api.post(f"/olympiads/stages/{stage['id']}/diplomas", headers=kaluga)
    assert [i["code"] for i in again.json()["items"]] == [None, None] and again.json()["revoked"] == []

    await api.post(f"/olympiads/stages/{stage['id']}/appeals", headers=kaluga, json={
        "participantCode": "G2", "newScore": 32, "reason": "Ошибка суммирования"})
    await api.post(f"/olympiads/stages/{stage['id']}/protocol", headers=kaluga)
    second = (await api.post(f"/olympiads/stages/{stage['id']}/diplomas", headers=kaluga)).json()
    assert second["protocolVersion"] == 2 and second["revoked"] == ["G1"]  # pushed out of the quota by G2
    assert (await api.get(f"/certificates/{codes['G1']}")).status_code == 404
    assert {i["participantCode"] for i in second["items"] if i["code"]} == {"G2"}

    rated = await api.get("/olympiads/ratings", headers=bearer(infra, "analyst"), params={
        "year": 2026, "subject": "geography", "stage": "school", "grade": 9, "limit": 2})
    assert rated.status_code == 200, rated.text
    page = rated.json()
    assert page["totalCount"] == 5 and [(r["place"], r["participantCode"]) for r in page["items"]] == [
        (1, "G0"), (2, "G2")] and "lastName" not in page["items"][0]
    rest = await api.get("/olympiads/ratings", headers=obninsk, params={
        "year": 2026, "subject": "geography", "stage": "school", "grade": 9, "after": page["nextCursor"]})
    assert [r["participantCode"] for r in rest.json()["items"]] == ["G1", "G3", "G4"]
