"""GraphQL shapes of competitions, read and written through the events service's REST API: `competition(id:)`,
`competitions(filter:, first:, after:)` with stages, nominations, entries (within the caller's scope) and
published results; create a competition, add a stage, a nomination with its rubric, appoint a juror, submit an
entry, score it, publish a stage's results, advance its winners. Staff entrants are person ids on the events
service; their names come from the registry (`person`), which decides scope and audits the read."""
from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from metodset_contracts.competitions import FORMAT_TITLES, LEVEL_TITLES, STATUS_TITLES
from metodset_contracts.competitions import CompetitionFormat as ContractFormat
from metodset_contracts.competitions import CompetitionKind as ContractKind
from metodset_contracts.competitions import ResultStatus as ContractStatus
from metodset_contracts.competitions import StageLevel as ContractLevel

from .bodies import _uuid as _id
from .certificates import _full_name
from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum
from .paging import First, list_field
from .staff import Person

CompetitionKind = _enum("CompetitionKind", ContractKind, {ContractKind.STAFF: "конкурс работников",
                                                          ContractKind.STUDENT: "конкурс обучающихся"},
                        "Чей конкурс: работников (профессиональное мастерство) или обучающихся")
CompetitionFormat = _enum("CompetitionFormat", ContractFormat, FORMAT_TITLES, "Форма: конкурс, фестиваль, конференция")
CompetitionStageLevel = _enum("CompetitionStageLevel", ContractLevel, LEVEL_TITLES, "Уровень этапа конкурса")
CompetitionStatus = _enum("CompetitionStatus", ContractStatus, STATUS_TITLES, "Итог участника этапа")
ScoreAggregation = strawberry.enum(Enum("ScoreAggregation", {"MEAN": "mean", "SUM": "sum"}),
                                   description="Итоговый балл: среднее или сумма баллов членов жюри (балл члена "
                                               "жюри — сумма по критериям)")


def _decimal(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


async def _person(info: Info[Context, None], person_id: str) -> Person | None:
    found = await info.context.registry.find(f"/persons/{_id(person_id, 'personId')}", info.context.token)
    return found and Person.from_json(found)


@strawberry.type(description="Критерий оценивания номинации")
class CompetitionCriterion:
    code: str
    title: str
    max_points: float


@strawberry.type(description="Номинация конкурса с критериями оценивания")
class Nomination:
    id: strawberry.ID
    title: str
    criteria: list[CompetitionCriterion]

    @classmethod
    def from_json(cls, d: dict) -> Nomination:
        return cls(id=strawberry.ID(d["id"]), title=d["title"], criteria=[
            CompetitionCriterion(code=c["code"], title=c["title"], max_points=_decimal(c["maxPoints"]))
            for c in d["criteria"]])


@strawberry.type(description="Участник заявки: работник (personId; ФИО — через person, в пределах области доступа) "
                             "или обучающийся (ФИО и класс видны только в области доступа заявки)")
class CompetitionParticipant:
    organisation_id: strawberry.ID
    person_id: strawberry.ID | None
    last_name: str | None
    first_name: str | None
    middle_name: str | None
    grade: int | None

    @strawberry.field(description="Работник; null — обучающийся или вне вашей области доступа")
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, self.person_id) if self.person_id else None


