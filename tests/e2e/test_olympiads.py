"""The school olympiad through GraphQL against the running services, as a municipal methodist tries it: the
school registered in the registry reaches the events service's projection → a school stage opened → the
protocol imported by the multipart spec with a bad row explained → statuses computed → a passing score set →
the admission list → an appeal changes statuses and the list → the protocol published; events.olympiads.v1
carries codes and numbers, never a pupil's name."""
import json

import httpx
import pytest

from metodset_events.olympiads_import import RESULTS
from metodset_kit.tabular.writing import kind_workbook
from tests.conftest import start_stack, token
from tests.factories import legal_inn
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29716000"
INN = legal_inn(97_001)

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
CREATE = """mutation($i: CreateOlympiadStageInput!) { createOlympiadStage(input: $i) { id stage
  grades { grade maxScore passingScore } } }"""
IMPORT = """mutation($s: ID!, $file: Upload!) { importOlympiadResults(stageId: $s, mode: VALID_ROWS, file: $file) {
  id kind status } }"""
JOB = "query($id: ID!) { importJob(id: $id) { status created unchanged errors { row column message } } }"
PASSING = "mutation($s: ID!) { setPassingScore(stageId: $s, grade: 9, score: 30) { grades { grade passingScore } } }"
STAGE = """query($id: ID!) { olympiadStage(id: $id) { stage grades { grade maxScore passingScore }
  results(first: 50) { totalCount nodes { participantCode organisation { id name } grade score status } }
  admitted(first: 50) { totalCount nodes { participantCode grade score reason } } } }"""
STAGES = """query { olympiadStages(year: 2026, subject: "mathematics", stage: SCHOOL) { totalCount nodes { id } } }"""
APPEAL = """mutation($i: ResolveAppealInput!) { resolveAppeal(input: $i) { previousStatus status afterVersion } }"""
PUBLISH = "mutation($s: ID!) { publishProtocol(stageId: $s) { version participants } }"
DIPLOMAS = """mutation($s: ID!) { issueOlympiadDiplomas(stageId: $s) { protocolVersion revoked
  items { participantCode status code pdfUrl } } }"""
ADMIT = "mutation($s: ID!) { admitOlympiadParticipants(stageId: $s) { added admitted } }"
VERIFY = """query($c: String!) { verifyCertificate(code: $c) { title statement holder } }"""
RATING = """query { olympiadRating(year: 2026, subject: "mathematics", stage: SCHOOL, grade: 9, first: 2) {
  totalCount nodes { place participantCode organisation { name } score status } } }"""


@pytest.fixture(scope="module")
def stack(infra, namespace, tmp_path_factory):
    stack = start_stack(infra, namespace, tmp_path_factory.mktemp(f"logs-{namespace}"))
    yield stack
    stack.stop()


def protocol() -> bytes:
    scores = {"E1": 45, "E2": 40, "E3": 35, "E4": 30, "E5": 20, "E6": 10}
    rows = [{"code": c, "lastName": "Соколова", "firstName": "Вера", "inn": INN, "studyGrade": 9, "grade": 9,
             "score": s} for c, s in scores.items()]
    return kind_workbook(RESULTS, [*rows, {"code": "E7", "lastName": "Соколова", "firstName": "Вера", "inn": INN,
                                           "studyGrade": 10, "grade": 9, "score": 12}])


async def upload(url: str, bearer: str, stage: str, data: bytes) -> dict:
    operations = json.dumps({"query": IMPORT, "variables": {"s": stage, "file": None}})
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(url, headers={"Authorization": f"Bearer {bearer}"},
                            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                            files={"0": ("Протокол.xlsx", data, "application/octet-stream")})
    r.raise_for_status()
    return r.json()


