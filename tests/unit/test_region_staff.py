"""The generated region's staff, methodical bodies, marks and import rows: plausible, consistent, and acceptable
to the registry's rules."""
import difflib
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from metodset_contracts.organisations import OrganisationKind as Kind
from metodset_contracts.reference import catalogue
from metodset_registry.domain import flags as flag_rules
from metodset_registry.domain import sites as site_rules
from metodset_registry.domain.flags import Flag
from metodset_registry.domain.identifiers import SNILS_CHECKSUM, is_valid_legal_inn, normalise_snils, snils_problem
from metodset_registry.domain.periods import Period
from metodset_registry.domain.sites import Site
from metodset_tools.region import CAPTIONS, REFERENCE, ROLES, generate, large, small, spoil, staff_rows
from metodset_tools.region.names import FEMALE, MALE, SURNAMES
from metodset_tools.region.people import female_surname, years_after
from metodset_tools.region.rows import SPOILS


@pytest.fixture(scope="module")
def region():
    return generate(seed=11, municipalities=4, per_municipality=30)


@pytest.fixture(scope="module")
def people(region):
    return {p.key: p for p in region.persons}


@pytest.fixture(scope="module")
def jobs_of(region):
    jobs = defaultdict(list)
    for job in region.employments:
        jobs[job.person_key].append(job)
    return jobs


def test_same_seed_same_staff_other_seed_other_staff():
    assert generate(5, 3, 15, 0.5) == generate(5, 3, 15, 0.5)
    assert generate(5, 3, 15, 0.5).persons != generate(6, 3, 15, 0.5).persons


def test_a_demo_region_has_a_few_hundred_staff_and_no_scale_no_staff():
    demo = small(2026)
    assert 200 <= len(demo.persons) <= 900 and len(demo.municipalities) == 3
    assert demo.bodies and demo.sites is not None
    bare = generate(2026, 3, 20, 0)
    assert bare.persons == [] and bare.employments == [] and bare.bodies == []


@pytest.mark.parametrize("size", [(1, 1, 0), (1, 2, 2), (1, 1, 3, 0.01), (1, 2, 10, 3.0)])
def test_tiny_and_dense_regions_are_consistent(size):
    region = generate(*size)
    people = {p.key for p in region.persons}
    assert {j.person_key for j in region.employments} == people
    assert all(b.members and {m.person_key for m in b.members} <= people for b in region.bodies)


def test_every_snils_is_valid_and_unique_and_a_few_are_missing(region):
    given = [p.snils for p in region.persons if p.snils]
    assert all(snils_problem(s) is None and normalise_snils(s) == s for s in given)
    assert len(set(given)) == len(given)
    assert 0.02 < 1 - len(given) / len(region.persons) < 0.09


def test_names_agree_with_sex(region):
    male_first = {m[0] for m in MALE}
    female_first = {f[0] for f in FEMALE}
    sons = {m[1] for m in MALE}
    daughters = {m[2] for m in MALE}
    for p in region.persons:
        if p.sex == "M":
            assert p.first_name in male_first and p.middle_name in sons and p.last_name in SURNAMES, p
        else:
            assert p.first_name in female_first and p.middle_name in daughters, p
            assert p.last_name in {female_surname(s) for s in SURNAMES}, p
    assert 0.05 < sum(p.sex == "M" for p in region.persons) / len(region.persons) < 0.25


def test_patronymics_and_female_surnames_are_formed_correctly():
    pairs = {m[0]: (m[1], m[2]) for m in MALE}
    assert pairs["Юрий"] == ("Юрьевич", "Юрьевна") and pairs["Илья"] == ("Ильич", "Ильинична")
    assert pairs["Пётр"] == ("Петрович", "Петровна") and pairs["Фёдор"] == ("Фёдорович", "Фёдоровна")
    assert pairs["Лев"] == ("Львович", "Львовна") and pairs["Михаил"] == ("Михайлович", "Михайловна")
    assert all(son.endswith(("ович", "евич", "ич")) and daughter.endswith(("овна", "евна", "ична")) for son, daughter
               in pairs.values())
    assert [female_surname(s) for s in ("Королёв", "Ильин", "Вишневский", "Троицкий", "Черных", "Шевченко")] == [
        "Королёва", "Ильина", "Вишневская", "Троицкая", "Черных", "Шевченко"]


def test_some_names_have_yo(region):
    text = [(p.first_name, p.last_name, p.middle_name) for p in region.persons]
    assert any("ё" in first for first, _, _ in text) and any("ё" in last for _, last, _ in text)
    assert any("ё" in middle for _, _, middle in text)
    assert any(p.first_name == "Алёна" for p in region.persons)


