"""Municipalities and organisations: posted in batches, those already registered (by ОКТМО, by ИНН) kept."""
from __future__ import annotations

from dataclasses import asdict

import httpx

from metodset_registry.organisations.schemas import MunicipalityCreate, OrganisationCreate

from ..region import Region
from .client import Tally, items, ok

BATCH = 5000  # the registry's limit for one POST /organisations/batch
PAGE = 5000  # and for one GET /organisations


def municipalities(http: httpx.Client, region: Region, tally: Tally) -> None:
    for m in region.municipalities:
        body = MunicipalityCreate(oktmo=m.oktmo, name=m.name).model_dump(by_alias=True, mode="json")
        r = http.post("/municipalities", json=body)
        if r.status_code == 409:
            tally.existing += 1
        else:
            ok(r, f"муниципалитет {m.oktmo}")
            tally.created += 1


def organisations(http: httpx.Client, region: Region, tally: Tally) -> None:
    known = registered_inns(http, [m.oktmo for m in region.municipalities])
    rows = [o for o in region.organisations if o.inn not in known]
    tally.existing += len(region.organisations) - len(rows)
    for start in range(0, len(rows), BATCH):
        chunk = [payload(o) for o in rows[start:start + BATCH]]
        created = post_batch(http, chunk)
        tally.created += created
        tally.existing += len(chunk) - created


def registered(http: httpx.Client, oktmo: list[str]) -> dict[str, str]:
    """ИНН → id of every organisation (closed ones too) of these municipalities."""
    found: dict[str, str] = {}
    for first in range(0, len(oktmo), 100):
        params = {"municipality": oktmo[first:first + 100], "limit": PAGE}
        found.update((o["inn"], o["id"]) for o in items(http, "/organisations", params, "список организаций"))
    return found


def registered_inns(http: httpx.Client, oktmo: list[str]) -> set[str]:
    return set(registered(http, oktmo))


def post_batch(http: httpx.Client, rows: list[dict]) -> int:
    """Post the rows; rows someone registered meanwhile (the batch's duplicate report) are dropped and the rest
    posted again. Returns how many were created."""
    r = http.post("/organisations/batch", json=rows)
    if r.status_code == 422:
        taken = _duplicate_rows(r.json())
        if taken:
            rest = [row for i, row in enumerate(rows) if i not in taken]
            return post_batch(http, rest) if rest else 0
    return len(ok(r, "пакет организаций").json()["ids"])


def _duplicate_rows(body: dict) -> set[int]:
    """Indexes of rows refused only because their ИНН is taken; empty if any other problem is reported."""
    problems = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(problems, list) or not problems:
        return set()
    if any(p.get("type") != "duplicate" or len(p.get("loc", [])) != 3 for p in problems):
        return set()
    return {p["loc"][1] for p in problems}


def payload(org) -> dict:
    """Checked by the registry's own schema before it travels."""
    return OrganisationCreate(**asdict(org)).model_dump(by_alias=True, mode="json", exclude_none=True)
