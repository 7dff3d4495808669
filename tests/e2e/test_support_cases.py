"""A low-result school's support case and a recommendation through GraphQL against the running services: the
registry's low_results flag opens the case in monitoring (through the broker), the methodist sets a curator,
plans, records a visit and reads the case with the school's name; a recommendation raised by the indicator
engine's hook is tracked to closure; the analyst sees shares and no records."""
import uuid

import pytest

from metodset_kit import db
from metodset_monitoring.domain.values import IndicatorValueChange, Level
from metodset_monitoring.recommendations import on_values_changed
from tests.conftest import settings_for
from tests.factories import legal_inn
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29707000"

MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }"
SET_FLAG = "mutation($id: ID!, $i: SetFlagInput!) { setOrganisationFlag(id: $id, input: $i) { id } }"
CASES = """query($o: ID) { supportCases(filter: {organisationId: $o}) { totalCount nodes { id status } } }"""
CASE = """query($id: ID!) { supportCase(id: $id) {
  status statusTitle organisation { id name } curatorId
  plan { title dueOn status overdue } visits { kind on purpose } recommendations { rule status } results { code } } }"""
CURATOR = "mutation($id: ID!, $c: ID!) { setSupportCaseCurator(caseId: $id, curatorId: $c) { status } }"
PLAN = """mutation($id: ID!, $i: SupportPlanItemInput!) { addSupportPlanItem(caseId: $id, input: $i) {
  plan { id title } } }"""
VISIT = """mutation($id: ID!, $i: SupportVisitInput!) { recordSupportVisit(caseId: $id, input: $i) {
  visits { kind on } } }"""
RECS = """query($m: String) { recommendations(filter: {municipalityOktmo: $m}) { totalCount
  nodes { id rule status organisation { name } text dueOn } } }"""
ASSIGN = "mutation($id: ID!, $a: ID!) { assignRecommendation(id: $id, assigneeId: $a) { status } }"
CLOSE = """mutation($id: ID!, $i: CloseRecommendationInput!) { closeRecommendation(id: $id, input: $i) {
  status closedOnTime } }"""
SHARES = "query($m: [String!]) { recommendationShares(municipalityOktmo: $m) { scope closed closedOnTimeShare } }"
CURATOR_ID = "6f1c1bbf-5e83-4d0d-9b7e-3a5b0c0b1a11"


async def test_a_flagged_school_gets_a_case_and_a_recommendation_is_tracked_to_closure(gql, infra, namespace):
    assert "errors" not in await gql()(MUNICIPALITY, {"i": {"oktmo": OKTMO, "name": "Жуковский район"}})
    r = await gql()(REGISTER, {"i": {"name": "МОУ СОШ № 7", "kind": "SCHOOL", "municipalityOktmo": OKTMO,
                                     "inn": legal_inn(93_001)}})
    school = r["data"]["registerOrganisation"]["id"]
    r = await gql()(SET_FLAG, {"id": school, "i": {"kind": "LOW_RESULTS", "from": "2026-09-01",
                                                   "source": "Приказ № 1 от 01.09.2026"}})
    assert "errors" not in r, r
    methodist = gql("municipal_methodist", municipality=OKTMO)

    async def opened():
        found = (await methodist(CASES, {"o": school}))["data"]["supportCases"]
        return found["totalCount"] == 1 and found["nodes"][0]

    case = await eventually(opened)
    assert case["status"] == "OPENED"
    assert (await methodist(CURATOR, {"id": case["id"], "c": CURATOR_ID}))["data"]["setSupportCaseCurator"] == {
        "status": "ACTIVE"}
    r = await methodist(PLAN, {"id": case["id"], "i": {"title": "Диагностика", "dueOn": "2026-10-15"}})
    assert r["data"]["addSupportPlanItem"]["plan"][0]["title"] == "Диагностика", r
    r = await methodist(VISIT, {"id": case["id"], "i": {"visitedOn": "2026-09-20", "purpose": "Посещение уроков"}})
    assert r["data"]["recordSupportVisit"]["visits"] == [{"kind": "VISIT", "on": "2026-09-20"}], r


    pool = await db.create_pool(settings_for(infra, namespace, "monitoring"))  # the service's database
    try:  # the indicator engine is not part of this service yet: its hook is called as the engine will call it
        await eventually(lambda: pool.fetchval("select count(*) from organisation_facts where organisation_id = $1",
                                               uuid.UUID(school)))
        async with pool.acquire() as conn, conn.transaction():
            await on_values_changed(conn, [IndicatorValueChange("staff_upgraded_3y_share", "2026/2027",
                                                                Level.ORGANISATION, school, 0.4, 0.9)])
    finally:
        await pool.close()

    read = (await methodist(CASE, {"id": case["id"]}))["data"]["supportCase"]
    assert read["organisation"] == {"id": school, "name": "МОУ СОШ № 7"}
    assert (read["status"], read["curatorId"], read["results"]) == ("ACTIVE", CURATOR_ID, [])
    assert [p["title"] for p in read["plan"]] == ["Диагностика"]
    assert read["visits"] == [{"kind": "VISIT", "on": "2026-09-20", "purpose": "Посещение уроков"}]
    assert read["recommendations"] == [{"rule": "upgraded_3y_low_organisation", "status": "RAISED"}]

    [rec] = (await methodist(RECS, {"m": OKTMO}))["data"]["recommendations"]["nodes"]
    assert rec["organisation"] == {"name": "МОУ СОШ № 7"} and "0,4" in rec["text"]
    assert (await methodist(ASSIGN, {"id": rec["id"], "a": CURATOR_ID}))["data"]["assignRecommendation"] == {
        "status": "ASSIGNED"}
    r = await methodist(CLOSE, {"id": rec["id"], "i": {"evidenceText": "Курсы запланированы"}})
    assert r["data"]["closeRecommendation"] == {"status": "CLOSED", "closedOnTime": True}, r

    analyst = gql("analyst")
    denied = await analyst(RECS, {"m": OKTMO})
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await analyst(CASE, {"id": case["id"]}))["data"]["supportCase"] is None
    shares = (await analyst(SHARES, {"m": [OKTMO]}))["data"]["recommendationShares"]
    assert shares == [{"scope": OKTMO, "closed": 1, "closedOnTimeShare": 1.0}]
    other = gql("municipal_methodist", municipality="29701000")
    assert (await other(CASE, {"id": case["id"]}))["data"]["supportCase"] is None
