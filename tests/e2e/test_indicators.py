"""Indicators through GraphQL against the running services: a course recorded in the registry reaches
monitoring's facts over registry.staff.v1 and changes staff_upgraded_3y_share; the value drills down to the
teacher (a name for the coordinator, no person for an analyst); the rating of municipalities."""
from datetime import date, timedelta

import pytest

from metodset_kit import db
from metodset_kit.settings import with_database
from metodset_tools.replay import replay_monitoring
from tests.e2e.test_staff import SETUP
from tests.factories import legal_inn, snils
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO, OTHER = "29714000", "29716000"
CREATE = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"""
HIRE = """mutation($i: HireInput!) { hire(input: $i) { id } }"""
RECORD = """mutation($i: RecordCourseInput!) { recordCourse(input: $i) { id } }"""
VALUES = """query($p: String) { indicators(level: MUNICIPALITY, code: "staff_upgraded_3y_share", period: $p) {
  code title value target direction municipality { oktmo name } dynamics { period value } } }"""
ONE = """query($m: String) { indicator(code: "staff_upgraded_3y_share", oktmo: $m) {
  value numerator denominator drillDown(first: 10) { totalCount nodes { personId person { fullName }
  organisation { name } } } } }"""
RATING = """{ rating(code: "staff_upgraded_3y_share") { rank value municipality { oktmo } } }"""


async def _teacher(gql, org, n, last):
    created = await gql(CREATE, {"i": {"lastName": last, "firstName": "Анна", "birthDate": "1980-02-02",
                                       "snils": snils(n)}})
    assert "errors" not in created, created
    pid = created["data"]["createPerson"]["id"]
    hired = await gql(HIRE, {"i": {"personId": pid, "organisationId": org, "position": "teacher",
                                   "startDate": "2012-09-01"}})
    assert "errors" not in hired, hired
    return pid


async def test_a_recorded_course_changes_the_indicator_and_drills_down_to_the_teacher(gql, stack):
    coordinator = gql()
    orgs = []
    for oktmo, name, n in ((OKTMO, "Людиновский район", 96_001), (OTHER, "Жиздринский район", 96_002)):
        setup = await coordinator(SETUP, {"m": {"oktmo": oktmo, "name": name}, "o": {
            "name": f"МКОУ СОШ № {n % 100}", "kind": "SCHOOL", "municipalityOktmo": oktmo, "inn": legal_inn(n)}})
        assert "errors" not in setup, setup
        orgs.append(setup["data"]["registerOrganisation"]["id"])
    upgraded = await _teacher(coordinator, orgs[0], 701, "Соколова")
    await _teacher(coordinator, orgs[0], 702, "Лебедева")
    await _teacher(coordinator, orgs[1], 703, "Воронина")
    end = date.today() - timedelta(days=1)
    recorded = await coordinator(RECORD, {"i": {"personId": upgraded, "programme": "ПК", "hours": 36, "kind": "UPGRADE",
                                                "startDate": (end - timedelta(days=10)).isoformat(),
                                                "endDate": end.isoformat()}})
    assert "errors" not in recorded, recorded

    async def computed():
        answer = await coordinator(VALUES)
        assert "errors" not in answer, answer
        by = {v["municipality"]["oktmo"]: v for v in answer["data"]["indicators"] if v["municipality"]}
        return by if by.get(OKTMO, {}).get("value") == 0.5 and OTHER in by else None

    by = await eventually(computed, limit=120)
    assert by[OKTMO]["title"].startswith("Доля педагогических работников") and by[OKTMO]["direction"] == "higher"
    assert by[OKTMO]["municipality"]["name"] == "Людиновский район" and by[OTHER]["value"] == 0.0
    assert by[OKTMO]["dynamics"][-1]["value"] == 0.5

    one = (await coordinator(ONE, {"m": OKTMO}))["data"]["indicator"]
    assert (one["value"], one["numerator"], one["denominator"]) == (0.5, 1, 2)
    assert [(n["person"]["fullName"].split()[0], n["organisation"]["name"]) for n in one["drillDown"]["nodes"]] == \
        [("Соколова", "МКОУ СОШ № 1")]
    analyst = (await gql("analyst")(ONE, {"m": OKTMO}))["data"]["indicator"]
    assert analyst["value"] == 0.5  # the school is directory data; the teacher is not for an analyst
    assert analyst["drillDown"]["nodes"] == [{"personId": None, "person": None,
                                              "organisation": {"name": "МКОУ СОШ № 1"}}]

    rating = (await coordinator(RATING))["data"]["rating"]
    assert [(r["rank"], r["municipality"]["oktmo"]) for r in rating] == [(1, OKTMO), (2, OTHER)]


SET = """mutation($c: String!, $d: JSON!) { setIndicatorDefinition(code: $c, definition: $d) { code title unit
  formula } }"""
COURSES = """{ indicators(level: MUNICIPALITY, code: "courses_completed") { value municipality { oktmo } } }"""


async def test_an_indicator_added_through_graphql_is_computed_from_existing_facts(gql, stack):
    definition = {"title": "Пройдено курсов", "unit": "курсов",
                  "formula": {"numerator": {"kind": "course", "when": "started_in", "attribute": "employment"}}}
    refused = await gql("analyst")(SET, {"c": "courses_completed", "d": definition})
    assert refused["errors"][0]["extensions"]["status"] == 403, refused
    bad = await gql()(SET, {"c": "courses_completed", "d": {**definition, "formula": {"numerator": {}}}})
    assert bad["errors"][0]["extensions"]["field"] == "formula.numerator.kind", bad
    saved = await gql()(SET, {"c": "courses_completed", "d": definition})
    assert "errors" not in saved, saved
    assert saved["data"]["setIndicatorDefinition"]["formula"]["numerator"]["kind"] == "course"
    got = (await gql()(COURSES))["data"]["indicators"]
    assert {v["municipality"]["oktmo"]: v["value"] for v in got}[OKTMO] == 1.0
    catalogue = (await gql()("{ indicatorCatalogue { code } }"))["data"]["indicatorCatalogue"]
    assert {"staff_upgraded_3y_share", "courses_completed"} <= {c["code"] for c in catalogue}


async def test_the_replay_command_rebuilds_the_same_values_on_the_running_stack(gql, stack, infra, namespace):
    """`metodset replay monitoring` as an operator runs it: the stack's databases and topics, from the topics
    and from the owners' outboxes, each giving the values the live service computed."""
    pool = await db.pool_at(with_database(infra.database_url, f"{namespace}_monitoring"))
    query = ("select code, period, level, subject, numerator, denominator, value from indicator_values "
             "order by 1, 2, 3, 4")
    try:
        before = [tuple(r) for r in await pool.fetch(query)]
        assert any(r[0] == "staff_upgraded_3y_share" and r[6] == 0.5 for r in before)
        for source in ("topics", "outbox"):
            said: list[str] = []
            report = await replay_monitoring(infra.database_url, infra.bootstrap_servers, prefix=namespace,
                                             namespace=namespace, source=source, say=said.append)
            assert report["source"] == source and report["applied"] > 0 and report["rejected"] == 0, report
            assert said[-1].startswith("replay monitoring: done"), said
            assert [tuple(r) for r in await pool.fetch(query)] == before, source
    finally:
        await pool.close()
