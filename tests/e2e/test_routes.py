"""Deficits and an individual route through GraphQL against the running services: recordDiagnostic →
person.deficits → routeSuggestions (an internship site whose topic matches) → openRoute with suggested items →
completeRouteItem → a re-diagnosis → closeRoute with the outcome and the change per area; a methodist of
another municipality sees nothing of it; no names or scores on registry.staff.v1."""
from datetime import date, timedelta

import pytest

from tests.factories import legal_inn, snils
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO, OTHER = "29712000", "29713000"
AREAS = ["subject_knowledge", "methodical", "psychological_pedagogical", "digital", "functional_literacy",
         "upbringing"]

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
GRANT = """mutation($id: ID!, $i: GrantSiteStatusInput!) { grantSiteStatus(id: $id, input: $i) { id } }"""
CREATE = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"""
HIRE = """mutation($i: HireInput!) { hire(input: $i) { id } }"""
RECORD = """mutation($i: RecordDiagnosticInput!) { recordDiagnostic(input: $i) {
  id date deficits { area level } } }"""
PERSON = """query($id: ID!) { person(id: $id) {
  deficits { area areaTitle level diagnosedOn }
  route { id status items { id kind title dueDate status area } }
  diagnostics(first: 5) { totalCount nodes { date scores { area score } } } } }"""
ON_DAY = """query($id: ID!, $d: Date!) { person(id: $id, asOf: $d) { deficits { area } route { status }
  routes { totalCount nodes { status } } } }"""
SUGGEST = """query($id: ID!) { routeSuggestions(personId: $id) { kind area title ref reason } }"""
OPEN = """mutation($i: OpenRouteInput!) { openRoute(input: $i) { id status items { id kind area status } } }"""
COMPLETE = """mutation($r: ID!, $i: ID!) { completeRouteItem(routeId: $r, itemId: $i) {
  items { id status } } }"""
CLOSE = """mutation($r: ID!) { closeRoute(routeId: $r, note: "Итоги обсуждены") {
  status outcome deltas { area delta } } }"""


def day(back: int) -> str:
    return (date.today() - timedelta(days=back)).isoformat()


def scores(**low) -> list[dict]:
    return [{"area": a, "score": low.get(a, 85)} for a in AREAS]


async def test_a_route_from_deficits_to_closing_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Козельский район"}, "o": {
        "name": "МКОУ СОШ № 2", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(95_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    site = await gql()(SETUP, {"m": {"oktmo": OTHER, "name": "Сухиничский район"}, "o": {
        "name": "МКОУ Лицей № 1", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(95_002)}})
    site_org = site["data"]["registerOrganisation"]["id"]
    granted = await gql()(GRANT, {"id": site_org, "i": {"kind": "INTERNSHIP", "from": day(100),
                                                        "orderNumber": "7-п", "orderDate": day(100),
                                                        "topic": "Цифровая образовательная среда"}})
    assert "errors" not in granted, granted
    methodist = gql("municipal_methodist", municipality=OKTMO)
    pid = (await methodist(CREATE, {"i": {"lastName": "Зотова", "firstName": "Нина", "birthDate": "1985-05-05",
                                          "snils": snils(601)}}))["data"]["createPerson"]["id"]
    hired = await methodist(HIRE, {"i": {"personId": pid, "organisationId": org, "position": "teacher",
                                         "startDate": day(400)}})
    assert "errors" not in hired, hired

    recorded = await methodist(RECORD, {"i": {"personId": pid, "date": day(30), "scores": scores(digital=25)}})
    assert "errors" not in recorded, recorded
    assert recorded["data"]["recordDiagnostic"]["deficits"] == [{"area": "digital", "level": "critical"}]
    person = (await methodist(PERSON, {"id": pid}))["data"]["person"]
    assert person["deficits"] == [{"area": "digital", "areaTitle": "Цифровые компетенции", "level": "critical",
                                   "diagnosedOn": day(30)}]
    assert person["route"] is None and person["diagnostics"]["totalCount"] == 1

    suggested = (await methodist(SUGGEST, {"id": pid}))["data"]["routeSuggestions"]
    kinds = {(s["kind"], s["ref"]) for s in suggested}
    assert ("INTERNSHIP", site_org) in kinds and ("SELF_STUDY", None) in kinds
    chosen = [s for s in suggested if s["kind"] in ("INTERNSHIP", "SELF_STUDY")]
    opened = await methodist(OPEN, {"i": {"personId": pid, "items": [
        {"kind": s["kind"], "area": s["area"], "title": s["title"], "ref": s["ref"], "dueDate": day(-60)}
        for s in chosen]}})
    assert "errors" not in opened, opened
    route = opened["data"]["openRoute"]
    assert route["status"] == "open" and [i["kind"] for i in route["items"]] == ["INTERNSHIP", "SELF_STUDY"]

    done = await methodist(COMPLETE, {"r": route["id"], "i": route["items"][0]["id"]})
    assert "errors" not in done, done
    assert [i["status"] for i in done["data"]["completeRouteItem"]["items"]] == ["DONE", "PLANNED"]
    far = gql("municipal_methodist", municipality=OTHER)
    assert (await far(PERSON, {"id": pid}))["data"]["person"] is None
    assert (await far(SUGGEST, {"id": pid}))["data"]["routeSuggestions"] is None
    refused = await far(CLOSE, {"r": route["id"]})
    assert refused["data"] is None and "не найден" in refused["errors"][0]["message"]

    again = await methodist(RECORD, {"i": {"personId": pid, "date": day(0), "scores": scores(digital=72)}})
    assert "errors" not in again, again
    closed = await methodist(CLOSE, {"r": route["id"]})
    assert "errors" not in closed, closed
    assert closed["data"]["closeRoute"] == {"status": "closed", "outcome": "DEFICITS_CLOSED",
                                            "deltas": [{"area": "digital", "delta": 47.0}]}
    assert (await methodist(PERSON, {"id": pid}))["data"]["person"]["route"] is None
    on_closing = (await methodist(ON_DAY, {"id": pid, "d": day(0)}))["data"]["person"]  # the person's asOf
    assert on_closing == {"deficits": [], "route": {"status": "closed"},  # reaches deficits and the route
                          "routes": {"totalCount": 1, "nodes": [{"status": "closed"}]}}
    earlier = (await methodist(ON_DAY, {"id": pid, "d": day(1)}))["data"]["person"]
    assert (earlier["deficits"], earlier["route"]) == ([{"area": "digital"}], None)  # opened today
    before = (await methodist(ON_DAY, {"id": pid, "d": day(31)}))["data"]["person"]
    assert (before["deficits"], before["route"]) == ([], None)

    async def published():
        records = await read_all(infra.bootstrap_servers, f"{namespace}.registry.staff.v1")
        mine = [r.value.decode() for r in records if pid.encode() in r.value
                and (b"deficits.diagnosed" in r.value or b".route." in r.value)]
        return mine if len(mine) >= 5 else None  # two diagnostics, opened, item completed, closed

    text = "".join(await eventually(published))
    assert "Зотова" not in text and '"score' not in text and "1985-05-05" not in text and snils(601) not in text
