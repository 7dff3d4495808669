"""Use cases of competitions: the competition, its stages, nominations with their rubric, and the jury.

Competitions, stages and nominations are public to any authenticated caller (like an event's programme); the
entries with their entrants are scoped (competition_entries.py). Who runs what: the coordinator creates the
region's competitions and runs its regional and federal stages; a municipal methodist creates their
municipality's competitions and runs the school and municipal stages of their municipality."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from metodset_contracts.competitions import FORMAT_TITLES, LEVEL_TITLES, StageLevel
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.scope import Principal

from . import competitions_repository as repo
from . import projection
from .competitions_schemas import (
    AwardRuleShape,
    CompetitionCreate,
    CompetitionPublic,
    CriterionPublic,
    NominationCreate,
    NominationPublic,
    StageCreate,
    StagePublic,
)
from .domain import competitions as rules
from .domain.competitions import AwardRule, CompetitionRuleError, Criterion, Tier

REFUSED_COMPETITION = ("Вести региональный конкурс может региональный координатор, муниципальный — методист "
                       "этого муниципалитета")
REFUSED_STAGE = ("Этап ведёт региональный координатор (региональный и федеральный) или методист муниципалитета "
                 "этапа (школьный и муниципальный)")


def refusal(exc: CompetitionRuleError) -> DomainError:
    cls = Conflict if exc.code in ("duplicate", "level", "unscored", "conflict", "closed") else DomainError
    return cls(exc.field, str(exc), exc.code)


def missing_competition(competition_id: UUID) -> NotFound:
    return NotFound("id", f"Конкурс {competition_id} не найден", where="path")


def missing_stage(stage_id: UUID) -> NotFound:
    return NotFound("stageId", f"Этап конкурса {stage_id} не найден", where="path")


# --- configuration -----------------------------------------------------------------------------------------

def award_rule(shape: AwardRuleShape) -> AwardRule:
    def tier(t) -> Tier:
        return Tier(places=t.places, share=t.share)
    try:
        return AwardRule(tier(shape.winners), tier(shape.prize_winners), tier(shape.laureates),
                         frozenset(shape.advance)).validate()
    except CompetitionRuleError as exc:
        raise refusal(exc) from None


def rule_of(stored: dict) -> AwardRule:
    return award_rule(AwardRuleShape.model_validate(stored))


def criteria_of(stored: list[dict]) -> tuple[Criterion, ...]:
    return tuple(Criterion(c["code"], c["title"], Decimal(str(c["maxPoints"]))) for c in stored)


# --- shapes ------------------------------------------------------------------------------------------------

def stage_public(row: asyncpg.Record) -> StagePublic:
    level = StageLevel(row["level"])
    return StagePublic(id=row["id"], competition_id=row["competition_id"], level=level, level_title=LEVEL_TITLES[level],
                       municipality_oktmo=row["municipality_oktmo"], starts_on=row["starts_on"],
                       ends_on=row["ends_on"], status=row["status"], juror_ids=list(row["juror_ids"]),
                       published_at=row["published_at"])


def nomination_public(row: asyncpg.Record) -> NominationPublic:
    return NominationPublic(id=row["id"], title=row["title"], criteria=[
        CriterionPublic(code=c.code, title=c.title, max_points=c.max_points) for c in criteria_of(row["criteria"])])


async def publics(conn: asyncpg.Connection, rows: Sequence[asyncpg.Record]) -> list[CompetitionPublic]:
    ids = [r["id"] for r in rows]
    stages = await repo.stages_of(conn, ids)
    nominations = await repo.nominations_of(conn, ids)
    out = []
    for r in rows:
        out.append(CompetitionPublic(
            id=r["id"], title=r["title"], kind=r["kind"], format=r["format"],
            format_title=FORMAT_TITLES[r["format"]], year=r["year"], municipality_oktmo=r["municipality_oktmo"],
            aggregation=r["aggregation"],
            award_rule=AwardRuleShape.model_validate(r["award_rule"]),
            stages=[stage_public(s) for s in stages if s["competition_id"] == r["id"]],
            nominations=[nomination_public(n) for n in nominations if n["competition_id"] == r["id"]],
            created_at=r["created_at"]))
    return out


async def read(conn: asyncpg.Connection, competition_id: UUID) -> CompetitionPublic:
    row = await repo.competition(conn, competition_id)
    if row is None:
        raise missing_competition(competition_id)
    return (await publics(conn, [row]))[0]


# --- use cases ---------------------------------------------------------------------------------------------

def _may_manage(principal: Principal, competition_oktmo: str | None) -> bool:
    if competition_oktmo is None:
        return principal.may_manage_region()
    return principal.may_manage_municipality(competition_oktmo)


async def create(pool: asyncpg.Pool, principal: Principal, data: CompetitionCreate) -> CompetitionPublic:
    if not _may_manage(principal, data.municipality_oktmo):
        raise Forbidden(REFUSED_COMPETITION)
    award_rule(data.award_rule)  # refused here when the rule does not hold together
    competition_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await repo.insert_competition(conn, {
            "id": competition_id, "title": data.title, "kind": data.kind.value, "format": data.format.value,
            "year": data.year, "municipality_oktmo": data.municipality_oktmo, "aggregation": data.aggregation.value,
            "award_rule": data.award_rule.model_dump(mode="json", by_alias=True), "created_by": principal.subject})
        return await read(conn, competition_id)


async def _competition(conn: asyncpg.Connection, competition_id: UUID) -> asyncpg.Record:
    row = await repo.competition(conn, competition_id)
    if row is None:
        raise missing_competition(competition_id)
    return row


async def add_stage(pool: asyncpg.Pool, principal: Principal, competition_id: UUID, data: StageCreate) -> StagePublic:
    async with pool.acquire() as conn, conn.transaction():
        competition = await _competition(conn, competition_id)
        try:
            rules.stage_area_checked(data.level, data.municipality_oktmo)
        except CompetitionRuleError as exc:
            raise refusal(exc) from None
        own = competition["municipality_oktmo"]
        if own is not None and data.municipality_oktmo != own:
            raise DomainError("municipalityOktmo", "Этапы муниципального конкурса проходят в его муниципалитете")
        if not rules.may_run_stage(principal, data.level, data.municipality_oktmo):
            raise Forbidden(REFUSED_STAGE)
        if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
            raise DomainError("endsOn", "Этап не может закончиться раньше, чем начался")
        stage_id = uuid.uuid4()
        try:
            async with conn.transaction():
                await repo.insert_stage(conn, {"id": stage_id, "competition_id": competition_id,
                                               "level": data.level.value, "municipality_oktmo": data.municipality_oktmo,
                                               "starts_on": data.starts_on, "ends_on": data.ends_on,
                                               "created_by": principal.subject})
        except asyncpg.UniqueViolationError:
            raise Conflict("level", f"Этап «{LEVEL_TITLES[data.level]}» у конкурса уже есть"
                                    + (f" (муниципалитет {data.municipality_oktmo})" if data.municipality_oktmo
                                       else ""), "duplicate") from None
        return stage_public(await _stage_with_jurors(conn, stage_id))


async def _stage_with_jurors(conn: asyncpg.Connection, stage_id: UUID) -> asyncpg.Record:
    stage = await repo.stage(conn, stage_id)
    return next(s for s in await repo.stages_of(conn, [stage["competition_id"]]) if s["id"] == stage_id)


async def add_nomination(pool: asyncpg.Pool, principal: Principal, competition_id: UUID,
                         data: NominationCreate) -> NominationPublic:
    async with pool.acquire() as conn, conn.transaction():
        competition = await _competition(conn, competition_id)
        if not _may_manage(principal, competition["municipality_oktmo"]):
            raise Forbidden(REFUSED_COMPETITION)
        try:
            criteria = rules.rubric([Criterion(c.code, c.title, c.max_points) for c in data.criteria])
        except CompetitionRuleError as exc:  # a request that contradicts itself: 422, whatever the rule's code
            raise DomainError(exc.field, str(exc), exc.code) from None
        nomination_id = uuid.uuid4()
        try:
            async with conn.transaction():
                await repo.insert_nomination(conn, nomination_id, competition_id, data.title, [
                    {"code": c.code, "title": c.title, "maxPoints": str(c.max_points)} for c in criteria])
        except asyncpg.UniqueViolationError:
            raise Conflict("title", f"Номинация «{data.title}» в конкурсе уже есть", "duplicate") from None
        return nomination_public(await repo.nomination(conn, nomination_id))


async def run_stage(conn: asyncpg.Connection, principal: Principal, stage_id: UUID, *, lock: bool = False,
                    open_only: bool = True, may: Callable[[bool], bool] = bool,
                    refused: str = REFUSED_STAGE) -> asyncpg.Record:
    """The stage, when the caller runs it (and, for changes, while it is open). `may` decides from whether the
    caller runs the stage (a juror entering their own sheet may without running it); `refused` says why not."""
    stage = await repo.stage(conn, stage_id, lock=lock)
    if stage is None:
        raise missing_stage(stage_id)
    if not may(rules.may_run_stage(principal, StageLevel(stage["level"]), stage["municipality_oktmo"])):
        raise Forbidden(refused)
    if open_only and stage["status"] != "open":
        raise Conflict("stageId", "Итоги этапа опубликованы: изменения закрыты", "closed")
    return stage


async def appoint_juror(pool: asyncpg.Pool, principal: Principal, stage_id: UUID, person_id: UUID) -> StagePublic:
    async with pool.acquire() as conn, conn.transaction():
        await run_stage(conn, principal, stage_id, lock=True)
        if person_id not in await projection.known_persons(conn, [person_id]):
            raise DomainError("personId", f"Работник {person_id} не найден в реестре", "unknown")
        if not (await projection.current_employments(conn, [person_id]))[person_id]:
            raise DomainError("personId", "У работника нет действующего места работы: конфликт интересов "
                                          "не проверить", "no_employment")
        if not await repo.add_juror(conn, stage_id, person_id, principal.subject):
            raise Conflict("personId", "Работник уже в составе жюри этапа", "duplicate")
        return stage_public(await _stage_with_jurors(conn, stage_id))
