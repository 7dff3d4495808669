"""REST entry points of data-collection campaigns and needs surveys: they only turn requests into use cases."""
from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from metodset_contracts.campaigns import STATUS_TITLES, SubmissionStatus
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from metodset_kit.storage import checked, of_app
from metodset_kit.tabular.api import xlsx_response

from . import campaigns as handlers
from . import campaigns_repository as repo
from . import surveys
from .campaigns_report import completeness_workbook, file_name
from .campaigns_schemas import (
    Answers,
    Assignment,
    CampaignCreate,
    CampaignPage,
    CampaignPublic,
    CheckPublic,
    CompletenessPublic,
    FieldSummaryPublic,
    FileRef,
    FormCreate,
    FormPublic,
    GroupPublic,
    Oktmo,
    ProblemPublic,
    RemindersRun,
    ReturnIn,
    SubmissionPage,
    SubmissionPublic,
    SurveyResponseIn,
    ValueIn,
)
from .names import names

router = APIRouter()
TAGS = ["campaigns"]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH, description="nextCursor предыдущей страницы")]


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def form_public(f: repo.StoredForm) -> FormPublic:
    return FormPublic(code=f.form.code, title=f.form.title, owner_oktmo=f.owner_oktmo, fields=f.fields)


def campaign_public(stored: repo.StoredCampaign, form: repo.StoredForm) -> CampaignPublic:
    c = stored.campaign
    return CampaignPublic(id=c.id, code=c.code, title=c.title, kind=stored.kind, form=form_public(form),
                          period=c.period, period_start=c.period_start, deadline=c.deadline, owner_oktmo=c.owner_oktmo,
                          remind_days=c.remind_days, min_group=stored.min_group, created_at=stored.created_at)


def submission_public(found: repo.StoredSubmission, deadline: date | None = None) -> SubmissionPublic:
    s = found.submission
    late = deadline is not None and s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED) \
        and date.today() > deadline
    return SubmissionPublic(
        id=s.id, campaign_id=s.campaign_id, organisation_id=s.organisation_id, municipality_oktmo=s.municipality_oktmo,
        status=s.status, status_title=STATUS_TITLES[s.status],
        values=[ValueIn(field=k, value=v) for k, v in (s.values or {}).items()], version=s.version,
        submitted_at=s.submitted_at, approved_at=found.approved_at, overdue=late, return_comment=s.return_comment,
        returned_by=s.returned_by)


async def _with_deadline(pool: asyncpg.Pool, found: repo.StoredSubmission) -> SubmissionPublic:
    async with pool.acquire() as conn:
        stored = await repo.campaign(conn, found.submission.campaign_id)
    return submission_public(found, stored.campaign.deadline)


@router.post("/campaign-forms", status_code=201, operation_id="createCampaignForm", tags=TAGS,
             summary="Создать форму сбора данных (поля: число, выбор, дата, текст, файл)",
             response_model=FormPublic, response_model_by_alias=True)
async def create_form(data: FormCreate, principal: CurrentPrincipal, pool: Pool):
    return form_public(await handlers.create_form(pool, principal, data))


@router.get("/campaign-forms/{code}", operation_id="getCampaignForm", tags=TAGS, summary="Форма сбора данных",
            response_model=FormPublic, response_model_by_alias=True)
async def get_form(code: str, principal: CurrentPrincipal, pool: Pool):
    return form_public(await handlers.read_form(pool, code))


@router.post("/campaigns", status_code=201, operation_id="createCampaign", tags=TAGS,
             summary="Открыть кампанию: форма, период, срок, респонденты (организации по списку или по видам, "
                     "муниципалитеты)", response_model=CampaignPublic, response_model_by_alias=True)
async def create_campaign(data: CampaignCreate, principal: CurrentPrincipal, pool: Pool):
    stored = await handlers.create_campaign(pool, principal, data)
    return campaign_public(stored, await handlers.read_form(pool, stored.campaign.form_code))


@router.get("/campaigns", operation_id="listCampaigns", tags=TAGS,
            summary="Кампании в области доступа, страница по курсору (по коду)",
            response_model=CampaignPage, response_model_by_alias=True)
async def list_campaigns(principal: CurrentPrincipal, pool: Pool, kind: Literal["report", "survey"] | None = None,
                         period: Annotated[str | None, Query(max_length=16)] = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50, after: Cursor = None):
    seek = decode_cursor(repo.CAMPAIGN_ORDER, after) if after is not None else None
    found, total, more = await handlers.listing(pool, principal, repo.CampaignFilter(kind, period), limit, seek)
    cursor = encode_cursor(repo.CAMPAIGN_ORDER, [found[-1][0].campaign.code, found[-1][0].campaign.id]) \
        if more else None
    return CampaignPage(items=[campaign_public(c, f) for c, f in found], next_cursor=cursor, total_count=total)


