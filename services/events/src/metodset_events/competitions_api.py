"""REST entry points of competitions: competitions, stages, nominations, jury, entries, scores, results."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from metodset_contracts.competitions import CompetitionKind
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.documents import display
from metodset_kit.pagination import decode_cursor, next_cursor

from . import competition_diplomas as diplomas
from . import competition_entries as entries
from . import competitions
from . import competitions_repository as repo
from .competitions_schemas import (
    AdvanceRequest,
    CompetitionCreate,
    CompetitionPage,
    CompetitionPublic,
    DiplomaAnswer,
    DiplomasIssue,
    EntryCreate,
    EntryPage,
    EntryPublic,
    JurorAdd,
    NominationCreate,
    NominationPublic,
    ResultPublic,
    ScoresSet,
    SheetPublic,
    StageCreate,
    StagePublic,
)
from .practices_api import After, Limit, Oktmo, Pool

router = APIRouter(tags=["competitions"])
JSON = {"response_model_by_alias": True}


@router.post("/competitions", status_code=201, operation_id="createCompetition", response_model=CompetitionPublic,
             summary="Создать конкурс (региональный — координатор; муниципальный — методист муниципалитета)", **JSON)
async def create(data: CompetitionCreate, principal: CurrentPrincipal, pool: Pool):
    return await competitions.create(pool, principal, data)


@router.get("/competitions", operation_id="listCompetitions", response_model=CompetitionPage,
            summary="Конкурсы по году, виду, муниципалитету; постранично по курсору", **JSON)
async def list_competitions(principal: CurrentPrincipal, pool: Pool, year: Annotated[int | None, Query()] = None,
                            kind: CompetitionKind | None = None, municipality: Oktmo = None, limit: Limit = 50,
                            after: After = None):
    seek = decode_cursor(repo.BY_YEAR, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        rows, total = await repo.competitions_page(conn, year, kind and kind.value, municipality, limit + 1, seek)
        items = await competitions.publics(conn, rows[:limit])
    return CompetitionPage(items=items, next_cursor=next_cursor(repo.BY_YEAR, rows, limit), total_count=total)


@router.get("/competitions/{competition_id}", operation_id="getCompetition", response_model=CompetitionPublic,
            summary="Конкурс: этапы, номинации с критериями, жюри этапов", **JSON)
async def get_competition(competition_id: UUID, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn:
        return await competitions.read(conn, competition_id)


@router.post("/competitions/{competition_id}/stages", status_code=201, operation_id="addCompetitionStage",
             response_model=StagePublic, summary="Добавить этап (уровень; муниципалитет — для школьного и "
                                                 "муниципального)", **JSON)
async def add_stage(competition_id: UUID, data: StageCreate, principal: CurrentPrincipal, pool: Pool):
    return await competitions.add_stage(pool, principal, competition_id, data)


@router.post("/competitions/{competition_id}/nominations", status_code=201, operation_id="addNomination",
             response_model=NominationPublic, summary="Добавить номинацию с критериями оценивания", **JSON)
async def add_nomination(competition_id: UUID, data: NominationCreate, principal: CurrentPrincipal, pool: Pool):
    return await competitions.add_nomination(pool, principal, competition_id, data)


@router.post("/competition-stages/{stage_id}/jurors", status_code=201, operation_id="appointJuror",
             response_model=StagePublic, summary="Включить работника в жюри этапа", **JSON)
async def appoint_juror(stage_id: UUID, data: JurorAdd, principal: CurrentPrincipal, pool: Pool):
    return await competitions.appoint_juror(pool, principal, stage_id, data.person_id)


@router.post("/competition-stages/{stage_id}/entries", status_code=201, operation_id="submitEntry",
             response_model=EntryPublic, summary="Подать заявку на этап (работник или обучающиеся; команда — "
                                                 "несколько участников)", **JSON)
async def submit(stage_id: UUID, data: EntryCreate, principal: CurrentPrincipal, pool: Pool):
    return await entries.submit(pool, principal, stage_id, data)


@router.get("/competition-stages/{stage_id}/entries", operation_id="listEntries", response_model=EntryPage,
            summary="Заявки этапа, видимые вызывающему (чтение данных обучающихся журналируется)", **JSON)
async def list_entries(stage_id: UUID, principal: CurrentPrincipal, pool: Pool, limit: Limit = 50,
                       after: After = None):
    seek = decode_cursor(repo.ENTRIES, after) if after is not None else None
    async with pool.acquire() as conn, conn.transaction():
        stage = await entries.stage_or_missing(conn, stage_id)
        scope = entries.entries_scope(principal, stage, await entries.judges(conn, principal, stage_id))
        rows, total = await repo.entries_page(conn, stage_id, scope, limit + 1,
                                              seek)
        items = await entries.audited(conn, principal, rows[:limit], "listEntries")
    return EntryPage(items=items, next_cursor=next_cursor(repo.ENTRIES, rows, limit), total_count=total)


@router.get("/competition-entries/{entry_id}", operation_id="getEntry", response_model=EntryPublic,
            summary="Заявка с участниками (вне области видимости — как несуществующая)", **JSON)
async def get_entry(entry_id: UUID, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn, conn.transaction():
        return await entries.read(conn, principal, entry_id)


@router.post("/competition-entries/{entry_id}/scores", operation_id="scoreEntry", response_model=SheetPublic,
             summary="Баллы члена жюри по критериям (член жюри из организации участника отклоняется)",
             description="Вносят проводящие этап — за любого члена жюри, или сам член жюри, вошедший как педагог "
                         "(роль pedagogue, токен называет его person), — только свои оценки, пока итоги не "
                         "опубликованы. Член жюри видит заявки своего этапа.", **JSON)
async def score(entry_id: UUID, data: ScoresSet, principal: CurrentPrincipal, pool: Pool):
    return await entries.score(pool, principal, entry_id, data.juror_id, data.scores)


@router.post("/competition-stages/{stage_id}/publish", operation_id="publishCompetitionResults",
             response_model=list[ResultPublic], summary="Подвести и опубликовать итоги этапа (места, статусы)",
             **JSON)
async def publish(stage_id: UUID, principal: CurrentPrincipal, pool: Pool):
    return await entries.publish(pool, principal, stage_id)


@router.get("/competition-stages/{stage_id}/results", operation_id="competitionResults",
            response_model=list[ResultPublic], summary="Опубликованные итоги этапа (без имён)", **JSON)
async def results(stage_id: UUID, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn:
        return await entries.results(conn, stage_id)


@router.post("/competition-stages/{stage_id}/advance", operation_id="advanceEntries", response_model=list[EntryPublic],
             summary="Выдвинуть победителей (и кого велит правило) на следующий этап", **JSON)
async def advance(stage_id: UUID, data: AdvanceRequest, principal: CurrentPrincipal, pool: Pool):
    return await entries.advance(pool, principal, stage_id, data.to_stage_id)


@router.post("/competition-stages/{stage_id}/diplomas", operation_id="issueCompetitionDiplomas",
             response_model=list[DiplomaAnswer], summary="Выдать дипломы победителям и призёрам опубликованного этапа "
                                                         "(PDF с кодом проверки: GET /certificates/{code})", **JSON)
async def issue_diplomas(stage_id: UUID, data: DiplomasIssue, request: Request, principal: CurrentPrincipal,
                         pool: Pool):
    settings = request.app.state.settings
    names = {str(n.person_id): n.full_name for n in data.names}
    async with pool.acquire() as conn, conn.transaction():
        return await diplomas.issue(conn, principal, stage_id, names, settings.region_name,
                                    lambda code: settings.certificate_url.format(code=display(code)))


@router.get("/competition-entries/{entry_id}/diplomas/{holder}.pdf", operation_id="competitionDiplomaPdf",
            response_class=Response, summary="Диплом участника заявки (PDF)",
            responses={200: {"content": {"application/pdf": {}}}, 404: {"description": "Нет диплома"}})
async def diploma_pdf(entry_id: UUID, holder: str, principal: CurrentPrincipal, pool: Pool):
    async with pool.acquire() as conn:
        document_id, data = await diplomas.pdf(conn, principal, entry_id, holder)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="diploma-{document_id}.pdf"'})
