"""REST entry points of the All-Russian school olympiad: stages, passing scores, results (uploaded protocols
as import jobs, or entered), appeals, protocol versions, admission lists and the next stage's participants."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from metodset_contracts.olympiads import REASON_TITLES, STAGE_TITLES, STATUS_TITLES, OlympiadStageLevel
from metodset_kit import audit
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import RowsRejected, visible_or_missing
from metodset_kit.pagination import MAX_CURSOR_LENGTH, decode_cursor, next_cursor
from metodset_kit.tabular import jobs
from metodset_kit.tabular.api import ImportJobPublic

from . import olympiads
from . import olympiads_repository as repo
from .domain import olympiads as rules
from .domain.olympiad_rule import StatusRule
from .domain.olympiads import OlympiadStage, StageGrade
from .imports import IMPORTS
from .olympiads_import import COLUMNS, TASKS, write_lines
from .olympiads_schemas import (
    AdmissionPage,
    AdmissionPublic,
    AdmitOutcome,
    AppealIn,
    AppealPublic,
    GradePublic,
    ParticipantPublic,
    PassingScoreSet,
    ProtocolPublic,
    ResultIn,
    ResultPage,
    ResultPublic,
    ResultsIn,
    StageCreate,
    StagePage,
    StagePublic,
    WriteOutcome,
)

router = APIRouter(prefix="/olympiads", tags=["olympiads"])
Limit = Annotated[int, Query(ge=1, le=1000)]
After = Annotated[str | None, Query(description="nextCursor предыдущей страницы", max_length=MAX_CURSOR_LENGTH)]


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def stage_public(row: asyncpg.Record, grades: list[asyncpg.Record]) -> StagePublic:
    level = OlympiadStageLevel(row["level"])
    return StagePublic(
        id=row["id"], year=row["year"], subject=row["subject"], subject_title=rules.olympiad_subjects().get(
            row["subject"]), stage=level, stage_title=STAGE_TITLES[level], municipality_oktmo=row["municipality_oktmo"],
        grades=[GradePublic(grade=g["grade"], max_score=g["max_score"], passing_score=g["passing_score"])
                for g in grades],
        rule=row["rule"], starts_on=row["starts_on"], ends_on=row["ends_on"], venue=row["venue"],
        protocol_version=row["protocol_version"], changed_since_publication=row["changed_since_publication"],
        version=row["version"])


async def _stage(pool: asyncpg.Pool, stage_id: UUID) -> StagePublic:
    async with pool.acquire() as conn:
        row = await repo.stage_row(conn, stage_id)
        if row is None:
            raise olympiads.missing(stage_id)
        return stage_public(row, (await repo.grades(conn, [stage_id]))[stage_id])


@router.post("/stages", status_code=201, operation_id="createOlympiadStage", response_model=StagePublic,
             response_model_by_alias=True,
             summary="Открыть этап олимпиады (школьный и муниципальный — методист муниципалитета, региональный — "
                     "координатор)")
async def create_stage(data: StageCreate, principal: CurrentPrincipal, pool: Pool):
    rule = StatusRule.of(data.rule and {k: str(v) for k, v in data.rule.model_dump(by_alias=True,
                                                                                     exclude_none=True).items()})
    stage = OlympiadStage(data.year, data.subject, data.stage, data.municipality_oktmo,
                          tuple(StageGrade(g.grade, g.max_score) for g in data.grades), rule)
    stage_id = await olympiads.open_stage(pool, principal, stage, data.starts_on, data.ends_on, data.venue)
    return await _stage(pool, stage_id)


@router.get("/stages", operation_id="listOlympiadStages", response_model=StagePage, response_model_by_alias=True,
            summary="Этапы олимпиады: по году, предмету, этапу, постранично")
async def list_stages(principal: CurrentPrincipal, pool: Pool,
                      year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                      subject: Annotated[str | None, Query(max_length=64)] = None,
                      stage: OlympiadStageLevel | None = None, limit: Limit = 50, after: After = None):
    seek = decode_cursor(repo.STAGES, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows, total = await repo.stages(conn, year, subject, stage and stage.value, limit + 1, seek)
        grades = await repo.grades(conn, [r["id"] for r in rows[:limit]])
    return StagePage(items=[stage_public(r, grades[r["id"]]) for r in rows[:limit]],
                     next_cursor=next_cursor(repo.STAGES, rows, limit), total_count=total)


@router.get("/stages/{stage_id}", operation_id="getOlympiadStage", response_model=StagePublic,
            response_model_by_alias=True, summary="Этап олимпиады: классы, максимальные и проходные баллы, правило")
async def get_stage(stage_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return await _stage(pool, stage_id)


@router.put("/stages/{stage_id}/grades/{grade}/passing-score", operation_id="setOlympiadPassingScore",
            response_model=StagePublic, response_model_by_alias=True,
            summary="Проходной балл класса на следующий этап (устанавливает организатор следующего этапа)")
async def set_passing_score(stage_id: UUID, grade: int, data: PassingScoreSet, principal: CurrentPrincipal,
                            pool: Pool):
    await olympiads.set_passing_score(pool, principal, stage_id, grade, data.score)
    return await _stage(pool, stage_id)


@router.post("/stages/{stage_id}/results", status_code=202, operation_id="importOlympiadResults",
             response_model=ImportJobPublic, tags=["imports"],
             summary="Загрузить протокол (xlsx или csv по шаблону olympiad-results): импорт выполняется заданием",
             description="Ответ 202 с заданием; ход и ошибки по строкам — GET /imports/{id}. Режимы: ALL_OR_NOTHING, "
                         "VALID_ROWS. Повторная загрузка того же файла ничего не меняет.")
async def import_results(request: Request, stage_id: UUID, principal: CurrentPrincipal,
                         mode: Annotated[jobs.Mode, Query()],
                         file: Annotated[UploadFile, File(description="Файл xlsx или csv")]):
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        await olympiads.managed(conn, principal, stage_id)
    return await IMPORTS.upload(request, principal, "olympiad-results", mode, file, target=str(stage_id))


_FIELDS = {"code": "participantCode", "lastName": "lastName", "firstName": "firstName", "patronymic": "patronymic",
           "inn": "organisationInn", "studyGrade": "studyGrade", "grade": "grade", "score": "score",
           "group": "rankingGroup"}
_FIELD_OF = {c.caption: _FIELDS.get(c.key, "tasks") for c in COLUMNS}  # a row error's column → the JSON field


def _values(r: ResultIn) -> dict:
    tasks = {f"task{i + 1}": t for i, t in enumerate(r.tasks[:TASKS])}
    return {"code": r.participant_code, "lastName": r.last_name, "firstName": r.first_name,
            "patronymic": r.patronymic, "inn": r.organisation_inn, "studyGrade": r.study_grade, "grade": r.grade,
            "score": r.score, "group": r.ranking_group, **tasks}


@router.post("/stages/{stage_id}/results/entries", operation_id="enterOlympiadResults",
             response_model=WriteOutcome, response_model_by_alias=True,
             summary="Внести результаты вручную: всё или ничего, каждая ошибочная строка названа")
async def enter_results(stage_id: UUID, data: ResultsIn, principal: CurrentPrincipal, pool: Pool):
    codes = [r.participant_code for r in data.results]
    if len(set(codes)) != len(codes):
        raise RowsRejected([{"loc": ["body", "results", i, "participantCode"], "msg": "Код участника повторяется",
                             "type": "duplicate"} for i, c in enumerate(codes) if codes.index(c) != i])
    async with pool.acquire() as conn, conn.transaction():
        _, stage = await olympiads.managed(conn, principal, stage_id)
        outcome = await write_lines(conn, stage_id, stage, [(i, _values(r)) for i, r in enumerate(data.results)])
        if outcome.errors:
            raise RowsRejected([{"loc": ["body", "results", e.row, _FIELD_OF.get(e.column, "results")],
                                 "msg": e.message, "type": "invalid"} for e in outcome.errors])
        await olympiads.recompute(conn, stage_id, stage)
    return WriteOutcome(created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged)


@router.get("/stages/{stage_id}/results", operation_id="listOlympiadResults", response_model=ResultPage,
            response_model_by_alias=True,
            summary="Результаты этапа (код, организация, класс, балл, статус — без ФИО) в пределах своей области")
async def list_results(stage_id: UUID, principal: CurrentPrincipal, pool: Pool, limit: Limit = 50,
                       after: After = None):
    seek = decode_cursor(repo.BY_GRADE_CODE, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        await olympiads.loaded(conn, stage_id)
        rows, total = await repo.results_page(conn, stage_id, olympiads.visibility(principal), limit + 1, seek)
    items = [ResultPublic(participant_code=r["code"], organisation_id=r["organisation_id"],
                          organisation_name=r["organisation_name"], grade=r["grade"], ranking_group=r["ranking_group"],
                          score=r["score"], status=r["status"], status_title=STATUS_TITLES[r["status"]])
             for r in rows[:limit]]
    return ResultPage(items=items, next_cursor=next_cursor(repo.BY_GRADE_CODE, rows, limit), total_count=total)


def _appeal(r: asyncpg.Record) -> AppealPublic:
    return AppealPublic(id=r["id"], participant_code=r["code"], grade=r["grade"], previous_score=r["previous_score"],
                        score=r["score"], previous_status=r["previous_status"], status=r["status"],
                        reason=r["reason"], after_version=r["after_version"])


@router.get("/stages/{stage_id}/participants/{code}", operation_id="getOlympiadParticipant",
            response_model=ParticipantPublic, response_model_by_alias=True,
            summary="Участник этапа с ФИО, баллами по заданиям и историей апелляций (в своей области; в журнал)")
async def get_participant(stage_id: UUID, code: str, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn, conn.transaction():
        found = await repo.result(conn, stage_id, code)
        missing = olympiads.NotFound("code", f"Участник {code[:40]} на этапе не найден", where="path")
        visible_or_missing(found is not None and rules.sees_participant(
            principal, found["municipality_oktmo"], str(found["organisation_id"])), missing)
        pupil = await repo.student(conn, code)
        history = await repo.appeals(conn, stage_id, code)
        await audit.record_read(conn, principal, "olympiad_participant", [code], "getOlympiadParticipant")
    return ParticipantPublic(participant_code=code, last_name=pupil["last_name"], first_name=pupil["first_name"],
                             patronymic=pupil["patronymic"], organisation_id=found["organisation_id"],
                             study_grade=found["study_grade"], grade=found["grade"], score=found["score"],
                             tasks=list(found["tasks"]), status=found["status"], appeals=[_appeal(a) for a in history])


@router.post("/stages/{stage_id}/appeals", status_code=201, operation_id="resolveOlympiadAppeal",
             response_model=AppealPublic, response_model_by_alias=True,
             summary="Решение апелляции: новый балл с основанием; статусы и список допуска пересчитываются")
async def resolve_appeal(stage_id: UUID, data: AppealIn, principal: CurrentPrincipal, pool: Pool):
    return _appeal(await olympiads.resolve_appeal(pool, principal, stage_id, data.participant_code, data.new_score,
                                                  data.reason))


@router.post("/stages/{stage_id}/protocol", status_code=201, operation_id="publishOlympiadProtocol",
             response_model=ProtocolPublic, response_model_by_alias=True,
             summary="Опубликовать протокол: новая зафиксированная версия (после апелляций — следующая)")
async def publish_protocol(stage_id: UUID, principal: CurrentPrincipal, pool: Pool):
    version, count = await olympiads.publish_protocol(pool, principal, stage_id)
    return ProtocolPublic(version=version, participants=count)


@router.get("/stages/{stage_id}/admission", operation_id="listOlympiadAdmission", response_model=AdmissionPage,
            response_model_by_alias=True,
            summary="Список допущенных к следующему этапу с причиной (проходной балл или статус прошлого года)")
async def list_admission(stage_id: UUID, principal: CurrentPrincipal, pool: Pool, limit: Limit = 50,
                         after: After = None):
    seek = decode_cursor(repo.ADMITTED, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        await olympiads.loaded(conn, stage_id)
        rows, total = await repo.admission_page(conn, stage_id, olympiads.visibility(principal), limit + 1, seek)
    items = [AdmissionPublic(participant_code=r["code"], organisation_id=r["organisation_id"], grade=r["grade"],
                             score=r["score"], reason=r["reason"], reason_title=REASON_TITLES[r["reason"]])
             for r in rows[:limit]]
    return AdmissionPage(items=items, next_cursor=next_cursor(repo.ADMITTED, rows, limit), total_count=total)


@router.post("/stages/{stage_id}/participants/from-admission", operation_id="admitOlympiadParticipants",
             response_model=AdmitOutcome, response_model_by_alias=True,
             summary="Внести участников этапа из списков допуска предыдущего этапа (повторно — только новых)")
async def admit(stage_id: UUID, principal: CurrentPrincipal, pool: Pool):
    added, admitted = await olympiads.admit_participants(pool, principal, stage_id)
    return AdmitOutcome(added=added, admitted=admitted)