@router.get("/campaigns/{campaign_id}", operation_id="getCampaign", tags=TAGS, summary="Кампания",
            response_model=CampaignPublic, response_model_by_alias=True)
async def get_campaign(campaign_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return campaign_public(*await handlers.read_campaign(pool, principal, campaign_id))


@router.post("/campaigns/{campaign_id}/assignments", operation_id="assignCampaign", tags=TAGS,
             summary="Назначить кампанию ещё респондентам (уже назначенные остаются как есть); ответ — сколько "
                     "добавлено")
async def assign(campaign_id: UUID, data: Assignment, principal: CurrentPrincipal, pool: Pool) -> dict:
    return {"added": await handlers.assign(pool, principal, campaign_id, data)}


@router.get("/campaigns/{campaign_id}/submissions", operation_id="listCampaignSubmissions", tags=TAGS,
            summary="Формы респондентов кампании в области доступа, страница по курсору",
            response_model=SubmissionPage, response_model_by_alias=True)
async def list_submissions(campaign_id: UUID, principal: CurrentPrincipal, pool: Pool,
                           municipality: Oktmo | None = None, status: SubmissionStatus | None = None,
                           limit: Annotated[int, Query(ge=1, le=1000)] = 50, after: Cursor = None):
    seek = decode_cursor(repo.SUBMISSION_ORDER, after) if after is not None else None
    found, total, more = await handlers.submissions(pool, principal, campaign_id, municipality,
                                                    status.value if status else None, limit, seek)
    last = found[-1].submission if found else None
    cursor = encode_cursor(repo.SUBMISSION_ORDER, [last.municipality_oktmo, last.id]) if more else None
    deadline = (await handlers.read_campaign(pool, principal, campaign_id))[0].campaign.deadline
    return SubmissionPage(items=[submission_public(s, deadline) for s in found], next_cursor=cursor,
                          total_count=total)


@router.post("/campaigns/{campaign_id}/drafts", operation_id="saveCampaignDraft", tags=TAGS,
             summary="Сохранить черновик формы (обязательные поля можно оставить пустыми; неверные значения — 422 "
                     "по каждому полю)", response_model=SubmissionPublic, response_model_by_alias=True)
async def save_draft(campaign_id: UUID, data: Answers, principal: CurrentPrincipal, pool: Pool):
    return await _with_deadline(pool, await handlers.save_draft(pool, principal, campaign_id, data))


@router.post("/campaigns/{campaign_id}/check", operation_id="checkCampaignForm", tags=TAGS,
             summary="Проверить значения формы, ничего не сохраняя: ошибки по каждому полю",
             response_model=CheckPublic, response_model_by_alias=True)
async def check(campaign_id: UUID, data: Answers, principal: CurrentPrincipal, pool: Pool):
    found, problems = await handlers.check(pool, principal, campaign_id, data)
    return CheckPublic(submission=await _with_deadline(pool, found),
                       problems=[ProblemPublic(field=p.field, message=p.message) for p in problems])


@router.post("/campaigns/{campaign_id}/submissions", operation_id="submitCampaignForm", tags=TAGS,
             summary="Представить форму (422 — ошибки по каждому полю, ничего не сохранено)",
             response_model=SubmissionPublic, response_model_by_alias=True)
async def submit(campaign_id: UUID, data: Answers, principal: CurrentPrincipal, pool: Pool):
    return await _with_deadline(pool, await handlers.submit(pool, principal, campaign_id, data))


@router.post("/campaigns/{campaign_id}/files", status_code=201, operation_id="uploadCampaignFile", tags=TAGS,
             summary="Загрузить файл для поля формы (тип — по содержимому); ответ — ссылка для значения поля",
             response_model=FileRef, response_model_by_alias=True)
async def upload(request: Request, campaign_id: UUID, principal: CurrentPrincipal, pool: Pool,
                 file: Annotated[UploadFile, File(description="Файл")],
                 organisation_id: Annotated[UUID | None, Query(alias="organisationId")] = None,
                 municipality_oktmo: Annotated[Oktmo | None, Query(alias="municipalityOktmo")] = None):
    limit = request.app.state.settings.storage_max_bytes
    data = await file.read(limit + 1)
    kind = checked(data, limit)
    answers = Answers(organisation_id=organisation_id, municipality_oktmo=municipality_oktmo)
    return await handlers.add_file(pool, of_app(request.app.state), principal, campaign_id, answers, data, kind,
                                   file.filename)


@router.get("/campaign-submissions/{submission_id}", operation_id="getCampaignSubmission", tags=TAGS,
            summary="Форма респондента", response_model=SubmissionPublic, response_model_by_alias=True)
async def get_submission(submission_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return await _with_deadline(pool, await handlers.read_submission(pool, principal, submission_id))


@router.post("/campaign-submissions/{submission_id}/approve", operation_id="approveCampaignSubmission", tags=TAGS,
             summary="Согласовать (методист муниципалитета) или принять окончательно (региональный координатор); "
                     "принятые значения становятся фактами показателей",
             response_model=SubmissionPublic, response_model_by_alias=True)
async def approve(submission_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return await _with_deadline(pool, await handlers.approve(pool, principal, submission_id))


@router.post("/campaign-submissions/{submission_id}/return", operation_id="returnCampaignSubmission", tags=TAGS,
             summary="Вернуть форму на доработку с комментарием (после окончательного принятия — только регион; "
                     "факты снимаются)", response_model=SubmissionPublic, response_model_by_alias=True)
async def return_back(submission_id: UUID, data: ReturnIn, principal: CurrentPrincipal, pool: Pool):
    return await _with_deadline(pool, await handlers.return_back(pool, principal, submission_id, data.comment))


@router.get("/campaigns/{campaign_id}/completeness", operation_id="campaignCompleteness", tags=TAGS,
            summary="Полнота представления по муниципалитетам (назначено, представлено, принято) и итог",
            response_model=list[CompletenessPublic], response_model_by_alias=True)
async def completeness(campaign_id: UUID, principal: CurrentPrincipal, pool: Pool):
    view = await handlers.completeness(pool, principal, campaign_id)
    return [CompletenessPublic(municipality_oktmo=r.municipality_oktmo or None, assigned=r.assigned,
                               submitted=r.submitted, approved=r.approved, returned=r.returned, overdue=r.overdue,
                               submitted_share=r.submitted_share) for r in view.rows]


@router.get("/reports/campaigns/{campaign_id}/completeness.xlsx", operation_id="campaignCompletenessReport",
            tags=TAGS, summary="«Полнота представления данных» кампании в xlsx: по муниципалитетам и респондентам")
async def completeness_report(campaign_id: UUID, principal: CurrentPrincipal, pool: Pool):
    view = await handlers.completeness(pool, principal, campaign_id)
    subjects = {r.municipality_oktmo for r in view.rows} | {str(s.organisation_id) for s in view.submissions
                                                             if s.organisation_id}
    async with pool.acquire() as conn:
        known = await names(conn, subjects)
    data = await asyncio.to_thread(completeness_workbook, view.campaign.campaign, view.rows, view.submissions,
                                   view.today, known)
    return xlsx_response(data, file_name(view.campaign.campaign))


@router.post("/campaigns/reminders", operation_id="runCampaignReminders", tags=TAGS,
             summary="Разослать напоминания респондентам (срок близко или прошёл, форма не представлена): "
                     "одно в день каждому, повторный запуск ничего не повторяет",
             response_model=RemindersRun, response_model_by_alias=True)
async def remind(principal: CurrentPrincipal, pool: Pool, day: date | None = None):
    day = day or date.today()
    return RemindersRun(day=day, reminders=await handlers.remind(pool, principal, day))


@router.post("/campaigns/{campaign_id}/responses", status_code=204, operation_id="addSurveyResponse", tags=TAGS,
             summary="Внести анонимный ответ работника на опрос (без сведений о работнике)")
async def respond(campaign_id: UUID, data: SurveyResponseIn, principal: CurrentPrincipal, pool: Pool) -> None:
    await surveys.respond(pool, principal, campaign_id, data)


@router.get("/campaigns/{campaign_id}/results", operation_id="surveyResults", tags=TAGS,
            summary="Итоги опроса: регион, муниципалитеты и организации в области доступа; группы меньше "
                    "минимального размера скрыты", response_model=list[GroupPublic], response_model_by_alias=True)
async def results(campaign_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return [GroupPublic(level=g.level, key=g.key, municipality_oktmo=g.municipality_oktmo, responses=g.responses,
                        suppressed=g.suppressed,
                        fields=[FieldSummaryPublic(field=f.field, answered=f.answered, mean=f.mean, options=f.options)
                                for f in g.fields])
            for g in await surveys.results(pool, principal, campaign_id)]

