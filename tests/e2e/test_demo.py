"""`metodset demo` against a running stack: the region lands once (organisations, staff through the xlsx import,
dismissals, bodies with members and compositions, sites and flags, courses and diagnostics through their
imports, categories, mentoring and a few routes, one closed by its course; on the events service a year of
methodical events with registrations, attendance, completion and certificates, work plans, support requests and
practices, and a municipal «Учитель года» stage with its jury, scores and results; on the monitoring service
the campaign «Контингент обучающихся» for last academic year and this one with the schools' forms approved; the
school olympiad's school and municipal stages and last year's school stage), so that monitoring shows indicators
with dynamics, a rating of municipalities and recommendations raised by rules; and a second run adds nothing."""
import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from metodset_tools import demo
from metodset_tools.demo import Tally
from metodset_tools.demo.olympiads import HISTORY
from metodset_tools.devstack import free_port
from metodset_tools.region import generate, staff_rows
from metodset_tools.region.campaigns import YEARS, period
from metodset_tools.region.olympiads import SUBJECTS
from tests.conftest import token
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

SEED, MUNICIPALITIES, PER, STAFF_SCALE = 11, 2, 15, 0.2
ORGS = MUNICIPALITIES * PER + 1  # and the regional institute
ORGANISATIONS = ("query($oktmo: String!) { municipality(oktmo: $oktmo) { name"
                 " organisations(first: 500) { nodes { name } } } }")
STAFF_AND_SITES = ("query($oktmo: String!) { municipality(oktmo: $oktmo) { staff(first: 5) { totalCount"
                   " nodes { id fullName } } sites { totalCount nodes { name sites { title } } } } }")
PERSON = ("query($id: ID!, $asOf: Date) { person(id: $id, asOf: $asOf) { fullName"
          " employments { organisation { name } startDate endDate } } }")
BODY = ("query($id: ID!, $asOf: Date) { body(id: $id, asOf: $asOf) { name memberCount"
        " members { role person { fullName } } composition { orderDate memberCount } } }")
GROWTH = ("query($id: ID!) { person(id: $id) { courseDue category { code } deficits { area }"
          " courses(first: 1) { totalCount } route { status items { kind title status } }"
          " routes { nodes { status items { status byFact } } } } }")
LISTS = ("query($oktmo: String!) { municipality(oktmo: $oktmo) { staff(filter: {courseOverdue: true}) { totalCount }"
         " all: staff { totalCount } attestationDue(withinMonths: 6) { totalCount }"
         " youngSpecialistsWithoutMentor { totalCount } } }")
MENTEE = "query($id: ID!) { person(id: $id) { youngSpecialist mentors { id } } }"
EVENTS = ("query($oktmo: String!, $id: ID!) { events(filter: {municipalityOktmo: $oktmo}) { totalCount }"
          " event(id: $id) { registrations(first: 100) { totalCount nodes { person { fullName } status } } } }")
PLAN = ("query($org: ID!, $year: Int!) { workPlan(organisationId: $org, year: $year) { items { status }"
        " fulfilment { overall { total done cancelled } } } }")
PRACTICES = "query($q: String!) { practices(search: $q) { totalCount nodes { title } } }"
COMPETITION = ("query($id: ID!) { competition(id: $id) { title stages { status entries(first: 50) { totalCount"
               " nodes { participants { person { fullName } } } } results { place status } } } }")
OLYMPIAD = ("query($id: ID!) { olympiadStage(id: $id) { grades { grade passingScore } results(first: 5) { totalCount"
            " nodes { status } } admitted(first: 5) { totalCount nodes { reason } } } }")
METHODICAL = ("events", "plans", "plan_items", "requests", "practices", "registrations", "attendance", "completions",
              "certificates", "consultations")


