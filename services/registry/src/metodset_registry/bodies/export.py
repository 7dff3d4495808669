"""Bodies with their members as rows of the bodies template (imports/bodies.py), for the xlsx export.

Members are persons: the export is for the callers who may read members (the bodies' managers), holds only the
bodies the caller manages, and writes an audit entry per person listed (operation `bodies.export`). An analyst
or a service account is refused, as the members endpoint refuses them."""
from __future__ import annotations

from datetime import date

import asyncpg

from metodset_contracts.bodies import MemberRole
from metodset_kit import audit
from metodset_kit.errors import Forbidden
from metodset_kit.scope import Principal

from ..domain import bodies as rules
from ..domain.bodies import Body, Membership
from ..domain.staff_access import PERSON_READERS
from . import handlers
from . import repository as repo

EVERY = 1_000_000  # an export holds the whole filtered list
REFUSED = "Выгрузка объединений содержит ФИО участников: она доступна региональному координатору, методисту " \
          "муниципалитета и администратору организации"


async def export_bodies(pool: asyncpg.Pool, principal: Principal, day: date, **filters) -> list[dict]:
    """One row per member taking part on `day` (a body without members: one row of its own), in the list's
    order; only the bodies the caller manages."""
    if principal.role not in PERSON_READERS:
        raise Forbidden(REFUSED)
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        found = [b for b, _ in await repo.bodies(conn, **filters, day=day, limit=EVERY)]
        orgs = await repo.organisation_places(conn, {b.organisation_id for b in found if b.organisation_id})
        mine = [b for b in found if rules.may_manage(principal, b, _owner_municipality(b, orgs))]
        members = await repo.members_of_bodies(conn, [b.id for b in mine])
        listed = {b.id: _ordered(rules.active_on(members.get(b.id, []), day)) for b in mine}
        people = await repo.member_people(conn, {m.person_id for ms in listed.values() for m in ms})
        await audit.record_read(conn, principal, handlers.PERSON, sorted(str(i) for i in people), "bodies.export")
    rows = []
    for body in mine:
        fields = _body_fields(body, orgs)
        rows += [{**fields, **_member_fields(m, people[m.person_id])} for m in listed[body.id]] or [fields]
    return rows


def _owner_municipality(body: Body, orgs: dict) -> str | None:
    org = orgs.get(body.organisation_id)
    return org["municipality_oktmo"] if org else body.municipality_oktmo


def _body_fields(body: Body, orgs: dict) -> dict:
    org = orgs.get(body.organisation_id)
    return {"name": body.name, "kind": body.kind, "level": body.level.value,
            "municipality_oktmo": body.municipality_oktmo, "organisation_inn": org["inn"] if org else None,
            "subject": body.subject, "goal": body.goal, "created_on": body.created_on, "term_end": body.term_end}


def _ordered(members: list[Membership]) -> list[Membership]:
    roles = list(MemberRole)
    return sorted(members, key=lambda m: (roles.index(m.role), m.period.start))


def _member_fields(member: Membership, person) -> dict:
    return {"snils": person["snils"], "last_name": person["last_name"], "first_name": person["first_name"],
            "middle_name": person["middle_name"], "birth_date": person["birth_date"], "role": member.role.value,
            "from": member.period.start, "to": member.period.end}