@strawberry.type(description="Заявка на этап конкурса")
class CompetitionEntry:
    id: strawberry.ID
    competition_id: strawberry.ID
    stage_id: strawberry.ID
    nomination_id: strawberry.ID
    organisation_id: strawberry.ID
    municipality_oktmo: str
    title: str
    team_name: str | None
    participants: list[CompetitionParticipant]
    from_entry_id: strawberry.ID | None = strawberry.field(description="Заявка предыдущего этапа, откуда выдвинут")
    score: float | None = strawberry.field(description="Итоговый балл (после публикации итогов)")
    place: int | None
    status: CompetitionStatus | None
    status_title: str | None

    @classmethod
    def from_json(cls, d: dict) -> CompetitionEntry:
        return cls(
            id=strawberry.ID(d["id"]), competition_id=strawberry.ID(d["competitionId"]),
            stage_id=strawberry.ID(d["stageId"]), nomination_id=strawberry.ID(d["nominationId"]),
            organisation_id=strawberry.ID(d["organisationId"]), municipality_oktmo=d["municipalityOktmo"],
            title=d["title"], team_name=d["teamName"],
            participants=[CompetitionParticipant(
                organisation_id=strawberry.ID(m["organisationId"]), person_id=m["personId"], last_name=m["lastName"],
                first_name=m["firstName"], middle_name=m["middleName"], grade=m["grade"]) for m in d["members"]],
            from_entry_id=d["fromEntryId"], score=_decimal(d["score"]), place=d["place"],
            status=d["status"] and CompetitionStatus(d["status"]), status_title=d["statusTitle"])


@strawberry.type(description="Опубликованный итог заявки (без имён: участники-работники — id)")
class CompetitionResult:
    entry_id: strawberry.ID
    nomination_id: strawberry.ID
    organisation_id: strawberry.ID
    person_ids: list[strawberry.ID]
    score: float
    place: int
    status: CompetitionStatus
    status_title: str

    @classmethod
    def from_json(cls, d: dict) -> CompetitionResult:
        return cls(entry_id=strawberry.ID(d["entryId"]), nomination_id=strawberry.ID(d["nominationId"]),
                   organisation_id=strawberry.ID(d["organisationId"]),
                   person_ids=[strawberry.ID(p) for p in d["personIds"]], score=_decimal(d["score"]),
                   place=d["place"], status=CompetitionStatus(d["status"]), status_title=d["statusTitle"])

    @strawberry.field(description="Участники-работники; null — вне вашей области доступа")
    async def persons(self, info: Info[Context, None]) -> list[Person | None]:
        return [await _person(info, p) for p in self.person_ids]


@strawberry.type(description="Этап конкурса")
class CompetitionStage:
    id: strawberry.ID
    competition_id: strawberry.ID
    level: CompetitionStageLevel
    level_title: str
    municipality_oktmo: str | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str = strawberry.field(description="open — приём и оценивание, published — итоги опубликованы")
    juror_ids: list[strawberry.ID] = strawberry.field(description="Жюри этапа (id работников)")

    @classmethod
    def from_json(cls, d: dict) -> CompetitionStage:
        return cls(id=strawberry.ID(d["id"]), competition_id=strawberry.ID(d["competitionId"]),
                   level=CompetitionStageLevel(d["level"]), level_title=d["levelTitle"],
                   municipality_oktmo=d["municipalityOktmo"],
                   starts_on=d["startsOn"] and datetime.date.fromisoformat(d["startsOn"]),
                   ends_on=d["endsOn"] and datetime.date.fromisoformat(d["endsOn"]), status=d["status"],
                   juror_ids=[strawberry.ID(j) for j in d["jurorIds"]])

    @list_field("Заявки этапа в пределах вашей области доступа (чтение данных обучающихся записывается в журнал), "
                "страница по курсору")
    async def entries(self, info: Info[Context, None], first: First = None,
                      after: After = None) -> Connection[CompetitionEntry]:
        return await fetch_page(info, info.context.events, f"/competition-stages/{self.id}/entries",
                                CompetitionEntry.from_json, first=first, after=after)

    @strawberry.field(description="Опубликованные итоги этапа (пусто до публикации)")
    async def results(self, info: Info[Context, None]) -> list[CompetitionResult]:
        found = await info.context.events.call("GET", f"/competition-stages/{self.id}/results", info.context.token)
        return [CompetitionResult.from_json(r) for r in found]


