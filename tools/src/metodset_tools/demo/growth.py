"""Professional growth of the region's staff: course records through the registry's `courses` xlsx import,
qualification categories (`POST /persons/{id}/category`, the person's history read first), diagnostic results
through the `diagnostics` import and mentorings (`POST /mentoring`, `.../end`; those of the same mentor, mentees
and start day are not started again). Imports are idempotent by themselves: the same file twice is unchanged."""
from __future__ import annotations

from collections import defaultdict

import httpx

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.domain.identifiers import format_snils
from metodset_registry.imports.courses import COURSES
from metodset_registry.imports.diagnostics import DIAGNOSTICS

from ..region import REFERENCE, Region
from ..region.model import Person
from .client import Tally, items, ok
from .staff import Say, import_file


def person_ids(http: httpx.Client, region: Region) -> dict[str, str]:
    """Person key → registry id of everyone working on the region's reference day (whom growth concerns),
    found by name and birth date in their municipality's staff list."""
    who = {(p.last_name, p.first_name, p.middle_name, p.birth_date.isoformat()): p.key for p in region.persons}
    found: dict[str, str] = {}
    for m in region.municipalities:
        params = {"municipality": m.oktmo, "asOf": REFERENCE.isoformat(), "limit": 1000}
        for i in items(http, "/staff", params, "список работников"):
            key = who.get((i["lastName"], i["firstName"], i["middleName"], i["birthDate"]))
            if key is not None:
                found[key] = i["id"]
    return found


def _person_columns(p: Person) -> dict:
    return {"snils": format_snils(p.snils) if p.snils else None, "lastName": p.last_name,
            "firstName": p.first_name, "middleName": p.middle_name, "birthDate": p.birth_date}


def course_records(region: Region) -> list[dict]:
    """The course records as rows of the `courses` template (the provider by ИНН when it is in the registry)."""
    people = {p.key: p for p in region.persons}
    return [{**_person_columns(people[c.person_key]), "programme": c.programme,
             "provider": c.provider_inn or c.provider, "hours": c.hours, "startDate": c.start_date,
             "endDate": c.end_date, "certificateNumber": c.certificate_number, "kind": c.kind}
            for c in region.courses]


def diagnostic_records(region: Region) -> list[dict]:
    """The diagnostic results as rows of the `diagnostics` template (the reference instrument: left empty)."""
    people = {p.key: p for p in region.persons}
    return [{**_person_columns(people[r.person_key]), "date": r.taken_on, **dict(r.scores)}
            for r in region.diagnostics]


def courses(http: httpx.Client, region: Region, tally: Tally, say: Say) -> None:
    rows = course_records(region)
    if rows:
        import_file(http, "courses", kind_workbook(COURSES, rows), len(rows), "Курсы", tally, say)


def diagnostics(http: httpx.Client, region: Region, tally: Tally, say: Say) -> None:
    rows = diagnostic_records(region)
    if rows:
        import_file(http, "diagnostics", kind_workbook(DIAGNOSTICS, rows), len(rows), "Диагностика", tally, say)


def categories(http: httpx.Client, region: Region, ids: dict[str, str], tally: Tally) -> None:
    """Each person's awards oldest first; one already in the history (same category and day) is not awarded
    again."""
    by_person = defaultdict(list)
    for a in region.categories:
        by_person[a.person_key].append(a)
    for key, awards in by_person.items():
        person = ids.get(key)
        if person is None:
            tally.refused += len(awards)
            continue
        growth = ok(http.get(f"/persons/{person}/growth"), "аттестация работника").json()
        have = {(c["code"], c["awardedOn"]) for c in growth["categoryHistory"]}
        for a in sorted(awards, key=lambda a: a.awarded_on):
            if (a.category, a.awarded_on.isoformat()) in have:
                tally.existing += 1
                continue
            r = http.post(f"/persons/{person}/category", json=a.award_category_body())
            if r.status_code == 422:
                tally.refused += 1
                continue
            ok(r, "присвоение категории")
            tally.created += 1


def mentoring(http: httpx.Client, region: Region, ids: dict[str, str], org_ids: dict[str, str], tally: Tally,
              say: Say) -> None:
    """Pairs and groups in the order of their start; ended ones are ended once."""
    have = {}
    for m in region.municipalities:
        for found in items(http, "/mentoring", {"municipality": m.oktmo, "limit": 1000}, "наставничество"):
            have[(found["mentor"]["id"], frozenset(p["id"] for p in found["mentees"]), found["startDate"])] = found
    for pair in sorted(region.mentoring, key=lambda p: p.start_date):
        mentor, mentees = ids.get(pair.mentor_key), [ids.get(k) for k in pair.mentee_keys]
        if mentor is None or None in mentees:
            tally.refused += 1
            continue
        found = have.get((mentor, frozenset(mentees), pair.start_date.isoformat()))
        if found is None:
            r = http.post("/mentoring", json=pair.start_mentoring_input(mentor, mentees,
                                                                        org_ids.get(pair.organisation_inn)))
            if r.status_code == 422:
                tally.refused += 1
                say(f"    наставничество {pair.mentor_key}: {r.text[:200]}")
                continue
            found = ok(r, "наставничество").json()
            tally.created += 1
        else:
            tally.existing += 1
        end = pair.end_mentoring_body()
        if end is not None and found["endDate"] is None:
            ok(http.post(f"/mentoring/{found['id']}/end", json=end), "завершение наставничества")
