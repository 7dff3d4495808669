"""A municipal «Учитель года» stage through GraphQL against the running services: the coordinator creates the
competition and its regional stage, the municipal methodist runs the municipal stage (jurors from the registry,
learnt through the events service's projection), schools submit their teachers, a juror from an entrant's school
is refused with the reason, results are published, diplomas verify and the winner is advanced to the regional
stage; the entrants' names are read from the registry within scope; events.competitions.v1 on the broker carries
ids, never names."""
import json

import pytest

from tests.e2e.test_methodical_events import CREATE, HIRE
from tests.e2e.test_staff import SETUP
from tests.factories import legal_inn, snils
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29724000"
ORG = "mutation($o: RegisterOrganisationInput!) { registerOrganisation(input: $o) { id } }"
COMPETITION = "mutation($i: CreateCompetitionInput!) { createCompetition(input: $i) { id kind formatTitle } }"
NOMINATION = """mutation($c: ID!, $i: AddNominationInput!) { addNomination(competitionId: $c, input: $i) { id
  criteria { code maxPoints } } }"""
STAGE = """mutation($c: ID!, $i: AddCompetitionStageInput!) { addCompetitionStage(competitionId: $c, input: $i) {
  id level levelTitle } }"""
JUROR = "mutation($s: ID!, $p: ID!) { appointJuror(stageId: $s, personId: $p) { jurorIds } }"
SUBMIT = """mutation($s: ID!, $i: SubmitEntryInput!) { submitEntry(stageId: $s, input: $i) { id
  participants { personId person { fullName } } } }"""
SCORE = """mutation($e: ID!, $j: ID!, $l: Float!, $x: Float!) { scoreEntry(entryId: $e, jurorId: $j,
  scores: [{criterion: "lesson", points: $l}, {criterion: "essay", points: $x}]) { total } }"""
PUBLISH = "mutation($s: ID!) { publishCompetitionResults(stageId: $s) { entryId place status statusTitle score } }"
ADVANCE = "mutation($s: ID!, $t: ID!) { advanceEntries(stageId: $s, toStageId: $t) { id stageId fromEntryId } }"
CARD = """query($id: ID!) { competition(id: $id) { title stages { level entries(first: 10) { totalCount nodes {
  id status participants { person { fullName } } } } results { entryId place status persons { fullName } } } } }"""
SEEN = """query($id: ID!) { competition(id: $id) { stages { level entries(first: 10) { nodes { id } } } } }"""
DIPLOMAS = "mutation($s: ID!) { issueCompetitionDiplomas(stageId: $s) { entryId holder status code } }"
VERIFY = """query($c: String!) { verifyCertificate(code: $c) { title holder subject } }"""
LIST = """query($f: CompetitionFilter) { competitions(filter: $f, first: 5) { totalCount nodes { id title } } }"""


async def _teacher(methodist, n: int, last: str, school: str) -> str:
    created = await methodist(CREATE, {"i": {"lastName": last, "firstName": "Ольга", "birthDate": "1984-04-04",
                                              "snils": snils(n)}})
    assert "errors" not in created, created
    pid = created["data"]["createPerson"]["id"]
    hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": school, "position": "teacher",
                                         "startDate": "2015-09-01"}})
    assert "errors" not in hired, hired
    return pid


