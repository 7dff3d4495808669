"""Use cases of competition entries: submitted, scored by the jury, ranked and published, advanced to the next
stage; each change in one transaction with its outbox events (events.competitions.v1, no names).

Entries are scoped: the stage's runners, the entry organisation's administrator and municipality's methodist
and the region's readers see them; anyone else is answered as if the entry did not exist. Students are
personal data: every read of an entry with a student in it is audit-logged. Published results carry no
names and are read by any authenticated caller."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg

from metodset_contracts.competitions import (
    STATUS_TITLES,
    CompetitionEntryAccepted,
    CompetitionEntryAdvanced,
    CompetitionKind,
    CompetitionResultPublished,
    ResultStatus,
    StageLevel,
)
from metodset_kit import audit, outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound, visible_or_missing
from metodset_kit.events import now, outgoing
from metodset_kit.scope import Principal, Role

from . import competitions_repository as repo
from . import projection
from .competitions import criteria_of, refusal, rule_of, run_stage
from .competitions_schemas import EntryCreate, EntryPublic, MemberPublic, MemberShape, ResultPublic, SheetPublic
from .domain import competitions as rules
from .domain.competitions import Aggregation, CompetitionRuleError, EntryParties, Member

SOURCE = "urn:metodset:events"
RESOURCE = "competition_entry"  # audit: entries with students (personal data)
REFUSED_SCORE = ("Оценки вносят проводящие этап (за любого члена жюри) или сам член жюри — только свои "
                 "(его вход как педагога)")
REFUSED_SUBMIT = ("Подать заявку может администратор организации, методист её муниципалитета или региональный "
                  "координатор")


def missing_entry(entry_id: UUID) -> NotFound:
    return NotFound("entryId", f"Заявка {entry_id} не найдена", where="path")


def _event(entry_id: UUID, fact) -> object:
    return outgoing(fact, source=SOURCE, subject=f"competition-entry/{entry_id}", key=str(entry_id), time=now())


def facts(entry: asyncpg.Record, stage: asyncpg.Record, members: Sequence[asyncpg.Record]) -> dict:
    return {"entry_id": entry["id"], "competition_id": stage["competition_id"], "stage_id": stage["id"],
            "nomination_id": entry["nomination_id"], "kind": stage["kind"], "level": stage["level"],
            "organisation_id": entry["organisation_id"], "municipality_oktmo": entry["municipality_oktmo"],
            "person_ids": [m["person_id"] for m in members if m["person_id"] is not None],
            "member_count": len(members)}


def public(row: asyncpg.Record, members: Sequence[asyncpg.Record]) -> EntryPublic:
    status = ResultStatus(row["status"]) if row["status"] else None
    return EntryPublic(
        id=row["id"], competition_id=row["competition_id"], stage_id=row["stage_id"],
        nomination_id=row["nomination_id"], organisation_id=row["organisation_id"],
        municipality_oktmo=row["municipality_oktmo"], title=row["title"], team_name=row["team_name"],
        members=[MemberPublic(organisation_id=m["organisation_id"], person_id=m["person_id"],
                              last_name=m["last_name"], first_name=m["first_name"], middle_name=m["middle_name"],
                              grade=m["grade"]) for m in members],
        from_entry_id=row["from_entry_id"], score=row["score"], place=row["place"], status=status,
        status_title=STATUS_TITLES[status] if status else None, submitted_at=row["submitted_at"])


async def audited(conn: asyncpg.Connection, principal: Principal, rows: Sequence[asyncpg.Record],
                  operation: str) -> list[EntryPublic]:
    """The entries with their members; the reads of those with a student are logged."""
    members = await repo.members_of(conn, [r["id"] for r in rows])
    students = [r["id"] for r in rows if any(m["person_id"] is None for m in members[r["id"]])]
    await audit.record_read(conn, principal, RESOURCE, students, operation)
    return [public(r, members[r["id"]]) for r in rows]


# --- submitting ----------------------------------------------------------------------------------------------

async def _organisation(conn: asyncpg.Connection, organisation_id: UUID, field: str) -> asyncpg.Record:
    found = await projection.organisation(conn, organisation_id)
    if found is None or not found["active"]:
        raise DomainError(field, f"Действующая организация {organisation_id} не найдена", "unknown")
    return found


async def _staff_member(conn: asyncpg.Connection, i: int, m: MemberShape, entry_org: UUID) -> dict:
    """A staff entrant: a person with a current job; their organisation is the entry's if they work there."""
    jobs = (await projection.current_employments(conn, [m.person_id]))[m.person_id]
    if not jobs:
        raise DomainError(f"members[{i}].personId", f"Работник {m.person_id} не найден в реестре или не работает",
                          "unknown")
    at_entry = [j for j in jobs if j["organisation_id"] == entry_org]
    return {"person_id": m.person_id, "organisation_id": (at_entry or jobs)[0]["organisation_id"]}


