"""The generated region's professional growth: course records, categories, diagnostics and mentoring have
realistic shares, fit each person's career, pass the registry's mentoring rules, and are seeded."""
import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from metodset_contracts.reference import catalogue, diagnostic_instruments
from metodset_registry.domain import mentoring as rules
from metodset_registry.domain.mentoring import Mentoring
from metodset_registry.growth.courses.schemas import CategoryAward as CategoryAwardBody
from metodset_registry.growth.diagnostics.schemas import DiagnosticCreate
from metodset_tools.region import REFERENCE, generate
from metodset_tools.region.growth import deficits, staffers
from metodset_tools.region.growth_data import ACADEMY, INSTRUMENTS, MENTOR_MAX_MENTEES, MENTOR_MIN_YEARS
from metodset_tools.region.people import years_after

DUE = years_after(REFERENCE, -3)


@pytest.fixture(scope="module")
def region():
    return generate(seed=11, municipalities=4, per_municipality=30)


@pytest.fixture(scope="module")
def people(region):
    return {s.person.key: s for s in staffers(region, REFERENCE)}


@pytest.fixture(scope="module")
def courses_of(region):
    found = defaultdict(list)
    for c in region.courses:
        found[c.person_key].append(c)
    return found


def test_same_seed_same_growth_other_seed_other_growth():
    a, b, c = generate(5, 3, 15, 0.5), generate(5, 3, 15, 0.5), generate(6, 3, 15, 0.5)
    assert (a.courses, a.categories, a.diagnostics, a.mentoring) == (b.courses, b.categories, b.diagnostics,
                                                                     b.mentoring)
    assert a.courses != c.courses and a.mentoring != c.mentoring


def test_most_staff_had_an_upgrade_within_three_years_and_some_are_overdue(people, courses_of):
    senior = [s for s in people.values() if s.first_day <= DUE]
    recent = [s for s in senior if any(c.kind == "UPGRADE" and c.end_date > DUE for c in courses_of[s.person.key])]
    assert 0.75 <= len(recent) / len(senior) <= 0.92
    assert len(senior) - len(recent) >= 0.05 * len(senior)  # overdue: a real share to find


def test_courses_fit_the_career_and_the_hour_rules(region, people, courses_of):
    assert region.courses
    for c in region.courses:
        s = people[c.person_key]
        assert s.first_day <= c.start_date <= c.end_date <= REFERENCE, c
        assert c.hours >= (16 if c.kind == "UPGRADE" else 250), c
        assert c.programme and c.provider and c.certificate_number.isdigit()
    numbers = [c.certificate_number for c in region.courses]
    assert len(set(numbers)) == len(numbers)
    retrained = {c.person_key for c in region.courses if c.kind == "RETRAINING"}
    assert 0.02 <= len(retrained) / len(people) <= 0.08
    providers = Counter(c.provider_inn is not None for c in region.courses if c.kind == "UPGRADE")
    assert 0.45 <= providers[True] / sum(providers.values()) <= 0.65  # the regional institute
    assert any(c.provider == ACADEMY for c in region.courses)
    assert any("«математика»" in c.programme for c in region.courses)  # by the teacher's subject


def test_categories_follow_experience_and_the_rules_of_the_higher_ones(region, people):
    current = {}
    for a in region.categories:
        s = people[a.person_key]
        assert a.awarded_on >= years_after(s.first_day, 2) and a.awarded_on <= REFERENCE
        assert a.expires_on == years_after(a.awarded_on, 5) - timedelta(days=1)
        assert a.order_number.startswith("№ ")
        if a.category in ("methodist", "mentor"):
            assert a.awarded_on >= date(2023, 9, 1)
            assert any(b.category == "highest" and b.person_key == a.person_key for b in region.categories)
        else:
            current[a.person_key] = a
    assert all(people[k].teaching_years >= 2 for k in current)
    veterans = [s for s in people.values() if s.teaching_years >= 20 and s.job.position == "teacher"]
    shares = Counter(current[s.person.key].category if s.person.key in current else None for s in veterans)
    assert shares["highest"] > shares["first"] > shares["compliance"] and shares[None] > 0
    expired = [a for a in current.values() if a.expires_on < REFERENCE]
    assert 0.04 <= len(expired) / len(current) <= 0.2  # due for attestation
    assert {a.category for a in region.categories} >= {"compliance", "first", "highest"}


def test_a_third_of_teachers_have_a_diagnostic_with_some_deficits(region, people):
    teachers = [s for s in people.values() if s.job.position == "teacher"]
    assert 0.22 <= len(region.diagnostics) / len(teachers) <= 0.38
    areas = [code for code, _, _ in INSTRUMENTS["prof_deficits"]]
    assert len(areas) == 6
    for r in region.diagnostics:
        assert [a for a, _ in r.scores] == areas and all(0 <= v <= 100 for _, v in r.scores)
        assert people[r.person_key].first_day < r.taken_on <= REFERENCE
    with_deficits = [r for r in region.diagnostics if deficits(r)]
    assert 0.2 <= len(with_deficits) / len(region.diagnostics) <= 0.9


