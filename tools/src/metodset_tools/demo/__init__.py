"""Load a generated region into a running registry through its REST API; running it again adds nothing.

`load` registers municipalities and organisations only (quick: the bench uses it); `populate` loads the living
region of `make demo`: those, the staff through the xlsx import with their past jobs dismissed, methodical
bodies with members and approved compositions, site statuses and flags, and the staff's professional growth:
courses (the `courses` import), categories, diagnostics (the `diagnostics` import), mentoring and a few
individual routes, one of which closes when its course is recorded; and, given the events service's URL, the
region's year of methodical work there (methodical.py); given the monitoring service's URL, the campaigns
«Контингент обучающихся» of last academic year and this one with the schools' forms submitted and approved
(campaigns.py); and a year of the school olympiad with last year's school stage in mathematics (olympiads.py) on
the events service — so monitoring shows indicators over two academic years, ratings and raised recommendations."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import httpx

from metodset_contracts.organisations import OrganisationKind

from ..region import Region
from . import bodies, campaigns, competitions, growth, marks, methodical, olympiads, organisations, routes, staff
from .client import EVENTS, REGISTRY, LoadError, Service, Tally, not_running
from .organisations import payload, post_batch, registered, registered_inns
from .summary import Summary, describe

__all__ = ["LoadError", "Summary", "Tally", "describe", "load", "payload", "populate", "post_batch",
           "registered_inns"]


@contextmanager
def _client(registry_url: str, token: str, timeout: float, service: Service = REGISTRY):
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=registry_url.rstrip("/"), headers=headers, timeout=timeout) as http:
        try:
            yield http
        except httpx.TransportError as exc:
            raise not_running(registry_url, exc, service) from exc


def load(region: Region, registry_url: str, token: str, *, timeout: float = 60) -> Summary:
    """Municipalities and organisations only."""
    summary = Summary()
    with _client(registry_url, token, timeout) as http:
        _organisations(http, region, summary)
    return summary


def populate(region: Region, registry_url: str, token: str, *, say: Callable[[str], None] = print,
             timeout: float = 120, events_url: str | None = None, wait: float = 120,
             monitoring_url: str | None = None, methodist_token: Callable[[str], str] | None = None) -> Summary:
    """Everything of the region, each area told as it goes; the methodical year when `events_url` is given
    (`wait`: how long the events service's projection may take to learn the registry's organisations and staff)."""
    summary = Summary()
    with _client(registry_url, token, timeout) as http:
        say("Муниципалитеты и организации / municipalities and organisations...")
        _organisations(http, region, summary)
        org_ids = registered(http, [m.oktmo for m in region.municipalities])
        say("Работники / staff (xlsx-импорт реестра / the registry's xlsx import)...")
        directory = staff.load(http, region, org_ids, summary.staff, summary.dismissals, say)
        say("Методические объединения / methodical bodies...")
        body_ids = bodies.load(http, region, directory, summary.bodies, summary.members, summary.compositions, say)
        say("Статусы площадок и признаки / site statuses and flags...")
        marks.load(http, region, org_ids, summary.sites, summary.flags)
        summary.examples = _examples(region, directory, body_ids)
        ids = _growth(http, region, org_ids, summary, say)
    if events_url and region.methodical.events:
        with _client(events_url, token, timeout, EVENTS) as http:
            summary.examples.update(methodical.load(http, region, org_ids, ids, summary.methodical, say, wait,
                                                    body_ids))
            if region.competitions:
                say("Конкурс «Учитель года»: заявки, жюри, баллы, итоги / a competition...")
                summary.examples.update(competitions.load(http, region, org_ids, ids, summary.competition_entries,
                                                          summary.competition_scores, methodical.Waiter(wait, say)))
            say("Всероссийская олимпиада школьников / the school olympiad (школьный и муниципальный этапы)...")
            summary.examples.update(olympiads.load(http, region, summary.olympiads, say, wait))
    if monitoring_url and methodist_token and region.contingent:
        with _client(monitoring_url, token, timeout, campaigns.MONITORING) as http:
            say("Кампания «Контингент обучающихся» / the students' count campaign (monitoring)...")
            summary.examples.update(campaigns.load(http, region, org_ids, methodist_token, summary.campaign, say,
                                                   wait))
    return summary


def _growth(http: httpx.Client, region: Region, org_ids: dict[str, str], summary: Summary,
            say: Callable[[str], None]) -> dict[str, str]:
    say("Курсы / course records (xlsx-импорт «courses»)...")
    growth.courses(http, region, summary.courses, say)
    ids = growth.person_ids(http, region)
    say("Квалификационные категории / categories...")
    growth.categories(http, region, ids, summary.categories)
    say("Диагностика дефицитов / diagnostics (xlsx-импорт «diagnostics»)...")
    growth.diagnostics(http, region, summary.diagnostics, say)
    say("Наставничество / mentoring...")
    growth.mentoring(http, region, ids, org_ids, summary.mentoring, say)
    say("Индивидуальные маршруты / individual routes...")
    institute = next((org_ids.get(o.inn) for o in region.organisations
                      if o.kind == OrganisationKind.REGIONAL_INSTITUTE), None)
    made = routes.load(http, region, ids, summary.routes, summary.courses, institute)
    summary.examples.update(_growth_examples(region, ids, made))
    return ids


def _growth_examples(region: Region, ids: dict[str, str], made: list[dict]) -> dict[str, str]:
    """A person on a route still open (with deficits, courses, a category), a young specialist's mentoring."""
    found: dict[str, str] = {}
    open_route = next((r for r in made if r["status"] == "open"), None)
    if open_route:
        found["growth_person"] = open_route["personId"]
    closed = next((r for r in made if r["status"] == "closed"), None)
    if closed:
        found["closed_route_person"] = closed["personId"]
    pair = next((m for m in region.mentoring if m.form == "experienced_young" and m.end_date is None
                 and m.mentee_keys[0] in ids), None)
    if pair:
        found["mentee"] = ids[pair.mentee_keys[0]]
    return found


def _organisations(http: httpx.Client, region: Region, summary: Summary) -> None:
    organisations.municipalities(http, region, summary.municipalities)
    organisations.organisations(http, region, summary.organisations)


def _examples(region: Region, directory: staff.Directory, body_ids: dict[str, str]) -> dict[str, str]:
    """A person with a past job and a council with approved compositions, to try in GraphiQL."""
    found: dict[str, str] = {}
    moved = next((j for j in region.employments if j.end_date is not None and j.main), None)
    person = moved and directory.person_id(moved.person_key)
    if person:
        found.update(person=person, person_date=moved.end_date.isoformat())
    council = next((b for b in region.bodies if len(b.approvals) > 1 and b.key in body_ids), None)
    if council:
        found["body"] = body_ids[council.key]
        found["body_date"] = council.approvals[-2].order_date.isoformat()
    return found
