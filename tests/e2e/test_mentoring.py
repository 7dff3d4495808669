"""Mentoring through GraphQL against the running services: a young specialist without a mentor →
startMentoring → person.mentors / mentees → youngSpecialistsWithoutMentor drops the mentee → endMentoring
brings them back; registry.mentoring.v1 carries ids, never names."""
import asyncio
import json
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn, snils
from tests.topics import read_all

pytestmark = pytest.mark.e2e
OKTMO = "29711000"

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
CREATE = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"
HIRE = "mutation($i: HireInput!) { hire(input: $i) { id } }"
START = """mutation($i: StartMentoringInput!) { startMentoring(input: $i) {
  id form formTitle status startDate mentor { id fullName } mentees { id fullName } } }"""
END = """mutation($id: ID!, $d: Date!) {
  endMentoring(id: $id, endDate: $d, outcome: {code: ACHIEVED, text: "Готова"}) {
    status endDate outcome { code title text } } }"""
ON_DAY = """query($id: ID!, $d: Date!, $t: Date!) { person(id: $id, asOf: $d) { mentors { id }
  today: mentors(asOf: $t) { id } } }"""
PERSON = """query($id: ID!) { person(id: $id) { fullName mentors { id fullName } mentees { id fullName }
  mentorLoad mentoring(first: 5) { totalCount nodes { id status form } } } }"""
YOUNG = """query($m: String!, $on: Date) { municipality(oktmo: $m) {
  youngSpecialistsWithoutMentor(first: 10, asOf: $on) { totalCount nodes { id fullName youngSpecialist } } } }"""


def day(back: int) -> str:
    return (date.today() - timedelta(days=back)).isoformat()


async def _teacher(methodist, org, last, first, birth, hired, n) -> str:
    created = await methodist(CREATE, {"i": {"lastName": last, "firstName": first, "middleName": "Ивановна",
                                              "birthDate": birth, "snils": snils(n)}})
    assert "errors" not in created, created
    pid = created["data"]["createPerson"]["id"]
    hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": org, "position": "teacher",
                                         "subjects": ["russian"], "startDate": hired}})
    assert "errors" not in hired, hired
    return pid


async def test_the_mentoring_story_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Козельский район"}, "o": {
        "name": "МКОУ СОШ № 7", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(95_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    mentor = await _teacher(methodist, org, "Гордеева", "Нина", "1970-04-04", "1995-09-01", 701)
    mentee = await _teacher(methodist, org, "Юдина", "Ольга", "2001-06-06", day(200), 702)

    young = (await methodist(YOUNG, {"m": OKTMO}))["data"]["municipality"]["youngSpecialistsWithoutMentor"]
    assert [n["id"] for n in young["nodes"]] == [mentee] and young["nodes"][0]["youngSpecialist"] is True

    started = await methodist(START, {"i": {"mentorId": mentor, "menteeIds": [mentee], "form": "experienced_young",
                                            "startDate": day(20), "programme": "Первый год в школе"}})
    assert "errors" not in started, started
    m = started["data"]["startMentoring"]
    assert (m["status"], m["formTitle"], m["mentor"]["fullName"]) == (
        "ACTIVE", "опытный педагог — молодой специалист", "Гордеева Нина Ивановна")

    mentee_view = (await methodist(PERSON, {"id": mentee}))["data"]["person"]
    assert mentee_view["mentors"] == [{"id": mentor, "fullName": "Гордеева Нина Ивановна"}]
    assert mentee_view["mentees"] == [] and mentee_view["mentoring"]["totalCount"] == 1
    mentor_view = (await methodist(PERSON, {"id": mentor}))["data"]["person"]
    assert mentor_view["mentees"] == [{"id": mentee, "fullName": "Юдина Ольга Ивановна"}]
    assert mentor_view["mentorLoad"] == 1

    a_day_before = (await methodist(ON_DAY, {"id": mentee, "d": day(21), "t": day(0)}))["data"]["person"]
    assert a_day_before == {"mentors": [], "today": [{"id": mentor}]}  # the person's asOf, unless the field's
    now = (await methodist(YOUNG, {"m": OKTMO}))["data"]["municipality"]["youngSpecialistsWithoutMentor"]
    assert now["totalCount"] == 0
    before = (await methodist(YOUNG, {"m": OKTMO, "on": day(21)}))["data"]["municipality"]
    assert [n["id"] for n in before["youngSpecialistsWithoutMentor"]["nodes"]] == [mentee]

    ended = await methodist(END, {"id": m["id"], "d": day(1)})
    assert "errors" not in ended, ended
    assert ended["data"]["endMentoring"]["status"] == "COMPLETED"
    assert ended["data"]["endMentoring"]["outcome"]["code"] == "ACHIEVED"
    back = (await methodist(YOUNG, {"m": OKTMO}))["data"]["municipality"]["youngSpecialistsWithoutMentor"]
    assert [n["id"] for n in back["nodes"]] == [mentee]
    assert (await methodist(PERSON, {"id": mentee}))["data"]["person"]["mentors"] == []

    other = gql("municipal_methodist", municipality="29701000")
    hidden = await other("query($id: ID!) { mentoring(id: $id) { id } }", {"id": m["id"]})
    assert hidden["data"]["mentoring"] is None

    events: list = []
    for _ in range(60):  # the relay publishes within moments
        records = await read_all(infra.bootstrap_servers, f"{namespace}.registry.mentoring.v1")
        events = [json.loads(r.value) for r in records if m["id"].encode() in r.value]
        if len(events) >= 2:
            break
        await asyncio.sleep(0.5)
    assert [e["type"].rsplit(".", 2)[-2] for e in events] == ["started", "ended"]
    assert all("Гордеева" not in json.dumps(e, ensure_ascii=False) and "Первый год" not in
               json.dumps(e, ensure_ascii=False) for e in events)
