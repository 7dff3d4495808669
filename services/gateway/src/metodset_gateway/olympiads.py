"""GraphQL shapes of the All-Russian school olympiad, read and written through the events service's REST API:
`createOlympiadStage`, `olympiadStage(id:)`, `olympiadStages(year:, subject:, stage:)` with grades, results
and the admission list (participant codes, organisations, grades, scores, statuses — never names),
`setPassingScore`, `resolveAppeal`, `publishProtocol`, `issueOlympiadDiplomas`, `admitOlympiadParticipants`,
`importOlympiadResults` (a protocol by the GraphQL
multipart request spec, forwarded like `startImport`; the job is polled with `importJob`)."""
from __future__ import annotations

from urllib.parse import quote

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from metodset_contracts.olympiads import REASON_TITLES, STAGE_TITLES, STATUS_TITLES
from metodset_contracts.olympiads import AdmissionReason as ContractReason
from metodset_contracts.olympiads import OlympiadStageLevel as ContractLevel
from metodset_contracts.olympiads import OlympiadStatus as ContractStatus

from .bodies import _uuid as _id
from .connections import After, Connection, fetch_page
from .context import Context
from .imports import ImportJob, ImportMode
from .mentoring import _enum
from .paging import First, list_field

OlympiadStageLevel = _enum("OlympiadStageLevel", ContractLevel, STAGE_TITLES, "Этап олимпиады")
OlympiadStatus = _enum("OlympiadStatus", ContractStatus, STATUS_TITLES, "Статус участника по итогам этапа")
AdmissionReason = _enum("AdmissionReason", ContractReason, REASON_TITLES, "Почему участник допущен к этапу")
TEMPLATE = ("Шаблон протокола: GET /templates/olympiad-results.xlsx сервиса мероприятий; ход загрузки — importJob; "
            "ФИО участников — только в REST GET /olympiads/stages/{id}/participants/{code} (в своей области, в журнал)")


def _score(value) -> float | None:
    return None if value is None else float(value)


@strawberry.type(description="Класс участия этапа: максимальный и проходной (на следующий этап) баллы")
class OlympiadGrade:
    grade: int
    max_score: float
    passing_score: float | None = strawberry.field(description="Проходной балл на следующий этап; null — не задан")


@strawberry.type(description="Организация участника (по данным реестра)")
class OlympiadOrganisation:
    id: strawberry.ID
    name: str | None


@strawberry.type(description="Результат участника: код (не ФИО), организация, класс участия, балл, статус")
class OlympiadResult:
    participant_code: str
    organisation: OlympiadOrganisation
    grade: int
    ranking_group: str = strawberry.field(description="Группа ранжирования внутри предмета; пусто — нет")
    score: float | None
    status: OlympiadStatus

    @classmethod
    def from_json(cls, d: dict) -> OlympiadResult:
        return cls(participant_code=d["participantCode"], grade=d["grade"], ranking_group=d["rankingGroup"],
                   organisation=OlympiadOrganisation(id=strawberry.ID(d["organisationId"]),
                                                     name=d["organisationName"]),
                   score=_score(d["score"]), status=OlympiadStatus(d["status"]))


@strawberry.type(description="Допущенный к следующему этапу: код, класс, балл (при допуске по баллу), причина")
class OlympiadAdmission:
    participant_code: str
    organisation_id: strawberry.ID
    grade: int
    score: float | None
    reason: AdmissionReason
    reason_title: str

    @classmethod
    def from_json(cls, d: dict) -> OlympiadAdmission:
        return cls(participant_code=d["participantCode"], organisation_id=strawberry.ID(d["organisationId"]),
                   grade=d["grade"], score=_score(d["score"]), reason=AdmissionReason(d["reason"]),
                   reason_title=d["reasonTitle"])


@strawberry.type(description="Строка рейтинга: место, код (не ФИО), организация, класс, балл, статус")
class OlympiadRatingRow:
    place: int
    participant_code: str
    organisation: OlympiadOrganisation
    grade: int
    score: float
    status: OlympiadStatus

    @classmethod
    def from_json(cls, d: dict) -> OlympiadRatingRow:
        return cls(place=d["place"], participant_code=d["participantCode"], grade=d["grade"], score=d["score"],
                   organisation=OlympiadOrganisation(id=strawberry.ID(d["organisationId"]),
                                                     name=d["organisationName"]),
                   status=OlympiadStatus(d["status"]))