def test_most_young_specialists_have_an_experienced_mentor_and_a_few_none(region, people):
    young = {k for k, s in people.items() if s.young}
    assert young
    active = [m for m in region.mentoring if m.end_date is None]
    mentored = {k for m in active for k in m.mentee_keys}
    assert 0.75 <= len(mentored & young) / len(young) < 1
    where = {o.inn: o.municipality_oktmo for o in region.organisations}
    for m in region.mentoring:
        mentor = people[m.mentor_key]
        assert not mentor.young and mentor.teaching_years >= MENTOR_MIN_YEARS
        assert m.mentor_key not in m.mentee_keys and mentor.job.start_date <= m.start_date <= REFERENCE
        assert (len(m.mentee_keys) >= 2) == (m.form == "group")
        for k in m.mentee_keys:
            mentee = people[k]
            assert mentee.job.organisation_inn == m.organisation_inn and mentee.job.start_date <= m.start_date
            assert where[mentor.job.organisation_inn] == where[m.organisation_inn]
            assert mentee.young == (m.form != "experienced_struggling")
    same_org = sum(people[m.mentor_key].job.organisation_inn == m.organisation_inn for m in region.mentoring)
    assert same_org / len(region.mentoring) >= 0.5
    assert Counter(m.form for m in region.mentoring).keys() >= {"experienced_young", "experienced_struggling"}
    assert any(m.end_date for m in region.mentoring)


def test_the_pairs_pass_the_registrys_mentoring_rules_in_order(region):
    ids = defaultdict(uuid.uuid4)
    forms = {i.code: i.extra["kind"] for i in catalogue("mentoring_forms").items}
    made: list[Mentoring] = []
    for m in sorted(region.mentoring, key=lambda m: m.start_date):
        new = Mentoring(uuid.uuid4(), ids[m.mentor_key], tuple(ids[k] for k in m.mentee_keys), m.form, m.start_date,
                        "29701000", end=m.end_date)
        rules.check_new(new, forms, made, MENTOR_MAX_MENTEES, REFERENCE)
        made.append(new)
    loads = Counter(rules.load(x.mentor_id, made, REFERENCE) for x in made)
    assert max(loads) <= MENTOR_MAX_MENTEES


def test_inputs_are_those_of_the_mutations(region):
    pair = next(m for m in region.mentoring if m.end_date)
    body = pair.start_mentoring_input(str(uuid.uuid4()), [str(uuid.uuid4())])
    assert set(body) == {"mentorId", "menteeIds", "form", "startDate", "programme"}
    assert pair.end_mentoring_input()["outcome"] == {"code": "ACHIEVED"}
    course = region.courses[0].record_course_input("p")
    assert set(course) == {"personId", "programme", "provider", "hours", "startDate", "endDate", "kind",
                           "certificateNumber"}
    codes = set(catalogue("categories").codes())
    assert {a.award_category_input("p")["category"] for a in region.categories} <= codes
    assert len(region.diagnostics[0].record_diagnostic_input("p")["scores"]) == 6
    assert pair.end_mentoring_body() == {"endDate": pair.end_date.isoformat(), "status": "completed",
                                         "outcome": "achieved"}
    diagnostic = region.diagnostics[0].record_diagnostic_body()
    DiagnosticCreate.model_validate(diagnostic)
    [reference] = [i for i in diagnostic_instruments() if i["code"] == diagnostic["instrument"]]
    assert set(diagnostic["scores"]) == {a["code"] for a in reference["areas"]}
    CategoryAwardBody.model_validate(region.categories[0].award_category_body())


def test_the_mutation_inputs_are_accepted_by_the_gateway_s_schema(region):
    """Each helper's input coerces against the GraphQL input type of its mutation (names, enums, codes' types)."""
    from graphql import Undefined, coerce_input_value

    from metodset_gateway.schema import schema

    types = schema._schema.type_map
    pid = str(uuid.uuid4())
    pair = next(m for m in region.mentoring if m.end_date)
    for type_name, value in (("RecordCourseInput", region.courses[0].record_course_input(pid)),
                             ("AwardCategoryInput", region.categories[0].award_category_input(pid)),
                             ("RecordDiagnosticInput", region.diagnostics[0].record_diagnostic_input(pid)),
                             ("StartMentoringInput", pair.start_mentoring_input(pid, [str(uuid.uuid4())])),
                             ("OutcomeInput", pair.end_mentoring_input()["outcome"])):
        assert coerce_input_value(value, types[type_name]) is not Undefined, (type_name, value)  # an unknown
        # field, a wrong enum value or a missing field gives Undefined
    assert coerce_input_value({"personId": pid, "takenOn": "2026-01-01", "scores": []},
                              types["RecordDiagnosticInput"]) is Undefined
    args = schema._schema.mutation_type.fields["endMentoring"].args
    assert set(pair.end_mentoring_input()) <= set(args)
