"""Use cases of needs surveys of staff. Staff cannot sign in as persons (the platform's tokens name a role and
its scope, never a person), so an organisation's administrator (or the municipal methodist, or the coordinator)
enters its staff's answers as anonymous responses: no person id, nobody who answered is kept. Results are only
aggregates (domain.surveys), groups below the campaign's minimum size suppressed; each caller gets the region
and the municipalities and organisations they see."""
from __future__ import annotations

import uuid
from uuid import UUID

import asyncpg

from metodset_kit.errors import Forbidden, NotFound
from metodset_kit.scope import Principal, Role

from . import campaigns_repository as repo
from .campaigns import _campaign, _rejected
from .campaigns_schemas import SurveyResponseIn
from .domain.forms import FieldProblem, FieldType, check_values
from .domain.surveys import GroupSummary, SurveyResponse, aggregate


def _survey(stored, campaign_id: UUID):
    if stored.kind != "survey":
        raise NotFound("id", f"Опрос {campaign_id} не найден", where="path")


async def respond(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, data: SurveyResponseIn) -> None:
    async with pool.acquire() as conn, conn.transaction():
        stored = await _campaign(conn, principal, campaign_id)
        _survey(stored, campaign_id)
        assigned = await repo.submission_of(conn, campaign_id, str(data.organisation_id))
        if assigned is None:
            raise NotFound("organisationId", "Опрос этой организации не назначен")
        oktmo = assigned.submission.municipality_oktmo
        if not principal.may_edit_organisation(str(data.organisation_id), oktmo):
            raise Forbidden("Ответы работников вносит администратор их организации", field="organisationId")
        form = await repo.form(conn, stored.campaign.form_code)
        result = check_values(form.form, {v.field: v.value for v in data.values}, complete=True)
        result.problems.extend(FieldProblem(f.code, "В анонимном опросе файлы не принимаются")
                               for f in form.form.fields if f.type is FieldType.FILE and f.code in result.values)
        if not result.ok:
            raise _rejected(result.problems)
        await repo.add_response(conn, uuid.uuid4(), campaign_id,
                                SurveyResponse(data.organisation_id, oktmo, result.values))


def _visible(principal: Principal, g: GroupSummary) -> bool:
    if g.level == "region":
        return True
    if g.level == "municipality":
        return principal.role is not Role.ORGANISATION_ADMIN and principal.sees_municipality(g.key)
    return principal.may_edit_organisation(g.key, g.municipality_oktmo) or principal.role in (Role.ANALYST,
                                                                                              Role.SERVICE)


async def results(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID) -> list[GroupSummary]:
    async with pool.acquire() as conn:
        stored = await _campaign(conn, principal, campaign_id)
        _survey(stored, campaign_id)
        form = await repo.form(conn, stored.campaign.form_code)
        found = await repo.responses(conn, campaign_id)
    return [g for g in aggregate(form.form, found, stored.min_group) if _visible(principal, g)]
