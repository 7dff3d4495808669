"""A few individual routes (ИОМ) on diagnosed deficits, with items the registry suggests (mentors, internships,
courses, self-study); the first is a single course that the demo then records, so the route closes by the fact
as it would when the course arrives from the institute. A person who already has a route is left alone."""
from __future__ import annotations

from datetime import date, timedelta

import httpx

from ..region import Region
from ..region.growth import deficits
from .client import Tally, ok

ROUTES = 3
ITEMS = 5  # at most, on a route built from suggestions
PREFERRED = ("mentoring", "internship", "course", "event", "self_study")
CLOSING_PROGRAMME = "Формирование функциональной грамотности обучающихся"


def candidates(region: Region, ids: dict[str, str]) -> list[str]:
    """Registered persons whose latest generated result has deficits, in the order of their keys."""
    latest = {}
    for r in sorted(region.diagnostics, key=lambda r: r.taken_on):
        latest[r.person_key] = r
    return [ids[k] for k, r in sorted(latest.items()) if deficits(r) and k in ids][:ROUTES]


def load(http: httpx.Client, region: Region, ids: dict[str, str], routes: Tally, courses: Tally,
         institute: str | None) -> list[dict]:
    """The routes, as the registry answers them (new or found)."""
    out = []
    for n, person in enumerate(candidates(region, ids)):
        have = ok(http.get(f"/persons/{person}/routes"), "маршруты работника").json()
        if have["items"]:
            routes.existing += 1
            courses.existing += n == 0  # its course was recorded with it
            out.append(have["items"][-1])
            continue
        found = ok(http.get(f"/persons/{person}/deficits"), "дефициты работника").json()
        if not found["items"]:
            routes.refused += 1
            continue
        opened = date.today() - timedelta(days=20)
        if n == 0:
            area = found["items"][0]["area"]
            items = [{"kind": "course", "area": area, "title": CLOSING_PROGRAMME,
                      "dueDate": (opened + timedelta(days=60)).isoformat()}]
        else:
            items = _suggested(http, person, opened)
        route = ok(http.post(f"/persons/{person}/routes", json={"openedOn": opened.isoformat(), "items": items}),
                   "открытие маршрута").json()
        routes.created += 1
        if n == 0:
            _record_course(http, person, institute)
            courses.created += 1
            route = ok(http.get(f"/persons/{person}/routes"), "маршруты работника").json()["items"][-1]
        out.append(route)
    return out


def _suggested(http: httpx.Client, person: str, opened: date) -> list[dict]:
    offers = ok(http.get(f"/persons/{person}/route/suggestions"), "предложения маршрута").json()["items"]
    offers = sorted(offers, key=lambda s: PREFERRED.index(s["kind"]) if s["kind"] in PREFERRED else 99)
    chosen, areas = [], set()
    for s in offers:  # first one per area, then the rest
        if s["area"] not in areas:
            chosen.append(s)
            areas.add(s["area"])
    chosen += [s for s in offers if s not in chosen]
    due = (opened + timedelta(days=120)).isoformat()
    return [{"kind": s["kind"], "area": s["area"], "title": s["title"], "ref": s["ref"], "dueDate": due}
            for s in chosen[:ITEMS]]


def _record_course(http: httpx.Client, person: str, institute: str | None) -> None:
    """The course of the first route, completed: it completes the route's only item, and the route closes."""
    end = date.today() - timedelta(days=2)
    body = {"kind": "UPGRADE", "programme": CLOSING_PROGRAMME, "hours": 36,
            "startDate": (end - timedelta(days=10)).isoformat(), "endDate": end.isoformat(),
            "certificateNumber": f"40{end.year % 100:02d}99000001",
            **({"providerOrganisationId": institute} if institute else {"provider": "Региональный институт"})}
    ok(http.post(f"/persons/{person}/courses", json=body), "запись о курсах")
