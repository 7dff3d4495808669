"""The generator's campaigns «Контингент обучающихся» (region.contingent: last academic year's and this one's)
loaded into the monitoring service through its REST API: the form, each year's campaign for every school, each
school's students_total submitted and taken as far as the generator says (municipal approval by the
municipality's methodist, the final one by the coordinator), so the approved values become facts for indicators
(olympiad participation per 100 students). Looked up first: a second run creates nothing.

The monitoring service knows organisations only from its projection of registry.organisations.v1: the demo
waits while it does not know every school yet, then assigns the campaign to the schools it learned since."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import httpx

from ..region import Region
from ..region.campaigns import FORM, STAGES, ContingentReport, code, period
from . import client
from .client import LoadError, Service, Tally

MONITORING = Service("сервис мониторинга", "the monitoring service")
FORM_BODY = {"code": FORM, "title": "Контингент обучающихся", "fields": [
    {"code": "students_total", "title": "Численность обучающихся", "type": "number", "required": True,
     "minimum": 0, "maximum": 10000, "integer": True}]}
POLL = 1.0
ORDER = {stage: i for i, stage in enumerate(reversed(STAGES))}  # draft 0 … approved 3


@dataclass
class Counts:
    campaigns: Tally = field(default_factory=Tally)
    submissions: Tally = field(default_factory=Tally)


def ok(r: httpx.Response, what: str) -> httpx.Response:
    return client.ok(r, what, MONITORING)


def _campaign(http: httpx.Client, counts: Counts, year: int) -> str:
    r = http.post("/campaign-forms", json=FORM_BODY)
    if r.status_code != 409:  # 409: made by an earlier run
        ok(r, "форма «Контингент обучающихся»")
    body = {"code": code(year), "title": f"Контингент обучающихся {period(year)}", "formCode": FORM,
            "period": period(year), "periodStart": date(year, 9, 1).isoformat(),
            "deadline": date(year, 10, 1).isoformat(), "assign": {"kinds": ["school"]}}
    r = http.post("/campaigns", json=body)
    if r.status_code == 201:
        counts.campaigns.created += 1
        return r.json()["id"]
    if r.status_code != 409:
        ok(r, "кампания «Контингент обучающихся»")
    counts.campaigns.existing += 1
    return next(c["id"] for c in client.items(http, "/campaigns", {"kind": "report"}, "список кампаний", MONITORING)
                if c["code"] == code(year))


def _submissions(http: httpx.Client, campaign: str) -> dict[str, dict]:
    return {s["organisationId"]: s for s in client.items(http, f"/campaigns/{campaign}/submissions", {"limit": 1000},
                                                         "формы кампании", MONITORING)}


def _assigned(http: httpx.Client, campaign: str, schools: set[str], wait: float,
              say: Callable[[str], None]) -> dict[str, dict]:
    deadline, told = time.monotonic() + wait, False
    found = _submissions(http, campaign)
    while not schools <= found.keys():
        if time.monotonic() > deadline:
            raise LoadError(f"Сервис мониторинга за {wait:.0f} с так и не узнал из топиков реестра все школы: "
                            "запущена ли проекция (`make run`)? / the monitoring service's projection still does "
                            "not know every school")
        if not told:
            say("  Ждём, пока сервис мониторинга узнает школы из топиков реестра / waiting for the monitoring "
                "service's projection of the registry...")
            told = True
        time.sleep(POLL)
        ok(http.post(f"/campaigns/{campaign}/assignments", json={"kinds": ["school"]}), "назначение кампании")
        found = _submissions(http, campaign)
    return found


def _advance(http: httpx.Client, methodist: httpx.Client, campaign: str, s: dict, students: int, goal: str) -> bool:
    """Take one school's form up to `goal`; False when it was there already."""
    stage = s["status"] if s["status"] in ORDER else "draft"
    if ORDER[stage] >= ORDER[goal]:
        return False
    answers = {"organisationId": s["organisationId"], "values": [{"field": "students_total", "value": students}]}
    if stage == "draft":
        ok(http.post(f"/campaigns/{campaign}/submissions", json=answers), "форма школы")
    if ORDER[goal] >= ORDER["approved_by_municipality"] and ORDER[stage] < ORDER["approved_by_municipality"]:
        ok(methodist.post(f"/campaign-submissions/{s['id']}/approve"), "согласование муниципалитета")
    if goal == "approved":
        ok(http.post(f"/campaign-submissions/{s['id']}/approve"), "принятие регионом")
    return True


def load(http: httpx.Client, region: Region, org_ids: Mapping[str, str], methodist_token: Callable[[str], str],
         counts: Counts, say: Callable[[str], None], wait: float = 120) -> dict[str, str]:
    """Each year's campaign and every school's form as far as the generator says; this year's id to try in
    GraphiQL (and last year's)."""
    examples = {}
    for year in sorted({r.year for r in region.contingent}):
        reports = {org_ids[r.inn]: r for r in region.contingent if r.inn in org_ids and r.year == year}
        examples = {"campaign": _year(http, reports, methodist_token, counts, say, wait, year),
                    **({"last_year_campaign": examples["campaign"]} if examples else {})}
    return examples


def _year(http: httpx.Client, reports: Mapping[str, ContingentReport], methodist_token: Callable[[str], str],
          counts: Counts, say: Callable[[str], None], wait: float, year: int) -> str:
    campaign = _campaign(http, counts, year)
    found = _assigned(http, campaign, set(reports), wait, say)
    for oktmo in sorted({r.municipality_oktmo for r in reports.values()}):
        headers = {"Authorization": f"Bearer {methodist_token(oktmo)}"}
        with httpx.Client(base_url=str(http.base_url), headers=headers, timeout=http.timeout) as methodist:
            for org, report in reports.items():
                if report.municipality_oktmo == oktmo:
                    moved = _advance(http, methodist, campaign, found[org], report.students_total, report.stage)
                    tally = counts.submissions
                    tally.created, tally.existing = tally.created + moved, tally.existing + (not moved)
    return campaign