@strawberry.type(description="Этап олимпиады: год, предмет, этап, муниципалитет, классы; результаты и список допуска")
class OlympiadStage:
    id: strawberry.ID
    year: int = strawberry.field(description="Учебный год по году начала (2026 — 2026/27)")
    subject: str = strawberry.field(description="Код предмета (справочник subjects)")
    subject_title: str | None
    stage: OlympiadStageLevel
    municipality_oktmo: str | None
    grades: list[OlympiadGrade]
    protocol_version: int = strawberry.field(description="Последняя опубликованная версия протокола; 0 — не было")
    changed_since_publication: bool

    @classmethod
    def from_json(cls, d: dict) -> OlympiadStage:
        return cls(id=strawberry.ID(d["id"]), year=d["year"], subject=d["subject"], subject_title=d["subjectTitle"],
                   stage=OlympiadStageLevel(d["stage"]), municipality_oktmo=d["municipalityOktmo"],
                   grades=[OlympiadGrade(grade=g["grade"], max_score=float(g["maxScore"]),
                                         passing_score=_score(g["passingScore"])) for g in d["grades"]],
                   protocol_version=d["protocolVersion"], changed_since_publication=d["changedSincePublication"])

    @list_field("Результаты этапа в пределах вашей области (по классу, коду)")
    async def results(self, info: Info[Context, None], first: First = None,
                      after: After = None) -> Connection[OlympiadResult]:
        return await fetch_page(info, info.context.events, f"/olympiads/stages/{self.id}/results",
                                OlympiadResult.from_json, first=first, after=after)

    @list_field("Допущенные к следующему этапу с причиной (пересчитывается при каждом изменении)")
    async def admitted(self, info: Info[Context, None], first: First = None,
                       after: After = None) -> Connection[OlympiadAdmission]:
        return await fetch_page(info, info.context.events, f"/olympiads/stages/{self.id}/admission",
                                OlympiadAdmission.from_json, first=first, after=after)


@strawberry.input(description="Класс участия и его максимальный балл")
class OlympiadGradeInput:
    grade: int
    max_score: float


@strawberry.input(description="Этап олимпиады: школьный и муниципальный — с муниципалитетом")
class CreateOlympiadStageInput:
    year: int
    subject: str = strawberry.field(description="Код предмета (справочник subjects)")
    stage: OlympiadStageLevel
    grades: list[OlympiadGradeInput]
    municipality_oktmo: str | None = None


@strawberry.input(description="Решение апелляционной комиссии: новый балл и основание")
class ResolveAppealInput:
    stage_id: strawberry.ID
    participant_code: str
    new_score: float
    reason: str


@strawberry.type(description="Рассмотренная апелляция: баллы и статусы до и после")
class OlympiadAppeal:
    participant_code: str
    grade: int
    previous_score: float | None
    score: float
    previous_status: OlympiadStatus
    status: OlympiadStatus
    reason: str
    after_version: int = strawberry.field(description="Версия протокола, опубликованная на момент решения (0 — нет)")


@strawberry.type(description="Опубликованная (зафиксированная) версия протокола этапа")
class OlympiadProtocol:
    version: int
    participants: int


def _stage_path(stage_id: strawberry.ID, field: str = "stageId") -> str:
    return f"/olympiads/stages/{_id(stage_id, field)}"


@strawberry.type
class OlympiadQueries:
    @strawberry.field(description="Этап олимпиады; null — нет такого")
    async def olympiad_stage(self, info: Info[Context, None], id: strawberry.ID) -> OlympiadStage | None:
        found = await info.context.events.find(_stage_path(id, "id"), info.context.token)
        return found and OlympiadStage.from_json(found)

    @list_field("Этапы олимпиады по году, предмету, этапу")
    async def olympiad_stages(self, info: Info[Context, None], year: int | None = None, subject: str | None = None,
                              stage: OlympiadStageLevel | None = None, first: First = None,
                              after: After = None) -> Connection[OlympiadStage]:
        return await fetch_page(info, info.context.events, "/olympiads/stages", OlympiadStage.from_json,
                                first=first, after=after, year=year, subject=subject, stage=stage and stage.value)


    @list_field("Рейтинг по предмету и классу: опубликованные результаты этапа по региону, по баллу (с местами)")
    async def olympiad_rating(self, info: Info[Context, None], year: int, subject: str, stage: OlympiadStageLevel,
                              grade: int, first: First = None, after: After = None) -> Connection[OlympiadRatingRow]:
        return await fetch_page(info, info.context.events, "/olympiads/ratings", OlympiadRatingRow.from_json,
                                first=first, after=after, year=year, subject=subject, stage=stage.value, grade=grade)


@strawberry.type(description="Диплом участника: код проверки — только при выдаче (далее он есть лишь на PDF)")
class OlympiadDiploma:
    participant_code: str
    status: OlympiadStatus
    code: str | None
    pdf_url: str = strawberry.field(description="Путь PDF в сервисе мероприятий (GET с тем же токеном)")


@strawberry.type(description="Итог выдачи дипломов по последней опубликованной версии протокола")
class OlympiadDiplomas:
    protocol_version: int
    items: list[OlympiadDiploma]
    revoked: list[str] = strawberry.field(description="Коды участников, чьи прежние дипломы отозваны")


