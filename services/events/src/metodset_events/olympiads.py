"""Use cases of the All-Russian school olympiad, each in one transaction with its outbox events
(events.olympiads.v1: identifiers, codes and numbers, never a pupil's name).

Statuses are computed by the stage's rule and recomputed on every change of a score; the admission list to
the next stage is recomputed with them and on every change of a passing score. A published protocol version
is frozen: a later appeal (or import) changes the working results and statuses, marks the stage changed since
publication, and the next publication makes a new version."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from metodset_contracts.olympiads import (
    OlympiadAdmitted,
    OlympiadAppealResolved,
    OlympiadOrganisationTally,
    OlympiadProtocolPublished,
    OlympiadStageOpened,
    OlympiadStatus,
)
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal, Role

from . import olympiads_repository as repo
from .domain import olympiads as rules
from .domain.olympiad_rule import statuses
from .domain.olympiads import OlympiadRuleError, OlympiadStage

SOURCE = "urn:metodset:events"
REFUSED = ("Школьный и муниципальный этапы ведёт методист муниципалитета, региональный и заключительный — "
           "региональный координатор")
REFUSED_PASSING = "Проходной балл устанавливает организатор следующего этапа"


def missing(stage_id: UUID) -> NotFound:
    return NotFound("id", f"Этап олимпиады {stage_id} не найден", where="path")


def refusal(exc: OlympiadRuleError) -> DomainError:
    return DomainError(exc.field, str(exc), exc.code)


def events(stage_id: UUID, facts: Sequence) -> list:
    at = now()
    return [outgoing(f, source=SOURCE, subject=f"olympiad-stage/{stage_id}", key=str(stage_id), time=at)
            for f in facts]


def stage_facts(stage_id: UUID, stage: OlympiadStage) -> dict:
    return {"stage_id": stage_id, "year": stage.year, "subject": stage.subject, "stage": stage.level,
            "municipality_oktmo": stage.municipality_oktmo}


def visibility(principal: Principal) -> tuple[bool, str | None, str | None]:
    """(sees all, the municipality, the organisation) whose pupils' rows the caller reads."""
    everything = principal.role in (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE)
    return everything, principal.municipality, principal.organisation


async def open_stage(pool: asyncpg.Pool, principal: Principal, stage: OlympiadStage, starts_on=None, ends_on=None,
                     venue: str = "") -> UUID:
    try:
        rules.check_stage(stage)
    except OlympiadRuleError as exc:
        raise refusal(exc) from None
    if not rules.may_run(principal, stage.level, stage.municipality_oktmo):
        raise Forbidden(REFUSED)
    stage_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        if await repo.stage_exists(conn, stage):
            raise Conflict("stage", "Такой этап уже открыт (год, предмет, этап, муниципалитет)", "duplicate")
        await repo.insert_stage(conn, stage_id, stage, principal.subject, starts_on, ends_on, venue)
        opened = OlympiadStageOpened(**stage_facts(stage_id, stage), grades=[g.grade for g in stage.grades])
        await outbox.add(conn, events(stage_id, [opened]))
    return stage_id


async def loaded(conn: asyncpg.Connection, stage_id: UUID, lock: bool = False) -> tuple[asyncpg.Record, OlympiadStage]:
    row = await repo.stage_row(conn, stage_id, lock=lock)
    if row is None:
        raise missing(stage_id)
    return row, repo.stage_of(row, (await repo.grades(conn, [stage_id]))[stage_id])


async def managed(conn: asyncpg.Connection, principal: Principal, stage_id: UUID) -> tuple[asyncpg.Record,
                                                                                           OlympiadStage]:
    """The stage locked for a change by one who runs it; others are refused (403: stages are public)."""
    row, stage = await loaded(conn, stage_id, lock=True)
    if not rules.may_run(principal, stage.level, stage.municipality_oktmo):
        raise Forbidden(REFUSED)
    return row, stage


async def set_passing_score(pool: asyncpg.Pool, principal: Principal, stage_id: UUID, grade: int,
                            score: Decimal) -> None:
    async with pool.acquire() as conn, conn.transaction():
        _, stage = await loaded(conn, stage_id, lock=True)
        if not rules.may_set_passing_score(principal, stage):
            raise Forbidden(REFUSED_PASSING)
        try:
            rules.passing_score(stage, grade, score)
        except OlympiadRuleError as exc:
            raise refusal(exc) from None
        await repo.set_passing_score(conn, stage_id, grade, score)
        _, stage = await loaded(conn, stage_id)
        await recompute_admission(conn, stage_id, stage, grade)


async def recompute(conn: asyncpg.Connection, stage_id: UUID, stage: OlympiadStage, grade: int | None = None) -> None:
    """Statuses of the whole stage (or one grade) by its rule, then its admission list."""
    rows = await repo.scores(conn, stage_id, grade)
    groups: dict[tuple, dict] = defaultdict(dict)
    for r in rows:
        groups[(r["grade"], r["ranking_group"])][r["code"]] = r["score"]
    current = {r["code"]: r["status"] for r in rows}
    changed = []
    for (g, _), scores in groups.items():
        for code, status in statuses(scores, stage.grade(g).max_score, stage.rule).items():
            if current[code] != status.value:
                changed.append((code, status.value))
    await repo.set_statuses(conn, stage_id, changed)
    await recompute_admission(conn, stage_id, stage, grade)