def test_ages_are_realistic(region):
    assert all(years_after(REFERENCE, -73) < p.birth_date <= years_after(REFERENCE, -21) for p in region.persons)
    ages = [(REFERENCE - p.birth_date).days / 365.25 for p in region.persons]
    share = Counter("young" if a < 30 else "core" if 35 <= a < 60 else "other" for a in ages)
    assert share["core"] / len(ages) > 0.5
    assert 0.05 < share["young"] / len(ages) < 0.25


def test_jobs_start_at_twenty_one_or_later_and_before_today_and_end_after_they_start(region, people):
    for job in region.employments:
        born = people[job.person_key].birth_date
        assert years_after(born, 21) <= job.start_date <= REFERENCE, job
        assert job.end_date is None or job.start_date <= job.end_date < REFERENCE, job


def test_one_main_job_at_a_time_and_everyone_has_a_job(region, people, jobs_of):
    assert set(jobs_of) == set(people)
    for key, jobs in jobs_of.items():
        mains = sorted((j for j in jobs if j.main), key=lambda j: j.start_date)
        assert mains, key
        for earlier, later in zip(mains, mains[1:], strict=False):
            assert earlier.end_date is not None and earlier.end_date < later.start_date, key
        assert all(not j.main and j.rate in (Decimal("0.25"), Decimal("0.5")) for j in jobs if not j.main)


def test_secondary_jobs_are_elsewhere_in_the_same_municipality(region, jobs_of):
    orgs = {o.inn: o for o in region.organisations}
    holders = 0
    for jobs in jobs_of.values():
        second = [j for j in jobs if not j.main]
        holders += bool(second)
        main = [j for j in jobs if j.main and j.end_date is None]
        for job in second:
            if main:
                assert job.organisation_inn != main[0].organisation_inn
                where, home = orgs[job.organisation_inn], orgs[main[0].organisation_inn]
                assert where.municipality_oktmo == home.municipality_oktmo
    assert 0.05 < holders / len(jobs_of) < 0.12


def test_positions_and_subjects_are_catalogue_codes(region):
    positions, subjects = set(catalogue("positions").codes()), set(catalogue("subjects").codes())
    assert all(j.position in positions and set(j.subjects) <= subjects for j in region.employments)
    teachers = [j for j in region.employments if j.position == "teacher"]
    assert all(j.subjects for j in teachers)
    common = Counter(s for j in teachers for s in j.subjects).most_common(3)
    assert common[0][0] == "primary" and {"russian", "mathematics"} & {c for c, _ in common}


def test_rates_are_mostly_one(region):
    rates = Counter(j.rate for j in region.employments if j.main)
    assert set(rates) <= {Decimal("1.0"), Decimal("0.5"), Decimal("1.25"), Decimal("1.5")}
    assert rates[Decimal("1.0")] / sum(rates.values()) > 0.6 and rates[Decimal("1.5")] > 0


def test_each_organisation_is_staffed_by_its_kind(region):
    staff = defaultdict(Counter)
    for job in region.employments:
        if job.main and job.end_date is None:
            staff[job.organisation_inn][job.position] += 1
    for org in region.organisations:
        got = staff[org.inn]
        if org.kind == Kind.EDUCATION_AUTHORITY:
            assert not got
            continue
        assert got["director"] == 1, org.name
        if org.kind == Kind.SCHOOL:
            assert 2 <= got["deputy_director"] <= 4 and got["teacher"] >= 8, (org.name, got)
        elif org.kind == Kind.KINDERGARTEN:
            assert got["educator"] >= 3 and got["teacher"] == 0 and got["music_director"] >= 1
        elif org.kind == Kind.METHODICAL_SERVICE:
            assert got["methodist"] >= 2
        elif org.kind == Kind.REGIONAL_INSTITUTE:
            assert got["methodist"] >= 20 and got["senior_methodist"] >= 10
        elif org.kind == Kind.SUPPLEMENTARY_EDUCATION:
            assert got["supplementary_teacher"] + got["coach"] >= 8
    schools = [o for o in region.organisations if o.kind == Kind.SCHOOL]
    assert sum(staff[o.inn]["upbringing_adviser"] for o in schools) > len(schools) / 2


