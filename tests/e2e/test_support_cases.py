"""A low-result school's support case and a recommendation through GraphQL against the running services: the
registry's low_results flag opens the case in monitoring (through the broker), the methodist sets a curator,
plans, records a visit and reads the case with the school's name; a recommendation raised by the indicator
engine is tracked to closure; the analyst sees shares and no records."""

from datetime import date

import pytest

from metodset_monitoring.domain.periods import PeriodKind, containing
from metodset_monitoring.domain.recommendations import current
from tests.e2e.test_indicators import _teacher
from tests.factories import legal_inn
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
PERIOD = containing(date.today(), PeriodKind.ACADEMIC_YEAR).code
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
  nodes { id rule level period status organisation { name } text dueOn } } }"""
ASSIGN = "mutation($id: ID!, $a: ID!) { assignRecommendation(id: $id, assigneeId: $a) { status } }"
CLOSE = """mutation($id: ID!, $i: CloseRecommendationInput!) { closeRecommendation(id: $id, input: $i) {
  status closedOnTime } }"""
SHARES = "query($m: [String!]) { recommendationShares(municipalityOktmo: $m) { scope closed closedOnTimeShare } }"


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
    curator = await _teacher(gql(), school, 931, "Кураторова")  # reaches monitoring over registry.staff.v1

    async def curated():
        r = await methodist(CURATOR, {"id": case["id"], "c": curator})
        return "errors" not in r and r["data"]["setSupportCaseCurator"]

    assert await eventually(curated) == {"status": "ACTIVE"}
    r = await methodist(PLAN, {"id": case["id"], "i": {"title": "Диагностика", "dueOn": "2026-10-15"}})
    assert r["data"]["addSupportPlanItem"]["plan"][0]["title"] == "Диагностика", r
    r = await methodist(VISIT, {"id": case["id"], "i": {"visitedOn": "2026-09-20", "purpose": "Посещение уроков"}})
    assert r["data"]["recordSupportVisit"]["visits"] == [{"kind": "VISIT", "on": "2026-09-20"}], r


    async def raised():  # the curator has no course in three years: the school's share is 0, below 0.8
        nodes = (await methodist(RECS, {"m": OKTMO}))["data"]["recommendations"]["nodes"]
        return [n for n in nodes if n["level"] == "organisation" and n["period"] == PERIOD] or None

    [rec] = await eventually(raised, limit=120)
    assert rec["rule"] == "upgraded_3y_low_organisation"

    read = (await methodist(CASE, {"id": case["id"]}))["data"]["supportCase"]
    assert read["organisation"] == {"id": school, "name": "МОУ СОШ № 7"}
    assert (read["status"], read["curatorId"]) == ("ACTIVE", curator)
    # the school's own values (its one teacher, the curator) as they are computed: codes of the catalogue only
    assert {r["code"] for r in read["results"]} <= {"attestation_coverage_share", "competition_participants_per_100",
                                                     "competition_winners_per_100", "event_hours_per_teacher",
                                                     "staff_upgraded_3y_share", "young_specialists_mentored_share",
                                                     "deficit_staff_with_route_share", "plan_fulfilled_share",
                                                     "methodical_work_fit_score", "olympiad_participants_per_100",
                                                     "olympiad_success_per_100", "requests_closed_share",
                                                     "request_response_hours", "consultations_held"}
    assert [p["title"] for p in read["plan"]] == ["Диагностика"]
    assert read["visits"] == [{"kind": "VISIT", "on": "2026-09-20", "purpose": "Посещение уроков"}]
    # this year's value is below the threshold, and last year's too while that year counts as recent
    recent = 1 + current(containing(date.today(), PeriodKind.ACADEMIC_YEAR).previous().code, date.today())
    assert read["recommendations"] == [{"rule": "upgraded_3y_low_organisation", "status": "RAISED"}] * recent

    assert rec["organisation"] == {"name": "МОУ СОШ № 7"} and "— 0 (порог 0,8)" in rec["text"], rec
    assert (await methodist(ASSIGN, {"id": rec["id"], "a": curator}))["data"]["assignRecommendation"] == {
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
