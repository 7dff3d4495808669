"""Load a generated region into a running registry through its REST API; running it again adds nothing.

`load` registers municipalities and organisations only (quick: the bench uses it); `populate` loads the living
region of `make demo`: those, the staff through the xlsx import with their past jobs dismissed, methodical
bodies with members and approved compositions, site statuses and flags."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import httpx

from ..region import Region
from . import bodies, marks, organisations, staff
from .client import LoadError, Tally, not_running
from .organisations import payload, post_batch, registered, registered_inns
from .summary import Summary, describe

__all__ = ["LoadError", "Summary", "Tally", "describe", "load", "payload", "populate", "post_batch",
           "registered_inns"]


@contextmanager
def _client(registry_url: str, token: str, timeout: float):
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=registry_url.rstrip("/"), headers=headers, timeout=timeout) as http:
        try:
            yield http
        except httpx.TransportError as exc:
            raise not_running(registry_url, exc) from exc


def load(region: Region, registry_url: str, token: str, *, timeout: float = 60) -> Summary:
    """Municipalities and organisations only."""
    summary = Summary()
    with _client(registry_url, token, timeout) as http:
        _organisations(http, region, summary)
    return summary


def populate(region: Region, registry_url: str, token: str, *, say: Callable[[str], None] = print,
             timeout: float = 120) -> Summary:
    """Everything of the region, each area told as it goes."""
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
    return summary


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