async def test_teacher_of_the_year_municipal_stage_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Медынский район"}, "o": {
        "name": "МКОУ СОШ № 1", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(97_001)}})
    assert "errors" not in setup, setup
    first = setup["data"]["registerOrganisation"]["id"]
    second = (await gql()(ORG, {"o": {"name": "МКОУ СОШ № 2", "kind": "SCHOOL", "municipalityOktmo": OKTMO,
                                      "inn": legal_inn(97_002)}}))["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    a = await _teacher(methodist, 971, "Берёзкина", first)
    b = await _teacher(methodist, 972, "Осинина", second)
    juror_first = await _teacher(methodist, 973, "Кленова", first)
    juror_second = await _teacher(methodist, 974, "Рябинова", second)

    coordinator = gql()
    made = await coordinator(COMPETITION, {"i": {"title": "Учитель года — 2027", "kind": "STAFF",
                                                 "format": "PROFESSIONAL_SKILL", "year": 2027}})
    assert "errors" not in made, made
    competition = made["data"]["createCompetition"]["id"]
    nomination = (await coordinator(NOMINATION, {"c": competition, "i": {"title": "Учитель года", "criteria": [
        {"code": "lesson", "title": "Открытый урок", "maxPoints": 10},
        {"code": "essay", "title": "Эссе", "maxPoints": 5}]}}))["data"]["addNomination"]["id"]
    municipal = (await methodist(STAGE, {"c": competition, "i": {"level": "MUNICIPAL",
                                                                 "municipalityOktmo": OKTMO}}))
    assert municipal["data"]["addCompetitionStage"]["levelTitle"] == "муниципальный этап", municipal
    municipal = municipal["data"]["addCompetitionStage"]["id"]
    regional = (await coordinator(STAGE, {"c": competition, "i": {"level": "REGIONAL"}}))
    regional = regional["data"]["addCompetitionStage"]["id"]

    async def appointed(person):  # the events service learns the jurors from registry.staff.v1
        r = await methodist(JUROR, {"s": municipal, "p": person})
        return None if "errors" in r else r
    await eventually(lambda: appointed(juror_first))
    await eventually(lambda: appointed(juror_second))

    school_admin = gql("organisation_admin", organisation=first)
    entry_a = await school_admin(SUBMIT, {"s": municipal, "i": {"nominationId": nomination, "organisationId": first,
                                                                "participants": [{"personId": a}]}})
    assert "errors" not in entry_a, entry_a
    assert entry_a["data"]["submitEntry"]["participants"][0]["person"]["fullName"].startswith("Берёзкина")
    entry_a = entry_a["data"]["submitEntry"]["id"]
    entry_b = (await methodist(SUBMIT, {"s": municipal, "i": {"nominationId": nomination, "organisationId": second,
                                                              "participants": [{"personId": b}]}}))
    entry_b = entry_b["data"]["submitEntry"]["id"]

    refused = await methodist(SCORE, {"e": entry_a, "j": juror_first, "l": 9, "x": 5})
    assert "организации участника" in refused["errors"][0]["message"]
    for entry, juror, lesson, essay in ((entry_a, juror_second, 9, 5), (entry_b, juror_first, 7, 4)):
        scored = await methodist(SCORE, {"e": entry, "j": juror, "l": lesson, "x": essay})
        assert scored["data"]["scoreEntry"]["total"] == lesson + essay, scored
    published = (await methodist(PUBLISH, {"s": municipal}))["data"]["publishCompetitionResults"]
    assert [(r["entryId"], r["place"], r["status"]) for r in published] == [(entry_a, 1, "WINNER"),
                                                                            (entry_b, 2, "PRIZE_WINNER")]
    diplomas = (await methodist(DIPLOMAS, {"s": municipal}))["data"]["issueCompetitionDiplomas"]
    assert sorted((d["holder"], d["status"]) for d in diplomas) == sorted([(a, "ISSUED"), (b, "ISSUED")])
    code = next(d["code"] for d in diplomas if d["holder"] == a)
    verified = (await gql("analyst")(VERIFY, {"c": code}))["data"]["verifyCertificate"]
    assert verified["title"] == "Диплом победителя" and verified["holder"].startswith("Берёзкина Ольга")
    advanced = (await methodist(ADVANCE, {"s": municipal, "t": regional}))["data"]["advanceEntries"]
    assert [(e["stageId"], e["fromEntryId"]) for e in advanced] == [(regional, entry_a)]

    card = (await methodist(CARD, {"id": competition}))["data"]["competition"]
    stages = {s["level"]: s for s in card["stages"]}
    assert stages["MUNICIPAL"]["entries"]["totalCount"] == 2
    assert stages["MUNICIPAL"]["results"][0]["persons"][0]["fullName"].startswith("Берёзкина")
    assert stages["REGIONAL"]["entries"]["nodes"][0]["participants"][0]["person"]["fullName"].startswith("Берёзкина")
    other_school = gql("organisation_admin", organisation=second)
    seen = await other_school(SEEN, {"id": competition})
    assert "errors" not in seen, seen
    seen = seen["data"]["competition"]
    assert [e["id"] for e in {s["level"]: s for s in seen["stages"]}["MUNICIPAL"]["entries"]["nodes"]] == [entry_b]
    listed = (await gql("analyst")(LIST, {"f": {"year": 2027, "kind": "STAFF"}}))["data"]["competitions"]
    assert competition in [c["id"] for c in listed["nodes"]]

    async def told():
        records = await read_all(infra.bootstrap_servers, f"{namespace}.events.competitions.v1")
        types = [json.loads(r.value)["type"].split(".")[-2] for r in records]
        return records if types.count("entry_advanced") == 1 and types.count("result_published") == 2 else None
    records = await eventually(told)
    text = b"".join(r.value for r in records).decode()
    assert entry_a in text and a in text
    assert all(name not in text for name in ("Берёзкина", "Осинина", "Кленова", "Рябинова", "Ольга"))
