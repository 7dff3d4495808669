"""Annual work plans and support requests through GraphQL against the running services: an organisation
registered in the registry reaches the events service's projection; createWorkPlan → addWorkPlanItem →
markWorkPlanItem → workPlan { items fulfilment } → startNextYearPlan; declareRequest → assignRequest →
recordConsultation → closeRequest → supportRequests, with the methodist's name resolved through the registry."""
from datetime import date

import pytest

from tests.factories import legal_inn, snils
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29712000"
YEAR = date.today().year - 1 if date.today().month < 9 else date.today().year

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
CREATE = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"
HIRE = "mutation($i: HireInput!) { hire(input: $i) { id } }"
PLAN = "mutation($o: ID!, $y: Int!) { createWorkPlan(organisationId: $o, year: $y) { id academicYear } }"
ADD = """mutation($p: ID!, $i: WorkPlanItemInput!) { addWorkPlanItem(planId: $p, input: $i) {
  id status directionTitle responsible { id fullName } } }"""
MARK = """mutation($p: ID!, $i: ID!, $s: PlanItemStatus!, $m: String) {
  markWorkPlanItem(planId: $p, itemId: $i, status: $s, movedTo: $m) { status movedTo } }"""
READ = """query($o: ID!, $y: Int!) { workPlan(organisationId: $o, year: $y) { id year
  items { title status responsible { fullName } }
  fulfilment { overall { total counted done cancelled share } directions { direction counted done share } } } }"""
NEXT = "mutation($p: ID!) { startNextYearPlan(planId: $p) { year items { months status eventIds } } }"
DECLARE = """mutation($i: DeclareRequestInput!) { declareRequest(input: $i) { id status subjectTitle } }"""
ASSIGN = """mutation($id: ID!, $m: ID!) { assignRequest(id: $id, methodistId: $m) {
  status methodist { id fullName } responseHours { assigned } } }"""
CONSULT = """mutation($id: ID!, $i: ConsultationInput!) { recordConsultation(id: $id, input: $i) {
  consultations { form formTitle minutes participants } } }"""
CLOSE = """mutation($id: ID!, $i: CloseRequestInput!) { closeRequest(id: $id, input: $i) {
  status outcome rating responseHours { assigned consulted closed } } }"""
LIST = """query($f: SupportRequestFilter) { supportRequests(filter: $f, first: 10) { totalCount
  nodes { id status rating methodist { fullName } } pageInfo { hasNextPage } } }"""