async def _members(conn: asyncpg.Connection, kind: CompetitionKind, data: EntryCreate) -> list[dict]:
    out = []
    for i, m in enumerate(data.members):
        if kind is CompetitionKind.STAFF:
            if m.person_id is None:
                raise DomainError(f"members[{i}]", "В конкурсе работников участник — работник из реестра (personId)")
            out.append(await _staff_member(conn, i, m, data.organisation_id))
            continue
        if m.person_id is not None:
            raise DomainError(f"members[{i}]", "В конкурсе обучающихся участник — обучающийся (фамилия, имя, класс)")
        org = m.organisation_id or data.organisation_id
        if org != data.organisation_id:
            await _organisation(conn, org, f"members[{i}].organisationId")
        out.append({"organisation_id": org, "last_name": m.last_name, "first_name": m.first_name,
                    "middle_name": m.middle_name, "grade": m.grade})
    persons = [m["person_id"] for m in out if m.get("person_id")]
    if len(set(persons)) != len(persons):
        raise DomainError("members", "Работник указан в заявке дважды", "duplicate")
    return out


async def submit(pool: asyncpg.Pool, principal: Principal, stage_id: UUID, data: EntryCreate) -> EntryPublic:
    async with pool.acquire() as conn, conn.transaction():
        stage = await repo.stage(conn, stage_id, lock=True)
        if stage is None:
            raise DomainError("stageId", f"Этап конкурса {stage_id} не найден", "unknown", where="path")
        org = await _organisation(conn, data.organisation_id, "organisationId")
        if not rules.may_submit(principal, data.organisation_id, org["municipality_oktmo"]):
            raise Forbidden(REFUSED_SUBMIT)
        if stage["status"] != "open":
            raise Conflict("stageId", "Итоги этапа опубликованы: приём заявок закрыт", "closed")
        nomination = await repo.nomination(conn, data.nomination_id)
        if nomination is None or nomination["competition_id"] != stage["competition_id"]:
            raise DomainError("nominationId", f"Номинация {data.nomination_id} в этом конкурсе не найдена", "unknown")
        try:
            rules.entrant_area_checked(StageLevel(stage["level"]), stage["municipality_oktmo"],
                                       org["municipality_oktmo"])
        except CompetitionRuleError as exc:
            raise refusal(exc) from None
        members = await _members(conn, CompetitionKind(stage["kind"]), data)
        persons = [m["person_id"] for m in members if m.get("person_id")]
        if persons and await repo.persons_entered(conn, stage_id, data.nomination_id, persons):
            raise Conflict("members", "Работник уже участвует в этой номинации этапа", "duplicate")
        entry_id = uuid.uuid4()
        await repo.insert_entry(conn, {
            "id": entry_id, "stage_id": stage_id, "nomination_id": data.nomination_id,
            "organisation_id": data.organisation_id, "municipality_oktmo": org["municipality_oktmo"],
            "title": data.title, "team_name": data.team_name, "submitted_by": principal.subject}, members)
        row = await repo.entry(conn, entry_id)
        stored = (await repo.members_of(conn, [entry_id]))[entry_id]
        await outbox.add(conn, [_event(entry_id, CompetitionEntryAccepted(**facts(row, stage, stored)))])
        return (await audited(conn, principal, [row], "submitEntry"))[0]


# --- reading -------------------------------------------------------------------------------------------------

def _sees(principal: Principal, stage: asyncpg.Record, entry: asyncpg.Record, judging: bool) -> bool:
    return rules.sees_entry(principal, StageLevel(stage["level"]), stage["municipality_oktmo"],
                            entry["organisation_id"], entry["municipality_oktmo"], judging)


async def judges(conn: asyncpg.Connection, principal: Principal, stage_id: UUID) -> bool:
    """The caller is a pedagogue appointed to the stage's jury: they read its entries and enter their own sheets."""
    juror = rules.juror_of(principal)
    return juror is not None and await repo.is_juror(conn, stage_id, juror)


async def visible_entry(conn: asyncpg.Connection, principal: Principal, entry_id: UUID) -> asyncpg.Record:
    """The entry, when the caller may see it; otherwise the answer of a missing one."""
    entry = await repo.entry(conn, entry_id)
    stage = entry and await repo.stage(conn, entry["stage_id"])
    seen = entry is not None and _sees(principal, stage, entry, await judges(conn, principal, entry["stage_id"]))
    visible_or_missing(seen, missing_entry(entry_id))
    return entry