@strawberry.type(description="Конкурс работников или обучающихся")
class Competition:
    id: strawberry.ID
    title: str
    kind: CompetitionKind
    format: CompetitionFormat
    format_title: str
    year: int
    municipality_oktmo: str | None = strawberry.field(description="Муниципальный конкурс; null — региональный")
    aggregation: ScoreAggregation
    stages: list[CompetitionStage]
    nominations: list[Nomination]

    @classmethod
    def from_json(cls, d: dict) -> Competition:
        return cls(id=strawberry.ID(d["id"]), title=d["title"], kind=CompetitionKind(d["kind"]),
                   format=CompetitionFormat(d["format"]), format_title=d["formatTitle"], year=d["year"],
                   municipality_oktmo=d["municipalityOktmo"], aggregation=ScoreAggregation(d["aggregation"]),
                   stages=[CompetitionStage.from_json(s) for s in d["stages"]],
                   nominations=[Nomination.from_json(n) for n in d["nominations"]])


@strawberry.type(description="Баллы члена жюри по заявке")
class ScoreSheet:
    entry_id: strawberry.ID
    juror_id: strawberry.ID
    total: float


@strawberry.type(description="Итог выдачи диплома участнику заявки")
class DiplomaIssue:
    entry_id: strawberry.ID
    holder: str = strawberry.field(description="id работника или student-N (обучающийся N в заявке)")
    status: str = strawberry.field(description="ISSUED, ALREADY_ISSUED или REFUSED")
    code: str | None = strawberry.field(description="Код проверки (только при новой выдаче): "
                                                    "verifyCertificate(code:)")
    reason: str | None


@strawberry.input(description="Условия списка конкурсов; не указанное условие не ограничивает")
class CompetitionFilter:
    year: int | None = None
    kind: CompetitionKind | None = None
    municipality_oktmo: str | None = None


@strawberry.input(description="Сколько заявок номинации получают статус: число мест или доля (одно из двух)")
class TierInput:
    places: int | None = None
    share: float | None = strawberry.field(default=None, description="Доля заявок номинации, 0…1")


@strawberry.input(description="Правило итогов: победители, затем призёры, затем лауреаты (по местам; равный балл — "
                              "одно место и один статус); кого выдвигают на следующий этап")
class AwardRuleInput:
    winners: TierInput
    prize_winners: TierInput
    laureates: TierInput
    advance: list[CompetitionStatus]


@strawberry.input(description="Новый конкурс")
class CreateCompetitionInput:
    title: str
    kind: CompetitionKind
    format: CompetitionFormat
    year: int
    municipality_oktmo: str | None = strawberry.field(default=None, description="Муниципальный конкурс")
    aggregation: ScoreAggregation = ScoreAggregation.MEAN
    award_rule: AwardRuleInput | None = strawberry.field(default=None, description="Без него: 1 победитель, "
                                                                                   "2 призёра, выдвигают победителя")


@strawberry.input(description="Этап конкурса")
class AddCompetitionStageInput:
    level: CompetitionStageLevel
    municipality_oktmo: str | None = strawberry.field(default=None, description="Для школьного и муниципального")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


@strawberry.input(description="Критерий оценивания")
class CriterionInput:
    code: str = strawberry.field(description="Латиница: lesson, essay…")
    title: str
    max_points: float


@strawberry.input(description="Номинация с критериями оценивания")
class AddNominationInput:
    title: str
    criteria: list[CriterionInput]


@strawberry.input(description="Участник заявки: работник (personId) или обучающийся (ФИО, класс)")
class ParticipantInput:
    person_id: strawberry.ID | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    grade: int | None = None
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="Организация обучающегося, "
                                                                                       "если не та, что подаёт")


@strawberry.input(description="Заявка на этап")
class SubmitEntryInput:
    nomination_id: strawberry.ID
    organisation_id: strawberry.ID = strawberry.field(description="Организация, от которой подана заявка")
    participants: list[ParticipantInput]
    title: str = strawberry.field(default="", description="Название работы")
    team_name: str | None = None