async def test_the_school_stage_story_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Медынский район"}, "o": {
        "name": "МКОУ СОШ № 1", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": INN}})
    assert "errors" not in setup, setup
    methodist = gql("municipal_methodist", municipality=OKTMO)
    made = await methodist(CREATE, {"i": {"year": 2026, "subject": "mathematics", "stage": "SCHOOL",
                                          "municipalityOktmo": OKTMO,
                                          "grades": [{"grade": 9, "maxScore": 50}, {"grade": 10, "maxScore": 50}]}})
    assert "errors" not in made, made
    stage = made["data"]["createOlympiadStage"]["id"]
    gateway = f"{stack.services['gateway'].url}/graphql"
    bearer = token(infra, "municipal_methodist", municipality=OKTMO)

    async def imported():  # the school reaches the events service through its projection of the registry
        started = await upload(gateway, bearer, stage, protocol())
        assert "errors" not in started, started
        assert started["data"]["importOlympiadResults"]["kind"] == "OLYMPIAD_RESULTS"

        async def done():
            job = (await methodist(JOB, {"id": started["data"]["importOlympiadResults"]["id"]}))["data"]["importJob"]
            return job if job["status"] in ("DONE", "FAILED") else None
        job = await eventually(done)
        return job if job["created"] + job["unchanged"] == 6 else None
    job = await eventually(imported)
    assert job["errors"] == [{"row": 8, "column": "Класс участия", "message":
                              "Класс участия 9 ниже класса обучения 10: можно писать только за свой или старший"}]

    card = (await methodist(STAGE, {"id": stage}))["data"]["olympiadStage"]
    statuses = {n["participantCode"]: n["status"] for n in card["results"]["nodes"]}
    assert statuses == {"E1": "WINNER", "E2": "PRIZE_WINNER", "E3": "PARTICIPANT", "E4": "PARTICIPANT",
                        "E5": "PARTICIPANT", "E6": "PARTICIPANT"}  # 6 wrote: quota floor(2.7) = 2
    assert card["results"]["nodes"][0]["organisation"]["name"] == "МКОУ СОШ № 1"
    assert card["admitted"]["totalCount"] == 0
    passing = await methodist(PASSING, {"s": stage})
    assert passing["data"]["setPassingScore"]["grades"][0] == {"grade": 9, "passingScore": 30.0}
    admitted = (await methodist(STAGE, {"id": stage}))["data"]["olympiadStage"]["admitted"]
    assert {(n["participantCode"], n["reason"]) for n in admitted["nodes"]} == {
        ("E1", "PASSING_SCORE"), ("E2", "PASSING_SCORE"), ("E3", "PASSING_SCORE"), ("E4", "PASSING_SCORE")}

    published = await methodist(PUBLISH, {"s": stage})
    assert published["data"]["publishProtocol"] == {"version": 1, "participants": 6}
    appeal = await methodist(APPEAL, {"i": {"stageId": stage, "participantCode": "E5", "newScore": 42,
                                            "reason": "Задание 4 засчитано"}})
    assert appeal["data"]["resolveAppeal"] == {"previousStatus": "PARTICIPANT", "status": "PRIZE_WINNER",
                                               "afterVersion": 1}
    card = (await methodist(STAGE, {"id": stage}))["data"]["olympiadStage"]
    statuses = {n["participantCode"]: n["status"] for n in card["results"]["nodes"]}
    assert (statuses["E5"], statuses["E2"]) == ("PRIZE_WINNER", "PARTICIPANT")
    assert card["admitted"]["totalCount"] == 5
    assert (await gql("analyst")(STAGES))["data"]["olympiadStages"]["nodes"] == [{"id": stage}]
    rating = (await gql("analyst")(RATING))["data"]["olympiadRating"]  # the published version 1, before the appeal
    assert rating["totalCount"] == 6 and [(n["place"], n["participantCode"], n["status"]) for n in rating["nodes"]] == [
        (1, "E1", "WINNER"), (2, "E2", "PRIZE_WINNER")]
    assert (await methodist(PUBLISH, {"s": stage}))["data"]["publishProtocol"]["version"] == 2
    issued = (await methodist(DIPLOMAS, {"s": stage}))["data"]["issueOlympiadDiplomas"]
    awarded = {d["participantCode"]: d for d in issued["items"]}
    assert issued["protocolVersion"] == 2 and {c: d["status"] for c, d in awarded.items()} == {
        "E1": "WINNER", "E5": "PRIZE_WINNER"}
    assert awarded["E1"]["pdfUrl"] == f"/olympiads/stages/{stage}/diplomas/E1.pdf"
    verified = (await gql("analyst")(VERIFY, {"c": awarded["E1"]["code"]}))["data"]["verifyCertificate"]
    assert verified == {"title": "Диплом победителя", "statement": "стал(а) победителем этапа олимпиады",
                        "holder": "Соколова Вера"}
    municipal = await methodist(CREATE, {"i": {"year": 2026, "subject": "mathematics", "stage": "MUNICIPAL",
                                               "municipalityOktmo": OKTMO, "grades": [{"grade": 9, "maxScore": 60}]}})
    assert "errors" not in municipal, municipal
    admit = {"s": municipal["data"]["createOlympiadStage"]["id"]}
    assert (await methodist(ADMIT, admit))["data"]["admitOlympiadParticipants"] == {"added": 5, "admitted": 5}
    assert (await methodist(ADMIT, admit))["data"]["admitOlympiadParticipants"] == {"added": 0, "admitted": 5}
    other = await gql("municipal_methodist", municipality="29701000")(APPEAL, {"i": {
        "stageId": stage, "participantCode": "E6", "newScore": 50, "reason": "x"}})
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    async def on_topic():
        records = await read_all(infra.bootstrap_servers, f"{namespace}.events.olympiads.v1")
        types = [json.loads(r.value)["type"].split(".")[-2] for r in records]
        return records if {"stage_opened", "protocol_published", "appeal_resolved"} <= set(types) else None
    records = await eventually(on_topic)
    text = b"".join(r.value for r in records).decode()
    assert "Соколова" not in text and "Вера" not in text and '"participantCode":"E5"' in text