async def read(conn: asyncpg.Connection, principal: Principal, entry_id: UUID) -> EntryPublic:
    entry = await visible_entry(conn, principal, entry_id)
    return (await audited(conn, principal, [entry], "competitionEntry"))[0]


async def may_attach(conn: asyncpg.Connection, principal: Principal, entry_id: UUID) -> bool:
    """Materials of an entry: those who may submit for its organisation or run its stage, while it is open."""
    entry = await visible_entry(conn, principal, entry_id)
    stage = await repo.stage(conn, entry["stage_id"])
    if stage["status"] != "open":
        raise Conflict("ownerId", "Итоги этапа опубликованы: материалы заявки не меняются", "closed")
    return rules.may_submit(principal, entry["organisation_id"], entry["municipality_oktmo"]) or rules.may_run_stage(
        principal, StageLevel(stage["level"]), stage["municipality_oktmo"])


def entries_scope(principal: Principal, stage: asyncpg.Record, judging: bool = False) -> tuple[str, list] | None:
    """None: every entry of the stage; otherwise the SQL condition of those the caller sees (`judging`: the caller
    is on the stage's jury, see `judges`)."""
    if judging or principal.role in rules.READ_ALL or rules.may_run_stage(principal, StageLevel(stage["level"]),
                                                                          stage["municipality_oktmo"]):
        return None
    organisation = principal.organisation if principal.role is Role.ORGANISATION_ADMIN else None
    municipality = principal.municipality if principal.role is Role.MUNICIPAL_METHODIST else None
    return repo.scope_condition(organisation, municipality, 2)


async def stage_or_missing(conn: asyncpg.Connection, stage_id: UUID) -> asyncpg.Record:
    stage = await repo.stage(conn, stage_id)
    if stage is None:
        raise NotFound("stageId", f"Этап конкурса {stage_id} не найден", where="path")
    return stage


async def results(conn: asyncpg.Connection, stage_id: UUID) -> list[ResultPublic]:
    """A published stage's results, the best first per nomination; nothing before publication."""
    stage = await stage_or_missing(conn, stage_id)
    if stage["status"] != "published":
        return []
    rows = sorted(await repo.stage_entries(conn, stage_id), key=lambda r: (str(r["nomination_id"]), r["place"]))
    members = await repo.members_of(conn, [r["id"] for r in rows])
    return [ResultPublic(entry_id=r["id"], nomination_id=r["nomination_id"], organisation_id=r["organisation_id"],
                         person_ids=[m["person_id"] for m in members[r["id"]] if m["person_id"]], score=r["score"],
                         place=r["place"], status=r["status"], status_title=STATUS_TITLES[ResultStatus(r["status"])])
            for r in rows]


# --- scoring ---------------------------------------------------------------------------------------------------

def parties(entry: asyncpg.Record, members: Sequence[asyncpg.Record]) -> EntryParties:
    return EntryParties(entry["organisation_id"], tuple(Member(m["organisation_id"], m["person_id"])
                                                        for m in members))


async def score(pool: asyncpg.Pool, principal: Principal, entry_id: UUID, juror_id: UUID,
                points: dict[str, Decimal]) -> SheetPublic:
    """A juror's sheet for an entry, replacing the juror's earlier one: entered by those who run the stage, or by
    the juror (a pedagogue's token naming them) for themselves."""
    async with pool.acquire() as conn, conn.transaction():
        entry = await visible_entry(conn, principal, entry_id)
        await run_stage(conn, principal, entry["stage_id"], lock=True, refused=REFUSED_SCORE,
                        may=lambda runs: rules.may_score(principal, juror_id, runs))
        if not await repo.is_juror(conn, entry["stage_id"], juror_id):
            raise DomainError("jurorId", f"Работник {juror_id} не входит в жюри этапа", "unknown")
        members = (await repo.members_of(conn, [entry_id]))[entry_id]
        jobs = (await projection.current_employments(conn, [juror_id]))[juror_id]
        reason = rules.conflict(juror_id, [j["organisation_id"] for j in jobs], parties(entry, members))
        if reason is not None:
            raise Conflict("jurorId", reason, "conflict_of_interest")
        nomination = await repo.nomination(conn, entry["nomination_id"])
        try:
            sheet = rules.score_sheet(criteria_of(nomination["criteria"]), points)
        except CompetitionRuleError as exc:
            raise refusal(exc) from None
        await repo.replace_sheet(conn, entry_id, juror_id, sheet, principal.subject)
        return SheetPublic(entry_id=entry_id, juror_id=juror_id, scores=sheet, total=sum(sheet.values(), Decimal(0)))