@strawberry.input(description="Балл по критерию")
class CriterionScoreInput:
    criterion: str
    points: float


def _tier(t: TierInput) -> dict:
    return {"places": t.places, "share": t.share}


def create_body(i: CreateCompetitionInput) -> dict:
    body = {"title": i.title, "kind": i.kind.value, "format": i.format.value, "year": i.year,
            "municipalityOktmo": i.municipality_oktmo, "aggregation": i.aggregation.value}
    if i.award_rule is not None:
        r = i.award_rule
        body["awardRule"] = {"winners": _tier(r.winners), "prizeWinners": _tier(r.prize_winners),
                             "laureates": _tier(r.laureates), "advance": [s.value for s in r.advance]}
    return body


def entry_body(i: SubmitEntryInput) -> dict:
    def member(p: ParticipantInput) -> dict:
        given = {"personId": p.person_id and _id(p.person_id, "personId"), "lastName": p.last_name,
                 "firstName": p.first_name, "middleName": p.middle_name, "grade": p.grade,
                 "organisationId": p.organisation_id and _id(p.organisation_id, "organisationId")}
        return {k: v for k, v in given.items() if v is not None}
    return {"nominationId": _id(i.nomination_id, "nominationId"), "title": i.title, "teamName": i.team_name,
            "organisationId": _id(i.organisation_id, "organisationId"), "members": [member(p) for p in i.participants]}


@strawberry.type
class CompetitionQueries:
    @strawberry.field(description="Конкурс по идентификатору: этапы, номинации, заявки и итоги этапов; "
                                  "null — нет такого")
    async def competition(self, info: Info[Context, None], id: strawberry.ID) -> Competition | None:
        found = await info.context.events.find(f"/competitions/{_id(id, 'id')}", info.context.token)
        return found and Competition.from_json(found)

    @list_field("Конкурсы по году, виду, муниципалитету, страница по курсору")
    async def competitions(self, info: Info[Context, None], filter: CompetitionFilter | None = None,
                           first: First = None, after: After = None) -> Connection[Competition]:
        f = filter or CompetitionFilter()
        return await fetch_page(info, info.context.events, "/competitions", Competition.from_json, first=first,
                                after=after, year=f.year, kind=f.kind and f.kind.value,
                                municipality=f.municipality_oktmo)