@strawberry.type(description="Участники этапа из списков допуска предыдущего этапа")
class AdmittedParticipants:
    added: int = strawberry.field(description="Внесено теперь (повторный вызов вносит только новых)")
    admitted: int = strawberry.field(description="Всего в списках допуска")


@strawberry.type
class OlympiadMutations:
    @strawberry.mutation(description="Открыть этап олимпиады (школьный и муниципальный — методист муниципалитета, "
                                     "региональный — координатор)")
    async def create_olympiad_stage(self, info: Info[Context, None], input: CreateOlympiadStageInput) -> OlympiadStage:
        body = {"year": input.year, "subject": input.subject, "stage": input.stage.value,
                "municipalityOktmo": input.municipality_oktmo,
                "grades": [{"grade": g.grade, "maxScore": g.max_score} for g in input.grades]}
        return OlympiadStage.from_json(await info.context.events.call("POST", "/olympiads/stages", info.context.token,
                                                                      json=body))

    @strawberry.mutation(description="Проходной балл класса на следующий этап (организатор следующего этапа)")
    async def set_passing_score(self, info: Info[Context, None], stage_id: strawberry.ID, grade: int,
                                score: float) -> OlympiadStage:
        return OlympiadStage.from_json(await info.context.events.call(
            "PUT", f"{_stage_path(stage_id)}/grades/{grade}/passing-score", info.context.token,
            json={"score": score}))

    @strawberry.mutation(description="Решение апелляции: статусы и список допуска пересчитываются; опубликованная "
                                     "версия протокола остаётся прежней, следующая публикация — новая версия")
    async def resolve_appeal(self, info: Info[Context, None], input: ResolveAppealInput) -> OlympiadAppeal:
        found = await info.context.events.call(
            "POST", f"{_stage_path(input.stage_id)}/appeals", info.context.token,
            json={"participantCode": input.participant_code, "newScore": input.new_score, "reason": input.reason})
        return OlympiadAppeal(participant_code=found["participantCode"], grade=found["grade"],
                              previous_score=_score(found["previousScore"]), score=float(found["score"]),
                              previous_status=OlympiadStatus(found["previousStatus"]),
                              status=OlympiadStatus(found["status"]), reason=found["reason"],
                              after_version=found["afterVersion"])

    @strawberry.mutation(description="Выдать дипломы победителям и призёрам опубликованного протокола (PDF с кодом "
                                     "проверки; проверка — GET /certificates/{code}); не подтверждённые новой "
                                     "версией дипломы отзываются")
    async def issue_olympiad_diplomas(self, info: Info[Context, None], stage_id: strawberry.ID) -> OlympiadDiplomas:
        path = _stage_path(stage_id)
        found = await info.context.events.call("POST", f"{path}/diplomas", info.context.token, json={})
        return OlympiadDiplomas(protocol_version=found["protocolVersion"], revoked=found["revoked"], items=[
            OlympiadDiploma(participant_code=d["participantCode"], status=OlympiadStatus(d["status"]), code=d["code"],
                            pdf_url=f"{path}/diplomas/{quote(d['participantCode'])}.pdf")
            for d in found["items"]])

    @strawberry.mutation(description="Внести участников этапа из списков допуска предыдущего этапа (тем же, кто ведёт "
                                     "этап; повторно — только новых)")
    async def admit_olympiad_participants(self, info: Info[Context, None],
                                          stage_id: strawberry.ID) -> AdmittedParticipants:
        found = await info.context.events.call("POST", f"{_stage_path(stage_id)}/participants/from-admission",
                                               info.context.token)
        return AdmittedParticipants(added=found["added"], admitted=found["admitted"])

    @strawberry.mutation(description="Опубликовать протокол этапа: новая зафиксированная версия")
    async def publish_protocol(self, info: Info[Context, None], stage_id: strawberry.ID) -> OlympiadProtocol:
        found = await info.context.events.call("POST", f"{_stage_path(stage_id)}/protocol", info.context.token)
        return OlympiadProtocol(version=found["version"], participants=found["participants"])

    @strawberry.mutation(description=f"Загрузить протокол результатов этапа (xlsx или csv); импорт идёт заданием. "
                                     f"{TEMPLATE}")
    async def import_olympiad_results(self, info: Info[Context, None], stage_id: strawberry.ID, mode: ImportMode,
                                      file: Upload) -> ImportJob:
        data = await file.read()
        files = {"file": (file.filename or "protocol", data, file.content_type or "application/octet-stream")}
        job = await info.context.events.call("POST", f"{_stage_path(stage_id)}/results", info.context.token,
                                             params={"mode": mode.value}, files=files)
        return ImportJob.from_json(job)
