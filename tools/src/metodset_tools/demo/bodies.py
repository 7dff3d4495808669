"""Methodical bodies with their members (`POST /bodies/batch`: one row per member, found again by owner, kind,
name and subject, so the same rows twice change nothing) and the councils' approved compositions
(`POST /bodies/{id}/compositions` for the academic years not approved yet)."""
from __future__ import annotations

from collections.abc import Callable

import httpx

from ..region import Body, Region
from ..region.model import Membership
from .client import Tally, ok
from .staff import SHOWN_ERRORS, Directory

Say = Callable[[str], None]
BATCH = 5000  # rows in one POST /bodies/batch (each row runs in its own savepoint)


def owner(body: Body) -> dict:
    if body.level == "regional":
        return {}
    if body.level == "municipal":
        return {"municipalityOktmo": body.municipality_oktmo}
    return {"organisationInn": body.organisation_inn}


def body_row(body: Body) -> dict:
    row = {"name": body.name, "kind": body.kind, "level": body.level, "createdOn": body.start_date.isoformat(),
           "subject": body.subject, "goal": body.goal, **owner(body)}
    if body.goal:  # a temporary group works for a term
        row.update(termStart=body.start_date.isoformat(), termEnd=body.end_date and body.end_date.isoformat())
    return {k: v for k, v in row.items() if v is not None}


def member_row(base: dict, m: Membership, directory: Directory) -> dict | None:
    person = directory.people[m.person_key]
    who = {"snils": person.snils} if person.snils else {"personId": directory.person_id(m.person_key)}
    if not any(who.values()):
        return None
    row = {**base, **who, "role": m.role, "from": m.start_date.isoformat()}
    return row | ({"to": m.end_date.isoformat()} if m.end_date else {})


def load(http: httpx.Client, region: Region, directory: Directory, bodies: Tally, members: Tally,
         compositions: Tally, say: Say) -> dict[str, str]:
    """Body key → registry id of every body loaded."""
    rows, owners = [], []
    for body in region.bodies:
        base = body_row(body)
        mine = [r for r in (member_row(base, m, directory) for m in body.members) if r]
        members.refused += len(body.members) - len(mine)
        for row in mine or [base]:
            rows.append({**row, "row": len(rows) + 1})
            owners.append(body)
    if not rows:
        return {}
    outcomes = []
    for start in range(0, len(rows), BATCH):  # a body's rows may span two batches: the second finds it
        r = http.post("/bodies/batch", params={"mode": "VALID_ROWS"}, json=rows[start:start + BATCH])
        outcomes += ok(r, "объединения").json()["rows"]
    ids: dict[str, str] = {}
    new_bodies: set[str] = set()
    for body, row, outcome in zip(owners, rows, outcomes, strict=True):
        if outcome["outcome"] == "error":
            (members if "role" in row else bodies).refused += 1
            if bodies.refused + members.refused <= SHOWN_ERRORS:
                say(f"    {body.name}: {'; '.join(e['message'] for e in outcome['errors'])}")
            continue
        ids[body.key] = outcome["bodyId"]
        if outcome["outcome"] == "created":
            new_bodies.add(body.key)
        if "role" in row:
            if outcome["outcome"] == "unchanged":
                members.existing += 1
            else:
                members.created += 1
    bodies.created += len(new_bodies)
    bodies.existing += len(ids) - len(new_bodies)
    for body in region.bodies:
        if body.key in ids:
            approve(http, body, ids[body.key], compositions)
    return ids


def approve(http: httpx.Client, body: Body, body_id: str, tally: Tally) -> None:
    """Each academic year's order once: without a member list the registry takes the composition in force on the
    order date, which is the generated one."""
    if not body.approvals:
        return
    done = {c["academicYear"][:4] for c in ok(http.get(f"/bodies/{body_id}/compositions"), "составы").json()}
    for a in body.approvals:
        if a.academic_year[:4] in done:
            tally.existing += 1
            continue
        r = http.post(f"/bodies/{body_id}/compositions", json={
            "orderNumber": a.order_number, "orderDate": a.order_date.isoformat(), "academicYear": a.academic_year})
        if r.status_code == 422:
            tally.refused += 1
            continue
        ok(r, "утверждение состава")
        tally.created += 1