def _cli(infra, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "METODSET_DATA_DIR": str(infra.data_dir)}  # the test stack's token keys
    return subprocess.run([sys.executable, "-m", "metodset_tools.cli", "demo", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
async def first_run(stack, infra):
    region = generate(SEED, MUNICIPALITIES, PER)
    summary = await asyncio.to_thread(demo.load, region, stack.services["registry"].url,
                                      token(infra, "regional_coordinator"))
    return region, summary


async def test_first_run_creates_the_region(first_run):
    region, summary = first_run
    assert summary == demo.Summary(municipalities=Tally(created=MUNICIPALITIES), organisations=Tally(created=ORGS))


async def test_organisations_are_readable_through_the_gateway(first_run, gql):
    region, _ = first_run
    for m in region.municipalities:
        data = (await gql()(ORGANISATIONS, {"oktmo": m.oktmo}))["data"]["municipality"]
        assert data["name"] == m.name
        expected = sorted(o.name for o in region.organisations if o.municipality_oktmo == m.oktmo)
        assert sorted(o["name"] for o in data["organisations"]["nodes"]) == expected


@pytest.fixture(scope="module")
async def populated(first_run, stack, infra):
    """The same municipalities and organisations, now with their staff, bodies, sites and flags."""
    region = generate(SEED, MUNICIPALITIES, PER, STAFF_SCALE)
    said: list[str] = []
    summary = await asyncio.to_thread(demo.populate, region, stack.services["registry"].url,
                                      token(infra, "regional_coordinator"), say=said.append,
                                      events_url=stack.services["events"].url,
                                      monitoring_url=stack.services["monitoring"].url,
                                      methodist_token=lambda m: token(infra, "municipal_methodist", municipality=m))
    return region, summary, said


async def test_the_demo_loads_staff_dismissals_bodies_sites_and_flags(populated):
    region, summary, said = populated
    ended = [e for e in region.employments if e.end_date is not None]
    assert (summary.municipalities, summary.organisations) == (Tally(existing=MUNICIPALITIES), Tally(existing=ORGS))
    assert summary.staff == Tally(created=len(staff_rows(region)) + len(ended)) and ended
    assert summary.dismissals == Tally(created=len(ended))
    assert summary.bodies == Tally(created=len(region.bodies))
    assert summary.members == Tally(created=sum(len(b.members) for b in region.bodies))
    assert summary.compositions == Tally(created=sum(len(b.approvals) for b in region.bodies))
    assert (summary.sites, summary.flags) == (Tally(created=len(region.sites)), Tally(created=len(region.flags)))
    assert any("DONE" in line and "из" in line for line in said), said  # the import's progress was told
    assert summary.courses == Tally(created=len(region.courses) + 1)  # and the course closing a route
    assert summary.categories == Tally(created=len(region.categories))
    assert summary.diagnostics == Tally(created=len(region.diagnostics))
    assert summary.mentoring == Tally(created=len(region.mentoring)) and region.mentoring
    assert summary.routes == Tally(created=3)


async def test_the_demo_loads_the_methodical_year_into_the_events_service(populated, gql):
    region, summary, _ = populated
    year, counts = region.methodical, summary.methodical
    assert counts.events == Tally(created=len(year.events)) and counts.plans == Tally(created=len(year.plans))
    assert counts.plan_items == Tally(created=sum(len(p.items) for p in year.plans))
    assert counts.requests == Tally(created=len(year.requests))
    assert counts.practices == Tally(created=len(year.practices))
    assert counts.consultations.created == sum(len(r.consultations) for r in year.requests if r.methodist_key)
    for tally in (counts.registrations, counts.attendance, counts.completions, counts.certificates):
        assert tally.created > 0 and tally.existing == 0, counts
    ask = gql()
    data = (await ask(EVENTS, {"oktmo": region.municipalities[0].oktmo, "id": summary.examples["event"]}))["data"]
    assert data["events"]["totalCount"] == sum(e.municipality_oktmo == region.municipalities[0].oktmo
                                               for e in year.events)
    registered = data["event"]["registrations"]
    assert registered["totalCount"] > 0 and all(n["person"]["fullName"] for n in registered["nodes"])
    plan = (await ask(PLAN, {"org": summary.examples["plan_organisation"],
                             "year": int(summary.examples["plan_year"])}))["data"]["workPlan"]
    assert plan["fulfilment"]["overall"]["total"] == len(plan["items"]) > 0
    assert plan["fulfilment"]["overall"]["done"] > 0
    found = (await ask(PRACTICES, {"q": summary.examples["practice_word"]}))["data"]["practices"]
    assert found["totalCount"] > 0


async def test_the_demo_runs_a_municipal_teacher_of_the_year_stage(populated, gql):
    region, summary, _ = populated
    [competition] = region.competitions
    assert summary.competition_entries == Tally(created=len(competition.entries))
    assert summary.competition_scores == Tally(created=sum(len(e.sheets) for e in competition.entries))
    found = (await gql()(COMPETITION, {"id": summary.examples["competition"]}))["data"]["competition"]
    [stage] = found["stages"]
    assert found["title"] == competition.title and stage["status"] == "published"
    assert stage["entries"]["totalCount"] == len(competition.entries)
    assert all(n["participants"][0]["person"]["fullName"] for n in stage["entries"]["nodes"])
    assert sorted(r["place"] for r in stage["results"])[0] == 1
    assert {r["status"] for r in stage["results"]} >= {"WINNER", "PRIZE_WINNER", "PARTICIPANT"}


CAMPAIGN = ("query($id: ID!, $period: String!) { campaign(id: $id) { code completeness { municipality { oktmo } "
            "assigned submitted approved } submissions(first: 100) { nodes { status values { field value } } } "
            "approved: submissions(filter: {status: APPROVED}) { totalCount } } "
            "campaigns(filter: {period: $period}) { nodes { id } } }")


async def test_the_demo_runs_the_students_count_campaign_in_the_monitoring_service(populated, gql):
    region, summary, _ = populated
    assert summary.campaign.campaigns == Tally(created=len(YEARS)) and len(YEARS) >= 2  # last year's and this one
    assert summary.campaign.submissions.created == sum(r.stage != "draft" for r in region.contingent) > 0
    reports = [r for r in region.contingent if r.year == YEARS[-1]]  # the example is this year's campaign
    data = (await gql()(CAMPAIGN, {"id": summary.examples["campaign"], "period": period(YEARS[-1])}))["data"]
    c = data["campaign"]
    assert [n["id"] for n in data["campaigns"]["nodes"]] == [summary.examples["campaign"]]  # this year's only
    total = c["completeness"][-1]
    assert (total["municipality"], total["assigned"]) == (None, len(reports))
    assert total["approved"] == sum(r.stage == "approved" for r in reports) > len(reports) / 2
    values = sorted(n["values"][0]["value"] for n in c["submissions"]["nodes"] if n["status"] == "APPROVED")
    assert values == sorted(r.students_total for r in reports if r.stage == "approved")
    assert c["approved"]["totalCount"] == len(values)


async def test_the_demo_loads_a_year_of_the_school_olympiad(populated, gql):
    region, summary, said = populated
    counts = summary.olympiads
    # school and municipal stages, and last year's school stages
    assert counts.olympiad_stages == Tally(created=MUNICIPALITIES * (2 * len(SUBJECTS) + len(HISTORY[1])))
    assert counts.olympiad_results.created > 0 and counts.olympiad_results.refused == 0, said
    assert counts.olympiad_diplomas.created > 0
    stage = (await gql()(OLYMPIAD, {"id": summary.examples["olympiad_stage"]}))["data"]["olympiadStage"]
    assert stage["results"]["totalCount"] > stage["admitted"]["totalCount"] > 0
    assert {n["reason"] for n in stage["admitted"]["nodes"]} == {"PASSING_SCORE"}
    assert all(g["passingScore"] for g in stage["grades"] if g["grade"] >= 7)


MONITORING = """{ upgraded: indicators(level: MUNICIPALITY, code: "staff_upgraded_3y_share") { value
  municipality { oktmo } dynamics { period value } }
  olympiads: indicators(level: REGION, code: "olympiad_participants_per_100") { dynamics { period value } }
  rating(code: "staff_upgraded_3y_share") { rank value municipality { oktmo } }
  recommendations(first: 100) { totalCount nodes { rule indicator period value threshold status } } }"""
RULES = {"upgraded_3y_low_organisation", "upgraded_3y_low_municipality", "young_mentored_low_municipality",
         "plan_fulfilled_low_municipality"}


def _years_with_values(dynamics: list[dict]) -> dict[str, float]:
    return {d["period"]: d["value"] for d in dynamics if d["value"] is not None}


async def test_the_demo_s_history_gives_dynamics_a_rating_and_raised_recommendations(populated, gql):
    """Monitoring computes from what the demo loaded: indicators over two academic years and more (staff, courses
    and last year's campaign and olympiad stage), municipalities in a rating, recommendations raised by rules."""
    region, _, _ = populated
    ask = gql()

    async def computed():
        data = (await ask(MONITORING))["data"]
        olympiad = _years_with_values(data["olympiads"][0]["dynamics"]) if data["olympiads"] else {}
        done = len(data["rating"]) == MUNICIPALITIES and data["recommendations"]["totalCount"] and len(olympiad) >= 2
        return data if done else None

    data = await eventually(computed, limit=180)
    olympiad = _years_with_values(data["olympiads"][0]["dynamics"])
    assert {f"{y}/{y + 1}" for y in YEARS} <= set(olympiad) and len(set(olympiad.values())) >= 2, olympiad
    upgraded = [_years_with_values(v["dynamics"]) for v in data["upgraded"]]
    assert len(upgraded) == MUNICIPALITIES
    assert any(len(years) >= 2 and len(set(years.values())) >= 2 for years in upgraded), upgraded
    assert sorted(r["municipality"]["oktmo"] for r in data["rating"]) == sorted(m.oktmo for m in region.municipalities)
    assert [r["rank"] for r in data["rating"]] == sorted(r["rank"] for r in data["rating"])
    raised = data["recommendations"]["nodes"]
    assert raised and {r["rule"] for r in raised} <= RULES
    assert all(r["status"] == "RAISED" and r["value"] is not None and r["value"] < r["threshold"] for r in raised)


async def test_the_gateway_answers_growth_a_route_closed_by_its_course_and_the_municipality_lists(populated, gql):
    region, summary, _ = populated
    ask = gql()
    person = (await ask(GROWTH, {"id": summary.examples["growth_person"]}))["data"]["person"]
    assert person["deficits"] and person["route"]["status"] == "open" and person["route"]["items"]
    closed = (await ask(GROWTH, {"id": summary.examples["closed_route_person"]}))["data"]["person"]
    assert closed["route"] is None and closed["courses"]["totalCount"] >= 1
    assert closed["routes"]["nodes"] == [{"status": "closed", "items": [{"status": "DONE", "byFact": True}]}]
    mentee = (await ask(MENTEE, {"id": summary.examples["mentee"]}))["data"]["person"]
    assert mentee["youngSpecialist"] and mentee["mentors"]
    lists = (await ask(LISTS, {"oktmo": region.municipalities[0].oktmo}))["data"]["municipality"]
    assert 0 < lists["staff"]["totalCount"] < lists["all"]["totalCount"] / 2  # most within the three-year rule
    assert lists["attestationDue"]["totalCount"] > 0


async def test_the_gateway_answers_staff_a_person_s_past_job_a_body_with_members_and_sites(populated, gql):
    region, summary, _ = populated
    ask = gql()
    oktmo = region.municipalities[0].oktmo
    inns = {o.inn for o in region.organisations if o.municipality_oktmo == oktmo}
    working = {e.person_key for e in region.employments if e.end_date is None and e.organisation_inn in inns}
    data = (await ask(STAFF_AND_SITES, {"oktmo": oktmo}))["data"]["municipality"]
    assert data["staff"]["totalCount"] == len(working) > 0
    assert data["sites"]["totalCount"] > 0 and all(n["sites"] for n in data["sites"]["nodes"])

    person = (await ask(PERSON, {"id": summary.examples["person"], "asOf": summary.examples["person_date"]}))
    [job] = [j for j in person["data"]["person"]["employments"] if j["endDate"]]
    assert job["endDate"] == summary.examples["person_date"]

    body = (await ask(BODY, {"id": summary.examples["body"], "asOf": summary.examples["body_date"]}))["data"]["body"]
    assert body["memberCount"] == len(body["members"]) > 0
    assert body["composition"]["orderDate"] == summary.examples["body_date"]


async def test_a_second_run_through_the_cli_creates_nothing(populated, stack, infra):
    region, first, _ = populated
    before = await _count(stack, infra)
    done = await asyncio.to_thread(_cli, infra, "--registry-url", stack.services["registry"].url, "--seed",
                                   str(SEED), "--municipalities", str(MUNICIPALITIES), "--per-municipality", str(PER),
                                   "--staff-scale", str(STAFF_SCALE), "--events-url", stack.services["events"].url,
                                   "--monitoring-url", stack.services["monitoring"].url)
    assert done.returncode == 0, done.stderr
    assert "ничего нового не создано" in done.stdout and "nothing new created" in done.stdout
    assert "создано 0, уже были 2" in done.stdout and f"создано 0, уже были {ORGS}" in done.stdout
    assert f"создано 0, уже были {first.members.created}" in done.stdout
    assert f"создано 0, уже были {first.dismissals.created}" in done.stdout
    for tally in (first.courses, first.categories, first.diagnostics, first.mentoring, first.routes):
        assert f"создано 0, уже были {tally.created}" in done.stdout
    for name in METHODICAL:
        tally = getattr(first.methodical, name)
        assert f"создано 0, уже были {tally.created}" in done.stdout, (name, done.stdout)
    [entries] = [line for line in done.stdout.splitlines() if "competition entries" in line]
    assert entries.endswith(f"создано 0, уже были {first.competition_entries.created}")
    assert first.competition_entries.created > 0
    assert "competition(id:" in done.stdout
    for tally in (first.campaign.campaigns, first.campaign.submissions):
        assert f"создано 0, уже были {tally.created + tally.existing}" in done.stdout, done.stdout
    for tally in (first.olympiads.olympiad_stages, first.olympiads.olympiad_results, first.olympiads.olympiad_diplomas):
        assert f"создано 0, уже были {tally.created}" in done.stdout, done.stdout
    assert "workPlan(organisationId:" in done.stdout and "practices(search:" in done.stdout
    assert "dynamics { period value }" in done.stdout and "rating(code:" in done.stdout
    assert "recommendations(filter:" in done.stdout and "olympiad_participants_per_100" in done.stdout
    assert "courseOverdue: true" in done.stdout and "youngSpecialistsWithoutMentor" in done.stdout
    assert 'municipality(oktmo: "29701000")' in done.stdout and "metodset token" in done.stdout
    assert await _count(stack, infra) == before == ORGS


async def test_staff_of_another_generated_region_is_refused_before_anything_is_imported(populated, stack, infra):
    """Another staff scale draws other people with the same СНИЛС serials: loading them would rename people."""
    other = generate(SEED, MUNICIPALITIES, PER, STAFF_SCALE * 2)
    with pytest.raises(demo.LoadError, match="--staff-scale"):
        await asyncio.to_thread(demo.populate, other, stack.services["registry"].url,
                                token(infra, "regional_coordinator"), say=lambda line: None)


async def test_a_bigger_region_adds_only_what_is_new(first_run, stack, infra):
    """Same seed, one more municipality: the first two answer 409 and their organisations are recognised."""
    region = generate(SEED, MUNICIPALITIES + 1, PER)
    summary = await asyncio.to_thread(demo.load, region, stack.services["registry"].url,
                                      token(infra, "regional_coordinator"))
    assert summary == demo.Summary(municipalities=Tally(created=1, existing=MUNICIPALITIES),
                                   organisations=Tally(created=PER, existing=ORGS))


async def test_rows_registered_meanwhile_are_dropped_from_the_batch(first_run, stack, infra):
    region, _ = first_run
    taken = demo.payload(region.organisations[0])
    fresh = generate(SEED + 1, 1, 3).organisations[-2]  # same regional centre, another ИНН (-1: the institute)
    assert fresh.municipality_oktmo == region.organisations[0].municipality_oktmo
    with httpx.Client(base_url=stack.services["registry"].url,
                      headers={"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}) as http:
        created = await asyncio.to_thread(demo.post_batch, http, [taken, demo.payload(fresh)])
        assert created == 1
        assert fresh.inn in await asyncio.to_thread(demo.registered_inns, http, [fresh.municipality_oktmo])


async def _count(stack, infra) -> int:
    async with httpx.AsyncClient(base_url=stack.services["registry"].url, timeout=30) as http:
        r = await http.get("/organisations", params={"limit": 5000},
                           headers={"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"})
    r.raise_for_status()
    return r.json()["totalCount"]


def test_a_stack_that_is_not_running_is_named(infra):
    done = _cli(infra, "--registry-url", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 1
    assert "make run" in done.stderr and "не отвечает" in done.stderr
