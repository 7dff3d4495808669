"""GraphQL shapes of data-collection campaigns, read and written through the monitoring service's REST API:
`campaigns(filter:, first:, after:)`, `campaign(id:) { form completeness submissions results }`, creating forms
and campaigns, saving drafts, `submitCampaignForm` (the submission with per-field errors, nothing saved when
there are any), approving and returning, reminders, anonymous survey responses. The monitoring service decides
scope; a campaign or submission out of it is null, like a missing one."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from metodset_contracts.campaigns import STATUS_TITLES
from metodset_contracts.campaigns import SubmissionStatus as ContractStatus

from .bodies import _date
from .bodies import _uuid as _id
from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum
from .paging import First, list_field

if TYPE_CHECKING:
    from .schema import Municipality

SubmissionStatus = _enum("CampaignSubmissionStatus", ContractStatus, STATUS_TITLES,
                         "Состояние формы: черновик → представлена → согласована муниципалитетом → принята регионом; "
                         "или возвращена на доработку")
CampaignKind = strawberry.enum(Enum("CampaignKind", {"REPORT": "report", "SURVEY": "survey"}),
                               description="report — форма организации или муниципалитета; survey — анонимный опрос "
                                           "работников")
FieldType = strawberry.enum(Enum("CampaignFieldType", {"NUMBER": "number", "CHOICE": "choice", "DATE": "date",
                                                       "TEXT": "text", "FILE": "file"}),
                            description="Тип поля формы")
MunicipalityRef = Annotated["Municipality", strawberry.lazy("metodset_gateway.schema")]
REPORT = "REST GET /reports/campaigns/{id}/completeness.xlsx сервиса мониторинга (тот же токен)"


def _number(value) -> float | None:
    return None if value is None else float(value)


def _time(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


@strawberry.type(description="Вариант выбора")
class CampaignOption:
    code: str
    title: str


@strawberry.type(description="Поле формы с правилами проверки")
class CampaignFormField:
    code: str
    title: str
    type: FieldType
    required: bool
    minimum: float | None
    maximum: float | None
    integer: bool
    options: list[CampaignOption]
    multiple: bool
    earliest: datetime.date | None
    latest: datetime.date | None
    max_length: int
    file_types: list[str]
    max_bytes: int

    @classmethod
    def from_json(cls, d: dict) -> CampaignFormField:
        return cls(code=d["code"], title=d["title"], type=FieldType(d["type"]), required=d["required"],
                   minimum=_number(d["minimum"]), maximum=_number(d["maximum"]), integer=d["integer"],
                   options=[CampaignOption(code=o["code"], title=o["title"]) for o in d["options"]],
                   multiple=d["multiple"], earliest=_date(d["earliest"]), latest=_date(d["latest"]),
                   max_length=d["maxLength"], file_types=d["fileTypes"], max_bytes=d["maxBytes"])


@strawberry.type(description="Форма сбора данных")
class CampaignForm:
    code: str
    title: str
    owner_oktmo: str | None = strawberry.field(description="null — форма региона")
    fields: list[CampaignFormField]

    @classmethod
    def from_json(cls, d: dict) -> CampaignForm:
        return cls(code=d["code"], title=d["title"], owner_oktmo=d["ownerOktmo"],
                   fields=[CampaignFormField.from_json(f) for f in d["fields"]])


@strawberry.type(description="Значение поля формы")
class CampaignValue:
    field: str
    value: JSON | None = strawberry.field(description="Число, код варианта (или список кодов), дата ГГГГ-ММ-ДД, "
                                                      "текст или ссылка на файл {sha256, fileType, sizeBytes}")


@strawberry.type(description="Ошибка значения поля")
class CampaignFieldError:
    field: str
    message: str


@strawberry.type(description="Форма респондента кампании")
class CampaignSubmission:
    id: strawberry.ID
    campaign_id: strawberry.ID
    organisation_id: strawberry.ID | None = strawberry.field(description="null — отвечает муниципалитет")
    municipality_oktmo: str
    status: SubmissionStatus
    status_title: str
    values: list[CampaignValue]
    version: int
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    overdue: bool
    return_comment: str | None
    returned_by: str | None = strawberry.field(description="municipality или region")

    @classmethod
    def from_json(cls, d: dict) -> CampaignSubmission:
        return cls(id=strawberry.ID(d["id"]), campaign_id=strawberry.ID(d["campaignId"]),
                   organisation_id=d["organisationId"] and strawberry.ID(d["organisationId"]),
                   municipality_oktmo=d["municipalityOktmo"], status=SubmissionStatus(d["status"]),
                   status_title=d["statusTitle"],
                   values=[CampaignValue(field=v["field"], value=v["value"]) for v in d["values"]],
                   version=d["version"], submitted_at=_time(d["submittedAt"]), approved_at=_time(d["approvedAt"]),
                   overdue=d["overdue"], return_comment=d["returnComment"], returned_by=d["returnedBy"])

    @strawberry.field(description="Муниципалитет респондента")
    async def municipality(self, info: Info[Context, None]) -> MunicipalityRef | None:
        return await _municipality(info, self.municipality_oktmo)


async def _municipality(info: Info[Context, None], oktmo: str | None):
    from .schema import Municipality

    found = oktmo and await info.context.municipalities.load(oktmo)
    return Municipality(oktmo=found["oktmo"], name=found["name"]) if found else None


@strawberry.type(description="Полнота представления по муниципалитету (без муниципалитета — итог)")
class CampaignCompleteness:
    municipality_oktmo: str | None
    assigned: int
    submitted: int = strawberry.field(description="Представлено (в том числе согласовано и принято)")
    approved: int = strawberry.field(description="Принято окончательно")
    returned: int
    overdue: int
    submitted_share: float | None

    @strawberry.field(description="Муниципалитет; null — строка итога")
    async def municipality(self, info: Info[Context, None]) -> MunicipalityRef | None:
        return await _municipality(info, self.municipality_oktmo)


@strawberry.type(description="Итоги опроса по полю")
class SurveyFieldSummary:
    field: str
    answered: int
    mean: float | None = strawberry.field(description="Числовое поле: среднее")
    options: JSON = strawberry.field(description="Поле выбора: код варианта → сколько выбрали")


@strawberry.type(description="Итоги опроса по группе; группа меньше минимального размера скрыта")
class SurveyGroup:
    level: str = strawberry.field(description="region, municipality или organisation")
    key: str
    municipality_oktmo: str | None
    responses: int | None
    suppressed: bool
    fields: list[SurveyFieldSummary]


@strawberry.input(description="Условия списка форм кампании")
class CampaignSubmissionFilter:
    status: SubmissionStatus | None = None
    municipality_oktmo: str | None = None


@strawberry.type(description="Кампания сбора данных")
class Campaign:
    id: strawberry.ID
    code: str
    title: str
    kind: CampaignKind
    form: CampaignForm
    period: str
    period_start: datetime.date
    deadline: datetime.date
    owner_oktmo: str | None = strawberry.field(description="null — кампания региона")
    remind_days: int
    min_group: int
    completeness_report: str = strawberry.field(description=f"Отчёт о полноте в xlsx: {REPORT}")

    @classmethod
    def from_json(cls, d: dict) -> Campaign:
        return cls(id=strawberry.ID(d["id"]), code=d["code"], title=d["title"], kind=CampaignKind(d["kind"]),
                   form=CampaignForm.from_json(d["form"]), period=d["period"], period_start=_date(d["periodStart"]),
                   deadline=_date(d["deadline"]), owner_oktmo=d["ownerOktmo"], remind_days=d["remindDays"],
                   min_group=d["minGroup"], completeness_report=f"/reports/campaigns/{d['id']}/completeness.xlsx")

    @strawberry.field(description="Полнота по муниципалитетам в области доступа и итог")
    async def completeness(self, info: Info[Context, None]) -> list[CampaignCompleteness]:
        rows = await info.context.monitoring.call("GET", f"/campaigns/{self.id}/completeness", info.context.token)
        return [CampaignCompleteness(municipality_oktmo=r["municipalityOktmo"], assigned=r["assigned"],
                                     submitted=r["submitted"], approved=r["approved"], returned=r["returned"],
                                     overdue=r["overdue"], submitted_share=r["submittedShare"]) for r in rows]

    @list_field("Формы респондентов в области доступа, страница по курсору (по муниципалитету)")
    async def submissions(self, info: Info[Context, None], filter: CampaignSubmissionFilter | None = None,
                          first: First = None, after: After = None) -> Connection[CampaignSubmission]:
        f = filter or CampaignSubmissionFilter()
        return await fetch_page(info, info.context.monitoring, f"/campaigns/{self.id}/submissions",
                                CampaignSubmission.from_json, first=first, after=after,
                                status=f.status and f.status.value, municipality=f.municipality_oktmo)

    @strawberry.field(description="Итоги опроса (только для kind: SURVEY): регион, муниципалитеты и организации в "
                                  "области доступа; ни одного работника")
    async def results(self, info: Info[Context, None]) -> list[SurveyGroup]:
        if self.kind is not CampaignKind.SURVEY:
            return []
        rows = await info.context.monitoring.call("GET", f"/campaigns/{self.id}/results", info.context.token)
        return [SurveyGroup(level=g["level"], key=g["key"], municipality_oktmo=g["municipalityOktmo"],
                            responses=g["responses"], suppressed=g["suppressed"],
                            fields=[SurveyFieldSummary(**{k: f[k] for k in ("field", "answered", "mean", "options")})
                                    for f in g["fields"]]) for g in rows]


@strawberry.input(description="Условия списка кампаний")
class CampaignFilter:
    kind: CampaignKind | None = None
    period: str | None = strawberry.field(default=None, description="Например 2025/2026")


@strawberry.type
class CampaignQueries:
    @list_field("Кампании сбора данных в области доступа, страница по курсору (по коду)")
    async def campaigns(self, info: Info[Context, None], filter: CampaignFilter | None = None, first: First = None,
                        after: After = None) -> Connection[Campaign]:
        f = filter or CampaignFilter()
        return await fetch_page(info, info.context.monitoring, "/campaigns", Campaign.from_json, first=first,
                                after=after, kind=f.kind and f.kind.value, period=f.period)

    @strawberry.field(description="Кампания; null — нет такой или вне области доступа")
    async def campaign(self, info: Info[Context, None], id: strawberry.ID) -> Campaign | None:
        found = await info.context.monitoring.find(f"/campaigns/{_id(id, 'id')}", info.context.token)
        return found and Campaign.from_json(found)

    @strawberry.field(description="Форма респондента; null — нет такой или вне области доступа")
    async def campaign_submission(self, info: Info[Context, None], id: strawberry.ID) -> CampaignSubmission | None:
        found = await info.context.monitoring.find(f"/campaign-submissions/{_id(id, 'id')}", info.context.token)
        return found and CampaignSubmission.from_json(found)


# ---- mutations ---------------------------------------------------------------------------------------------------

@strawberry.input(description="Вариант выбора")
class CampaignOptionInput:
    code: str
    title: str


@strawberry.input(description="Поле формы: тип и правила проверки (неприменимые к типу не учитываются)")
class CampaignFieldInput:
    code: str = strawberry.field(description="Код латиницей: по нему значение попадает в факты показателей")
    title: str
    type: FieldType
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    options: list[CampaignOptionInput] = strawberry.field(default_factory=list)
    multiple: bool = False
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    max_length: int = 1000
    file_types: list[str] = strawberry.field(default_factory=list)
    max_bytes: int = 10 * 1024 * 1024


@strawberry.input(description="Форма сбора данных")
class CreateCampaignFormInput:
    code: str
    title: str
    fields: list[CampaignFieldInput]


@strawberry.input(description="Кому назначить: организации по списку, организации видов (в муниципалитетах или во "
                              "всём регионе), или сами муниципалитеты (municipalitiesRespond)")
class CampaignAssignmentInput:
    organisation_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    kinds: list[str] = strawberry.field(default_factory=list)
    municipalities: list[str] = strawberry.field(default_factory=list)
    municipalities_respond: bool = False


@strawberry.input(description="Кампания сбора данных")
class CreateCampaignInput:
    code: str
    title: str
    form_code: str
    period: str = strawberry.field(description="2025/2026, 2026 или 2026-Q1")
    period_start: datetime.date
    deadline: datetime.date
    kind: CampaignKind = CampaignKind.REPORT
    remind_days: int = 3
    min_group: int = 5
    assign: CampaignAssignmentInput | None = None


@strawberry.input(description="Значение поля")
class CampaignValueInput:
    field: str
    value: JSON | None = None


@strawberry.input(description="Значения формы респондента: организации (organisationId) или муниципалитета "
                              "(municipalityOktmo)")
class CampaignAnswersInput:
    campaign_id: strawberry.ID
    organisation_id: strawberry.ID | None = None
    municipality_oktmo: str | None = None
    values: list[CampaignValueInput] = strawberry.field(default_factory=list)


@strawberry.type(description="Итог представления формы: при ошибках форма не изменена, errors называют каждое поле")
class SubmitCampaignFormPayload:
    submission: CampaignSubmission
    errors: list[CampaignFieldError]
    accepted: bool


def _answers(input: CampaignAnswersInput) -> dict:
    return {"organisationId": input.organisation_id and _id(input.organisation_id, "organisationId"),
            "municipalityOktmo": input.municipality_oktmo,
            "values": [{"field": v.field, "value": v.value} for v in input.values]}


def _field(f: CampaignFieldInput) -> dict:
    return {"code": f.code, "title": f.title, "type": f.type.value, "required": f.required, "minimum": f.minimum,
            "maximum": f.maximum, "integer": f.integer, "options": [{"code": o.code, "title": o.title}
                                                                    for o in f.options],
            "multiple": f.multiple, "earliest": f.earliest and f.earliest.isoformat(),
            "latest": f.latest and f.latest.isoformat(), "maxLength": f.max_length, "fileTypes": f.file_types,
            "maxBytes": f.max_bytes}


def _assignment(a: CampaignAssignmentInput | None) -> dict:
    if a is None:
        return {}
    return {"organisationIds": [_id(o, "assign.organisationIds") for o in a.organisation_ids], "kinds": a.kinds,
            "municipalities": a.municipalities, "municipalitiesRespond": a.municipalities_respond}


@strawberry.type
class CampaignMutations:
    @strawberry.mutation(description="Создать форму сбора данных (региональный координатор; методист — для своего "
                                     "муниципалитета)")
    async def create_campaign_form(self, info: Info[Context, None], input: CreateCampaignFormInput) -> CampaignForm:
        body = {"code": input.code, "title": input.title, "fields": [_field(f) for f in input.fields]}
        return CampaignForm.from_json(await info.context.monitoring.call("POST", "/campaign-forms",
                                                                         info.context.token, json=body))

    @strawberry.mutation(description="Открыть кампанию и назначить её респондентам со сроком")
    async def create_campaign(self, info: Info[Context, None], input: CreateCampaignInput) -> Campaign:
        body = {"code": input.code, "title": input.title, "formCode": input.form_code, "kind": input.kind.value,
                "period": input.period, "periodStart": input.period_start.isoformat(),
                "deadline": input.deadline.isoformat(), "remindDays": input.remind_days, "minGroup": input.min_group,
                "assign": _assignment(input.assign)}
        return Campaign.from_json(await info.context.monitoring.call("POST", "/campaigns", info.context.token,
                                                                     json=body))

    @strawberry.mutation(description="Сохранить черновик (обязательные поля можно оставить пустыми)")
    async def save_campaign_draft(self, info: Info[Context, None], input: CampaignAnswersInput) -> CampaignSubmission:
        return CampaignSubmission.from_json(await info.context.monitoring.call(
            "POST", f"/campaigns/{_id(input.campaign_id, 'campaignId')}/drafts", info.context.token,
            json=_answers(input)))

    @strawberry.mutation(description="Представить форму: при ошибках (errors по каждому полю) ничего не сохраняется")
    async def submit_campaign_form(self, info: Info[Context, None],
                                   input: CampaignAnswersInput) -> SubmitCampaignFormPayload:
        path = f"/campaigns/{_id(input.campaign_id, 'campaignId')}"
        checked = await info.context.monitoring.call("POST", f"{path}/check", info.context.token,
                                                     json=_answers(input))
        if checked["problems"]:
            return SubmitCampaignFormPayload(
                submission=CampaignSubmission.from_json(checked["submission"]), accepted=False,
                errors=[CampaignFieldError(field=p["field"], message=p["message"]) for p in checked["problems"]])
        found = await info.context.monitoring.call("POST", f"{path}/submissions", info.context.token,
                                                   json=_answers(input))
        return SubmitCampaignFormPayload(submission=CampaignSubmission.from_json(found), errors=[], accepted=True)

    @strawberry.mutation(description="Согласовать форму (методист муниципалитета) или принять окончательно "
                                     "(региональный координатор): принятые значения становятся фактами показателей")
    async def approve_campaign_submission(self, info: Info[Context, None], id: strawberry.ID) -> CampaignSubmission:
        return CampaignSubmission.from_json(await info.context.monitoring.call(
            "POST", f"/campaign-submissions/{_id(id, 'id')}/approve", info.context.token))

    @strawberry.mutation(description="Вернуть форму на доработку с комментарием")
    async def return_campaign_submission(self, info: Info[Context, None], id: strawberry.ID,
                                         comment: str) -> CampaignSubmission:
        return CampaignSubmission.from_json(await info.context.monitoring.call(
            "POST", f"/campaign-submissions/{_id(id, 'id')}/return", info.context.token, json={"comment": comment}))

    @strawberry.mutation(description="Разослать напоминания (одно в день каждому респонденту); ответ — сколько "
                                     "отправлено сейчас")
    async def run_campaign_reminders(self, info: Info[Context, None], day: datetime.date | None = None) -> int:
        params = {"day": day.isoformat()} if day else {}
        found = await info.context.monitoring.call("POST", "/campaigns/reminders", info.context.token, params=params)
        return found["reminders"]

    @strawberry.mutation(description="Внести анонимный ответ работника на опрос (без сведений о работнике)")
    async def add_survey_response(self, info: Info[Context, None], campaign_id: strawberry.ID,
                                  organisation_id: strawberry.ID, values: list[CampaignValueInput]) -> bool:
        await info.context.monitoring.call(
            "POST", f"/campaigns/{_id(campaign_id, 'campaignId')}/responses", info.context.token,
            json={"organisationId": _id(organisation_id, "organisationId"),
                  "values": [{"field": v.field, "value": v.value} for v in values]})
        return True