async def recompute_admission(conn: asyncpg.Connection, stage_id: UUID, stage: OlympiadStage,
                              grade: int | None = None) -> None:
    """The admission list, whole or of one grade: a change in one grade (a passing score, an appeal) leaves the
    others as they are; last year's winners (few) are always taken with all their results."""
    following = rules.NEXT[stage.level]
    if following is None:
        return
    past = await repo.last_year_awards(conn, stage, following.value)
    codes = [p["code"] for p in past]
    rows = await repo.admission_candidates(conn, stage_id, grade, codes)
    places = {r["code"]: (r["organisation_id"], r["municipality_oktmo"]) for r in rows}
    places.update({p["code"]: (p["organisation_id"], p["municipality_oktmo"]) for p in past})
    results = [rules.Result(r["code"], r["grade"], r["score"], r["ranking_group"]) for r in rows]
    awards = [rules.PastAward(p["code"], p["study_grade"], OlympiadStatus(p["status"])) for p in past]
    admitted = rules.admission(results, {g.grade: g.passing_score for g in stage.grades}, awards)
    if grade is not None:
        touched = set(codes)
        admitted = [a for a in admitted if a.grade == grade or a.code in touched]
    await repo.replace_admission(conn, stage_id, [(a.code, a.grade, a.score, a.reason.value, *places[a.code])
                                                  for a in admitted], grade, codes if grade is not None else ())


async def resolve_appeal(pool: asyncpg.Pool, principal: Principal, stage_id: UUID, code: str, score: Decimal,
                         reason: str) -> asyncpg.Record:
    async with pool.acquire() as conn, conn.transaction():
        row, stage = await managed(conn, principal, stage_id)
        found = await repo.result(conn, stage_id, code, lock=True)
        if found is None:
            raise NotFound("participantCode", f"Участник {code} на этапе не найден")
        try:
            appeal = rules.appeal(stage.grade(found["grade"]), code, found["score"], score, reason)
        except OlympiadRuleError as exc:
            raise refusal(exc) from None
        await repo.set_score(conn, stage_id, code, appeal.score)
        await recompute(conn, stage_id, stage, found["grade"])
        status = (await repo.result(conn, stage_id, code))["status"]
        await repo.touch(conn, stage_id)
        saved = await repo.add_appeal(conn, stage_id, found["grade"], appeal, found["status"], status,
                                      row["protocol_version"], principal.subject)
        fact = OlympiadAppealResolved(**stage_facts(stage_id, stage), participant_code=code, grade=found["grade"],
                                      previous_score=found["score"], score=appeal.score, status=status)
        await outbox.add(conn, events(stage_id, [fact]))
        return saved


async def publish_protocol(pool: asyncpg.Pool, principal: Principal, stage_id: UUID) -> tuple[int, int]:
    """A new frozen version of the protocol: (version, participants)."""
    async with pool.acquire() as conn, conn.transaction():
        row, stage = await managed(conn, principal, stage_id)
        if row["protocol_version"] > 0 and not row["changed_since_publication"]:
            raise Conflict("id", f"Протокол уже опубликован (версия {row['protocol_version']}) и с тех пор не "
                                 "менялся", "unchanged")
        version = row["protocol_version"] + 1
        count = await repo.publish(conn, stage_id, version, principal.subject)
        rows = await repo.protocol_rows(conn, stage_id, version)
        winners = sum(1 for r in rows if r["status"] == OlympiadStatus.WINNER)
        prize = sum(1 for r in rows if r["status"] == OlympiadStatus.PRIZE_WINNER)
        tallies = [OlympiadOrganisationTally(**t) for t in await repo.protocol_tallies(conn, stage_id, version)]
        fact = OlympiadProtocolPublished(**stage_facts(stage_id, stage), protocol_version=version,
                                         participants=count, winners=winners, prize_winners=prize,
                                         organisations=tallies)
        await outbox.add(conn, events(stage_id, [fact]))
        return version, count


async def admit_participants(pool: asyncpg.Pool, principal: Principal, stage_id: UUID) -> tuple[int, int]:
    """The stage's participants from the admission lists of the previous level's stages: (added, admitted)."""
    async with pool.acquire() as conn, conn.transaction():
        _, stage = await managed(conn, principal, stage_id)
        previous = next((lv for lv, nxt in rules.NEXT.items() if nxt == stage.level), None)
        if previous is None:
            raise Conflict("id", "Школьный этап — первый: участников вносят протоколом", "first_stage")
        admitted = [a for a in await repo.admitted_from(conn, stage, previous.value)
                    if stage.grade(a["grade"]) is not None]
        added = set(await repo.add_participants(conn, stage_id, [
            (a["code"], a["organisation_id"], a["municipality_oktmo"], min(a["study_grade"], a["grade"]), a["grade"])
            for a in admitted]))
        facts = [OlympiadAdmitted(**stage_facts(stage_id, stage), participant_code=a["code"],
                                  from_stage_id=a["from_stage_id"], grade=a["grade"], score=a["score"],
                                  reason=a["reason"]) for a in admitted if a["code"] in added]
        await outbox.add(conn, events(stage_id, facts))
        return len(added), len(admitted)