@strawberry.type
class CompetitionMutations:
    @strawberry.mutation(description="Создать конкурс (региональный — координатор; муниципальный — методист)")
    async def create_competition(self, info: Info[Context, None], input: CreateCompetitionInput) -> Competition:
        return Competition.from_json(await info.context.events.call("POST", "/competitions", info.context.token,
                                                                    json=create_body(input)))

    @strawberry.mutation(description="Добавить этап: школьный и муниципальный ведёт методист муниципалитета, "
                                     "региональный и федеральный — координатор")
    async def add_competition_stage(self, info: Info[Context, None], competition_id: strawberry.ID,
                                    input: AddCompetitionStageInput) -> CompetitionStage:
        body = {"level": input.level.value, "municipalityOktmo": input.municipality_oktmo,
                "startsOn": input.starts_on and input.starts_on.isoformat(),
                "endsOn": input.ends_on and input.ends_on.isoformat()}
        return CompetitionStage.from_json(await info.context.events.call(
            "POST", f"/competitions/{_id(competition_id, 'competitionId')}/stages", info.context.token, json=body))

    @strawberry.mutation(description="Добавить номинацию с критериями оценивания")
    async def add_nomination(self, info: Info[Context, None], competition_id: strawberry.ID,
                             input: AddNominationInput) -> Nomination:
        body = {"title": input.title, "criteria": [{"code": c.code, "title": c.title, "maxPoints": c.max_points}
                                                   for c in input.criteria]}
        return Nomination.from_json(await info.context.events.call(
            "POST", f"/competitions/{_id(competition_id, 'competitionId')}/nominations", info.context.token,
            json=body))

    @strawberry.mutation(description="Включить работника в жюри этапа")
    async def appoint_juror(self, info: Info[Context, None], stage_id: strawberry.ID,
                            person_id: strawberry.ID) -> CompetitionStage:
        return CompetitionStage.from_json(await info.context.events.call(
            "POST", f"/competition-stages/{_id(stage_id, 'stageId')}/jurors", info.context.token,
            json={"personId": _id(person_id, "personId")}))

    @strawberry.mutation(description="Подать заявку на этап (администратор организации, методист, координатор)")
    async def submit_entry(self, info: Info[Context, None], stage_id: strawberry.ID,
                           input: SubmitEntryInput) -> CompetitionEntry:
        return CompetitionEntry.from_json(await info.context.events.call(
            "POST", f"/competition-stages/{_id(stage_id, 'stageId')}/entries", info.context.token,
            json=entry_body(input)))

    @strawberry.mutation(description="Баллы члена жюри по критериям; член жюри из организации участника (или "
                                     "участника команды) отклоняется с указанием причины. Вносят проводящие этап "
                                     "или сам член жюри (вход педагога) — только свои")
    async def score_entry(self, info: Info[Context, None], entry_id: strawberry.ID, juror_id: strawberry.ID,
                          scores: list[CriterionScoreInput]) -> ScoreSheet:
        found = await info.context.events.call(
            "POST", f"/competition-entries/{_id(entry_id, 'entryId')}/scores", info.context.token,
            json={"jurorId": _id(juror_id, "jurorId"), "scores": {s.criterion: s.points for s in scores}})
        return ScoreSheet(entry_id=strawberry.ID(found["entryId"]), juror_id=strawberry.ID(found["jurorId"]),
                          total=_decimal(found["total"]))

    @strawberry.mutation(description="Подвести и опубликовать итоги этапа: места, статусы; этап закрывается")
    async def publish_competition_results(self, info: Info[Context, None],
                                          stage_id: strawberry.ID) -> list[CompetitionResult]:
        found = await info.context.events.call(
            "POST", f"/competition-stages/{_id(stage_id, 'stageId')}/publish", info.context.token)
        return [CompetitionResult.from_json(r) for r in found]

    @strawberry.mutation(description="Выдвинуть на следующий этап тех, кого называет правило итогов (повторно — "
                                     "только ещё не выдвинутых)")
    async def advance_entries(self, info: Info[Context, None], stage_id: strawberry.ID,
                              to_stage_id: strawberry.ID) -> list[CompetitionEntry]:
        found = await info.context.events.call(
            "POST", f"/competition-stages/{_id(stage_id, 'stageId')}/advance", info.context.token,
            json={"toStageId": _id(to_stage_id, "toStageId")})
        return [CompetitionEntry.from_json(e) for e in found]

    @strawberry.mutation(description="Выдать дипломы победителям и призёрам опубликованного этапа (PDF с кодом "
                                     "проверки, как у сертификатов); ФИО работников читаются из реестра с вашим "
                                     "токеном, обучающихся — из заявки")
    async def issue_competition_diplomas(self, info: Info[Context, None],
                                         stage_id: strawberry.ID) -> list[DiplomaIssue]:
        stage = _id(stage_id, "stageId")
        results = await info.context.events.call("GET", f"/competition-stages/{stage}/results", info.context.token)
        people = sorted({p for r in results if r["status"] in ("winner", "prize_winner") for p in r["personIds"]})
        names = await asyncio.gather(*(_full_name(info, p) for p in people))
        found = await info.context.events.call(
            "POST", f"/competition-stages/{stage}/diplomas", info.context.token,
            json={"names": [{"personId": p, "fullName": n} for p, n in zip(people, names, strict=True) if n]})
        return [DiplomaIssue(entry_id=strawberry.ID(d["entryId"]), holder=d["holder"], status=d["status"],
                             code=d["code"], reason=d["reason"]) for d in found]