@pytest.fixture(scope="module")
async def place(gql, stack):
    """A municipality with a school and a teacher of it (the methodist assigned to requests)."""
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Людиновский район"}, "o": {
        "name": "МКОУ СОШ № 3", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(96_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    created = await methodist(CREATE, {"i": {"lastName": "Карпова", "firstName": "Анна", "middleName": "Ивановна",
                                              "birthDate": "1980-02-02", "snils": snils(801)}})
    assert "errors" not in created, created
    person = created["data"]["createPerson"]["id"]
    hired = await methodist(HIRE, {"i": {"personId": person, "organisationId": org, "position": "teacher",
                                         "subjects": ["mathematics"], "startDate": "2010-09-01"}})
    assert "errors" not in hired, hired
    return org, person, methodist


async def test_plan_items_fulfilment_and_next_year(gql, place):
    org, person, methodist = place

    async def created():  # the organisation reaches the events service through registry.organisations.v1
        r = await methodist(PLAN, {"o": org, "y": YEAR})
        return r if "errors" not in r else None

    plan = (await eventually(created))["data"]["createWorkPlan"]
    assert plan["academicYear"] == f"{YEAR}/{YEAR + 1}"
    ids = []
    for direction, title in (("analytical", "Анализ результатов ГИА"), ("consultative", "Консультации"),
                             ("informational", "Бюллетень")):
        item = {"direction": direction, "months": [f"{YEAR + 1}-08"], "title": title, "responsibleId": person}

        async def added(item=item):  # the person reaches the events service through registry.staff.v1
            r = await methodist(ADD, {"p": plan["id"], "i": item})
            return r if "errors" not in r else None

        r = await eventually(added)
        ids.append(r["data"]["addWorkPlanItem"]["id"])
    assert r["data"]["addWorkPlanItem"]["responsible"]["fullName"].startswith("Карпова")
    assert (await methodist(MARK, {"p": plan["id"], "i": ids[0], "s": "DONE"}))["data"]["markWorkPlanItem"][
        "status"] == "DONE"
    await methodist(MARK, {"p": plan["id"], "i": ids[2], "s": "CANCELLED"})
    moved = await methodist(MARK, {"p": plan["id"], "i": ids[1], "s": "MOVED", "m": f"{YEAR + 1}-09"})
    assert moved["data"]["markWorkPlanItem"] == {"status": "MOVED", "movedTo": f"{YEAR + 1}-09"}

    read = (await methodist(READ, {"o": org, "y": YEAR}))["data"]["workPlan"]
    assert [i["status"] for i in read["items"]] == ["DONE", "MOVED", "CANCELLED"]
    assert read["fulfilment"]["overall"] == {"total": 3, "counted": 2, "done": 1, "cancelled": 1, "share": 0.5}
    analytical = read["fulfilment"]["directions"][0]
    assert analytical == {"direction": "analytical", "counted": 1, "done": 1, "share": 1.0}
    other = gql("municipal_methodist", municipality="29701000")
    assert (await other(READ, {"o": org, "y": YEAR}))["data"]["workPlan"] is None

    next_year = (await methodist(NEXT, {"p": plan["id"]}))["data"]["startNextYearPlan"]
    assert next_year["year"] == YEAR + 1
    assert [i["months"] for i in next_year["items"]] == [[f"{YEAR + 2}-08"]] * 3
    assert {i["status"] for i in next_year["items"]} == {"PLANNED"}


async def test_request_assign_consult_close(gql, place):
    org_id, person, methodist = place
    admin = gql("organisation_admin", organisation=org_id)

    async def declared():
        r = await admin(DECLARE, {"i": {"organisationId": org_id, "topic": "Адаптация первоклассников",
                                        "asked": "Консультация для родителей", "subject": "mathematics"}})
        return r if "errors" not in r else None

    request = (await eventually(declared))["data"]["declareRequest"]
    assert (request["status"], request["subjectTitle"]) == ("DECLARED", "математика")
    assigned = (await methodist(ASSIGN, {"id": request["id"], "m": person}))["data"]["assignRequest"]
    assert assigned["status"] == "ASSIGNED" and assigned["methodist"]["fullName"].startswith("Карпова")
    assert assigned["responseHours"]["assigned"] is not None
    consulted = await methodist(CONSULT, {"id": request["id"], "i": {
        "form": "PARENTS", "heldOn": date.today().isoformat(), "minutes": 60, "participants": 25}})
    assert consulted["data"]["recordConsultation"]["consultations"] == [
        {"form": "PARENTS", "formTitle": "для родителей", "minutes": 60, "participants": 25}]
    closed = await admin(CLOSE, {"id": request["id"], "i": {"outcome": "RESOLVED", "rating": 4}})
    c = closed["data"]["closeRequest"]
    assert (c["status"], c["outcome"], c["rating"]) == ("CLOSED", "RESOLVED", 4)
    assert all(v is not None for v in c["responseHours"].values())

    listed = (await methodist(LIST, {"f": {"municipalityOktmo": OKTMO, "status": "CLOSED"}}))["data"]
    page = listed["supportRequests"]
    assert page["totalCount"] == 1 and page["nodes"][0]["id"] == request["id"]
    assert page["nodes"][0]["methodist"]["fullName"].startswith("Карпова")
    assert page["pageInfo"]["hasNextPage"] is False
    outsider = gql("municipal_methodist", municipality="29701000")
    assert (await outsider(LIST, {"f": {"organisationId": org_id}}))["data"]["supportRequests"]["totalCount"] == 0