def test_young_specialists_and_history(region, people, jobs_of):
    teachers = [j for j in region.employments if j.position == "teacher" and j.main and j.end_date is None]
    first = {key: min(j.start_date for j in jobs) for key, jobs in jobs_of.items()}
    young = [j for j in teachers if years_after(people[j.person_key].birth_date, 35) >= REFERENCE
             and (REFERENCE - first[j.person_key]).days <= 3 * 365]
    assert 0.03 < len(young) / len(teachers) < 0.2
    ended = [j for j in region.employments if j.end_date is not None]
    assert 0.03 < len(ended) / len(region.employments) < 0.25
    promoted = [jobs for jobs in jobs_of.values() if any(j.position == "director" and j.end_date is None for j in jobs)
                and any(j.position == "teacher" and j.end_date for j in jobs)]
    assert promoted  # a teacher who became the director
    advisers = [j for j in region.employments if j.position == "upbringing_adviser"]
    assert all(j.start_date >= date(2022, 9, 1) for j in advisers)


def test_body_members_are_staff_with_valid_roles_and_dates(region, people, jobs_of):
    kinds = set(catalogue("body_kinds").codes())
    first = {key: min(j.start_date for j in jobs) for key, jobs in jobs_of.items()}
    for body in region.bodies:
        assert body.kind in kinds and body.members, body.key
        assert len({m.person_key for m in body.members}) == len(body.members)
        for m in body.members:
            assert m.person_key in people and m.role in ROLES
            assert body.start_date <= m.start_date <= REFERENCE and m.start_date >= first[m.person_key]
            assert m.end_date is None or m.start_date <= m.end_date
            if body.end_date is not None and body.end_date < REFERENCE:
                assert m.end_date is not None and m.end_date <= body.end_date
        assert sum(m.role == "chair" for m in body.members) <= 1
    assert len({b.key for b in region.bodies}) == len(region.bodies)


def test_the_region_has_every_level_of_bodies(region):
    kinds = Counter(b.kind for b in region.bodies)
    assert kinds["regional_coordination_council"] == 1 and kinds["regional_association"] >= 5
    assert kinds["municipal_methodical_council"] == len(region.municipalities)
    assert kinds["municipal_association"] >= 5 * len(region.municipalities)
    assert kinds["school_association"] > 0 and kinds["school_methodical_council"] > 0
    assert kinds["young_teachers_council"] >= 2
    temporary = [b for b in region.bodies if b.kind in ("creative_group", "problem_group", "project_group",
                                                         "working_group")]
    assert temporary and all(b.goal and b.end_date and b.end_date > b.start_date for b in temporary)
    subjects = {b.subject for b in region.bodies if b.kind == "municipal_association"}
    assert {"primary", "russian", "mathematics"} <= subjects <= set(catalogue("subjects").codes())


def test_associations_are_led_and_joined_by_people_of_their_subject(region):
    jobs = defaultdict(list)
    for job in region.employments:
        jobs[job.person_key].append(job)
    for body in region.bodies:
        if body.kind != "municipal_association" or body.subject == "preschool":
            continue
        for m in body.members:
            assert any(j.subjects for j in jobs[m.person_key]), (body.key, m)


def test_councils_have_yearly_approved_compositions(region):
    councils = [b for b in region.bodies if b.kind.endswith("council") and b.kind != "young_teachers_council"]
    assert councils
    for body in councils:
        assert body.approvals and body.approvals[0].order_date == body.start_date
        years = [a.order_date.year for a in body.approvals]
        assert years == list(range(years[0], years[0] + len(years)))
        for approval in body.approvals:
            assert re.fullmatch(r"№ \d+-од", approval.order_number)
            assert approval.academic_year == f"{approval.order_date.year}/{(approval.order_date.year + 1) % 100:02d}"
            in_force = {m.person_key for m in body.members if m.start_date <= approval.order_date
                        and (m.end_date is None or approval.order_date <= m.end_date)}
            assert set(approval.members) == in_force and approval.members
    changed = [b for b in councils if len({a.members for a in b.approvals}) > 1]
    assert changed  # compositions change over the years


def test_sites_and_flags_are_accepted_by_the_registry(region):
    inns = {o.inn: o for o in region.organisations}
    sites, flags = defaultdict(list), defaultdict(list)
    for status in region.sites:
        payload = status.payload()
        assert payload["kind"] == status.kind and payload["order"]["number"]
        site = Site(uuid4(), uuid4(), status.kind, status.level, Period(status.start, status.end),
                    status.order_number, status.order_date, status.topic)
        site_rules.check_new(site, sites[status.organisation_inn])
        sites[status.organisation_inn].append(site)
        assert status.organisation_inn in inns and status.start <= REFERENCE and status.order_date < status.start
        assert status.ended_on is None or status.start <= status.ended_on < min(status.end, REFERENCE)
    for mark in region.flags:
        assert mark.payload()["source"].startswith("Приказ министерства")
        flag = Flag(uuid4(), uuid4(), mark.kind, Period(mark.start, mark.end), mark.source)
        flag_rules.check_new(flag, flags[mark.organisation_inn])
        flags[mark.organisation_inn].append(flag)
        assert inns[mark.organisation_inn].kind == Kind.SCHOOL and mark.start <= REFERENCE
    assert {s.kind for s in region.sites} >= {"innovation", "base", "support"}
    assert {f.kind for f in region.flags} == {"low_results", "unobjective_results", "difficult_conditions"}
    schools = [o for o in region.organisations if o.kind == Kind.SCHOOL]
    now = {f.organisation_inn for f in region.flags if f.start <= REFERENCE and (f.end is None or REFERENCE <= f.end)}
    assert 0.05 < len(now) / len(schools) < 0.35  # a plausible share of schools is flagged this year