# --- publishing and advancing ----------------------------------------------------------------------------------

async def _ranked(conn: asyncpg.Connection, stage: asyncpg.Record,
                  entries: Sequence[asyncpg.Record]) -> list[rules.Result]:
    sheets = await repo.sheets_of(conn, stage["id"])
    rule, how = rule_of(stage["award_rule"]), Aggregation(stage["aggregation"])
    found: list[rules.Result] = []
    for nomination_id in dict.fromkeys(e["nomination_id"] for e in entries):
        criteria = criteria_of((await repo.nomination(conn, nomination_id))["criteria"])
        scores = {e["id"]: rules.aggregate(criteria, sheets.get(e["id"], {}).values(), how)
                  for e in entries if e["nomination_id"] == nomination_id}
        try:
            found += rules.results(scores, rule)
        except CompetitionRuleError as exc:
            raise refusal(exc) from None
    return found


async def publish(pool: asyncpg.Pool, principal: Principal, stage_id: UUID) -> list[ResultPublic]:
    """Rank every nomination, set places and statuses, freeze the stage, tell the topic."""
    async with pool.acquire() as conn, conn.transaction():
        stage = await run_stage(conn, principal, stage_id, lock=True)
        entries = await repo.stage_entries(conn, stage_id)
        if not entries:
            raise Conflict("stageId", "На этапе нет заявок: публиковать нечего", "empty")
        found = await _ranked(conn, stage, entries)
        await repo.set_results(conn, [(r.entry_id, r.score, r.place, r.status.value) for r in found])
        await repo.publish_stage(conn, stage_id)
        members = await repo.members_of(conn, [e["id"] for e in entries])
        by_id = {e["id"]: e for e in entries}
        await outbox.add(conn, [_event(r.entry_id, CompetitionResultPublished(
            **facts(by_id[r.entry_id], stage, members[r.entry_id]), place=r.place, status=r.status, score=r.score))
            for r in found])
        return await results(conn, stage_id)


async def _target(conn: asyncpg.Connection, stage: asyncpg.Record, to_stage_id: UUID) -> asyncpg.Record:
    target = await repo.stage(conn, to_stage_id, lock=True)
    if target is None or target["competition_id"] != stage["competition_id"]:
        raise DomainError("toStageId", f"Этап {to_stage_id} этого конкурса не найден", "unknown")
    try:
        rules.next_stage_checked(StageLevel(stage["level"]), StageLevel(target["level"]))
    except CompetitionRuleError as exc:
        raise refusal(exc) from None
    if target["status"] != "open":
        raise Conflict("toStageId", "Итоги следующего этапа уже опубликованы: приём заявок закрыт", "closed")
    if target["municipality_oktmo"] not in (None, stage["municipality_oktmo"]):
        raise DomainError("toStageId", "Следующий этап проходит в другом муниципалитете")
    return target


async def advance(pool: asyncpg.Pool, principal: Principal, stage_id: UUID, to_stage_id: UUID) -> list[EntryPublic]:
    """The statuses the award rule names enter the next stage (materials carried over); advancing again adds
    only those not yet advanced."""
    async with pool.acquire() as conn, conn.transaction():
        stage = await run_stage(conn, principal, stage_id, open_only=False)
        if stage["status"] != "published":
            raise Conflict("stageId", "Выдвигают после публикации итогов этапа", "not_published")
        target = await _target(conn, stage, to_stage_id)
        entries = {e["id"]: e for e in await repo.stage_entries(conn, stage_id)}
        found = [rules.Result(e["id"], e["score"], e["place"], ResultStatus(e["status"])) for e in entries.values()]
        chosen = rules.advancing(found, rule_of(stage["award_rule"]))
        done = await repo.advanced_from(conn, [r.entry_id for r in chosen])
        members = await repo.members_of(conn, list(entries))
        created, events = [], []
        for r in (r for r in chosen if r.entry_id not in done):
            source = entries[r.entry_id]
            new_id = uuid.uuid4()
            await repo.insert_entry(conn, {**dict(source), "id": new_id, "stage_id": to_stage_id,
                                           "from_entry_id": source["id"], "submitted_by": principal.subject},
                                    [dict(m) for m in members[source["id"]]])
            await repo.copy_materials(conn, source["id"], new_id)
            row = await repo.entry(conn, new_id)
            events.append(_event(new_id, CompetitionEntryAdvanced(
                **facts(row, target, members[source["id"]]), from_entry_id=source["id"], from_stage_id=stage_id,
                from_status=r.status)))
            created.append(row)
        await outbox.add(conn, events)
        return await audited(conn, principal, created, "advanceEntries")