def test_staff_rows_are_the_template_as_a_person_fills_it(region):
    assert CAPTIONS == ("Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "ИНН организации", "Должность",
                        "Предметы", "Ставка", "Дата приёма", "Основное место работы")
    rows = staff_rows(region)
    assert len(rows) == sum(j.end_date is None for j in region.employments)
    positions, subjects = catalogue("positions").by_title(), catalogue("subjects").by_title()
    inns = {o.inn for o in region.organisations}
    for row in rows:
        assert len(row) == len(CAPTIONS) and row[0] and row[1]
        assert isinstance(row[3], date) and isinstance(row[9], date) and isinstance(row[8], Decimal)
        assert row[4] is None or re.fullmatch(r"\d{3}-\d{3}-\d{3} \d{2}", row[4])
        assert row[5] in inns and row[6].lower() in positions and row[10] in ("да", "нет")
        assert row[7] is None or all(s.lower() in subjects for s in row[7].split("; "))
    assert any(r[7] and "; " in r[7] for r in rows) and any(r[10] == "нет" for r in rows)


def test_spoiled_rows_are_what_they_claim(region):
    rows = staff_rows(region)
    spoiled_rows, spoiled = spoil(rows, 21, seed=3)
    assert len(spoiled) == 21 and Counter(s.kind for s in spoiled) == {k: 3 for k in SPOILS}
    assert len({s.index for s in spoiled}) == 21 and len(spoiled_rows) == len(rows)
    touched = {s.index for s in spoiled}
    duplicates_of = {int(re.search(r"строке (\d+)", s.note).group(1)) - 2 for s in spoiled
                     if s.kind == "duplicate_person"}
    assert all(spoiled_rows[i] == rows[i] for i in range(len(rows)) if i not in touched)
    assert not duplicates_of & touched
    titles = list(catalogue("positions").titles().values())
    inns = {o.inn for o in region.organisations}
    for s in spoiled:
        row = spoiled_rows[s.index]
        assert s.sheet_row == s.index + 2 and row[CAPTIONS.index(s.column)] == s.value
        if s.kind == "snils_checksum":
            assert snils_problem(row[4]) == SNILS_CHECKSUM
        elif s.kind == "position_typo":
            assert row[6] not in titles and difflib.get_close_matches(row[6], titles, n=1) == [rows[s.index][6]]
        elif s.kind == "impossible_date":
            assert row[9] == "31.02.2020"
        elif s.kind == "empty_name":
            assert row[0] is None or row[1] is None
        elif s.kind == "rate_words":
            assert row[8] == "полторы"
        elif s.kind == "foreign_inn":
            assert is_valid_legal_inn(row[5]) and row[5] not in inns
        elif s.kind == "duplicate_person":
            source = spoiled_rows[int(re.search(r"строке (\d+)", s.note).group(1)) - 2]
            same = [str(v).lower().replace("ё", "е") for v in row[:4]]
            assert same == [str(v).lower().replace("ё", "е") for v in source[:4]] and row[:4] != source[:4]
            assert snils_problem(row[4]) is None and row[4] != source[4] and source[4]


def test_spoiling_refuses_unknown_kinds_and_too_many_rows(region):
    rows = staff_rows(region)[:10]
    with pytest.raises(ValueError):
        spoil(rows, 1, kinds=("typo",))
    with pytest.raises(ValueError):
        spoil(rows, 11)


def test_a_large_region_has_about_thirty_thousand_staff():
    big = large(2026)
    working = {j.person_key for j in big.employments if j.end_date is None}
    assert 27_000 <= len(working) <= 33_000
    snils = [p.snils for p in big.persons if p.snils]
    assert len(set(snils)) == len(snils)
    assert big.employments[-1].start_date <= REFERENCE and timedelta(0) < REFERENCE - big.persons[0].birth_date
