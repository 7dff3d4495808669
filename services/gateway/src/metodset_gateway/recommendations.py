"""GraphQL shapes of monitoring's addressed recommendations and support cases of low-result schools (ШНОР), read
and written through the monitoring service's REST API: `recommendations(filter:)`, `recommendation(id:)`,
`recommendationShares`, `supportCases(filter:)`, `supportCase(id:)` with the organisation, the curator, the plan,
visits and consultations, recommendations and the school's results; their mutations. Monitoring checks scope
itself: a record out of scope is null, like a missing one; an analyst gets the shares only."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from metodset_contracts.recommendations import (
    ADDRESSEE_TITLES,
    CASE_OUTCOME_TITLES,
    CASE_STATUS_TITLES,
    RECOMMENDATION_STATUS_TITLES,
    Addressee,
    CaseOutcome,
    CaseStatus,
    RecommendationStatus,
)

from .bodies import _date
from .bodies import _uuid as _id
from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum, _params
from .paging import First, list_field
from .plans import PersonRef, _person

if TYPE_CHECKING:
    from .schema import Organisation

OrganisationRef = Annotated["Organisation", strawberry.lazy("metodset_gateway.schema")]
Date = datetime.date

RecommendationState = _enum("RecommendationState", RecommendationStatus, RECOMMENDATION_STATUS_TITLES,
                            "Состояние рекомендации: сформирована → назначен исполнитель → выполняется → выполнена "
                            "(или отменена)")
RecommendationAddressee = _enum("RecommendationAddressee", Addressee, ADDRESSEE_TITLES, "Кому адресована рекомендация")
SupportCaseState = _enum("SupportCaseState", CaseStatus, CASE_STATUS_TITLES, "Состояние сопровождения")
SupportCaseOutcome = _enum("SupportCaseOutcome", CaseOutcome, CASE_OUTCOME_TITLES, "Итог сопровождения")
PlanItemState = strawberry.enum(
    Enum("PlanItemState", {"PLANNED": "planned", "IN_PROGRESS": "in_progress", "DONE": "done",
                           "CANCELLED": "cancelled"}),
    description="Ход выполнения пункта плана сопровождения")
TimelineKind = strawberry.enum(Enum("TimelineKind", {"VISIT": "visit", "CONSULTATION": "consultation"}),
                               description="Выезд в школу или консультация по запросу школы (сервис мероприятий)")


def _monitoring(info: Info[Context, None]):
    return info.context.monitoring


async def _organisation(info: Info[Context, None], organisation_id: str | None):
    if not organisation_id:
        return None
    from .schema import Organisation

    found = await info.context.organisation_by_id.load(organisation_id)
    return Organisation.from_json(found) if found else None


@strawberry.type(description="Адресная рекомендация: правило сформировало её, когда значение показателя пересекло "
                             "порог")
class Recommendation:
    id: strawberry.ID
    rule: str = strawberry.field(description="Код правила")
    indicator: str = strawberry.field(description="Код показателя")
    period: str
    level: str = strawberry.field(description="region, municipality или organisation")
    municipality_oktmo: str | None
    organisation_id: strawberry.ID | None
    addressee: RecommendationAddressee
    addressee_title: str
    text: str
    value: float | None = strawberry.field(description="Значение показателя, при котором рекомендация сформирована")
    current_value: float | None = strawberry.field(
        description="Текущее значение показателя по тому же адресату и периоду")
    threshold: float
    status: RecommendationState
    status_title: str
    raised_on: Date
    due_on: Date
    overdue: bool
    closed_on_time: bool
    assignee_id: strawberry.ID | None
    closed_on: Date | None
    evidence_text: str | None
    evidence_link: str | None
    cancel_reason: str | None
    value_returned_on: Date | None = strawberry.field(
        description="Когда значение вернулось за порог («решено по значению»); рекомендация открыта до закрытия")

    @classmethod
    def from_json(cls, d: dict) -> Recommendation:
        return cls(
            id=strawberry.ID(d["id"]), rule=d["rule"], indicator=d["indicator"], period=d["period"],
            level=d["level"], municipality_oktmo=d["municipalityOktmo"], organisation_id=d["organisationId"],
            addressee=RecommendationAddressee(d["addressee"]), addressee_title=d["addresseeTitle"], text=d["text"],
            value=d["value"], current_value=d["currentValue"], threshold=d["threshold"],
            status=RecommendationState(d["status"]),
            status_title=d["statusTitle"], raised_on=_date(d["raisedOn"]), due_on=_date(d["dueOn"]),
            overdue=d["overdue"], closed_on_time=d["closedOnTime"], assignee_id=d["assigneeId"],
            closed_on=_date(d["closedOn"]), evidence_text=d["evidenceText"], evidence_link=d["evidenceLink"],
            cancel_reason=d["cancelReason"], value_returned_on=_date(d["valueReturnedOn"]))

    @strawberry.field(description="Организация-адресат (через реестр); null — рекомендация не организации")
    async def organisation(self, info: Info[Context, None]) -> OrganisationRef | None:
        return await _organisation(info, self.organisation_id)

    @strawberry.field(description="Исполнитель (через реестр; null — не назначен или вне области доступа)")
    async def assignee(self, info: Info[Context, None]) -> PersonRef | None:
        return await _person(info, self.assignee_id)


@strawberry.input(description="Условия списка рекомендаций; не указанное условие не ограничивает")
class RecommendationFilter:
    municipality_oktmo: str | None = None
    organisation_id: strawberry.ID | None = None
    status: RecommendationState | None = None
    indicator: str | None = strawberry.field(default=None, description="Код показателя")
    overdue: bool = strawberry.field(default=False, description="Только просроченные")


@strawberry.type(description="Доли просроченных и закрытых в срок рекомендаций (муниципалитет или region)")
class RecommendationShares:
    scope: str
    total: int
    open: int
    overdue: int
    closed: int
    closed_on_time: int
    overdue_share: float | None
    closed_on_time_share: float | None


@strawberry.input(description="Изменение рекомендации: только указанные поля")
class EditRecommendationInput:
    text: str | None = None
    due_on: Date | None = None
    in_progress: bool | None = strawberry.field(default=None, description="true — взять в работу")


@strawberry.input(description="Закрытие рекомендации с подтверждением исполнения")
class CloseRecommendationInput:
    evidence_text: str
    evidence_link: str | None = strawberry.field(default=None, description="Ссылка на документ (http/https)")


# ---- support cases ------------------------------------------------------------------------------------------

@strawberry.type(description="Пункт плана сопровождения")
class SupportPlanItem:
    id: strawberry.ID
    title: str
    starts_on: Date | None
    due_on: Date
    status: PlanItemState
    status_title: str
    done_on: Date | None
    notes: str | None
    overdue: bool

    @classmethod
    def from_json(cls, d: dict) -> SupportPlanItem:
        return cls(id=strawberry.ID(d["id"]), title=d["title"], starts_on=_date(d["startsOn"]),
                   due_on=_date(d["dueOn"]), status=PlanItemState(d["status"]), status_title=d["statusTitle"],
                   done_on=_date(d["doneOn"]), notes=d["notes"], overdue=d["overdue"])


@strawberry.type(description="Выезд или консультация в ленте сопровождения")
class SupportVisit:
    kind: TimelineKind
    on: Date
    id: strawberry.ID
    methodist_id: strawberry.ID | None
    request_id: strawberry.ID | None = strawberry.field(description="Запрос школы (для консультации)")
    minutes: int | None
    purpose: str | None
    notes: str | None


@strawberry.type(description="Значение показателя школы за период")
class SchoolResult:
    code: str
    period: str
    value: float | None


@strawberry.type(description="Сопровождение школы с низкими образовательными результатами (ШНОР)")
class SupportCase:
    id: strawberry.ID
    flag_id: strawberry.ID = strawberry.field(description="Признак ШНОР в реестре")
    organisation_id: strawberry.ID
    municipality_oktmo: str
    opened_on: Date
    status: SupportCaseState
    status_title: str
    curator_id: strawberry.ID | None
    closed_on: Date | None
    outcome: SupportCaseOutcome | None
    outcome_title: str | None
    outcome_text: str | None
    flag_cleared_on: Date | None
    detail: strawberry.Private[dict | None] = None

    @classmethod
    def from_json(cls, d: dict) -> SupportCase:
        return cls(
            id=strawberry.ID(d["id"]), flag_id=strawberry.ID(d["flagId"]),
            organisation_id=strawberry.ID(d["organisationId"]), municipality_oktmo=d["municipalityOktmo"],
            opened_on=_date(d["openedOn"]), status=SupportCaseState(d["status"]), status_title=d["statusTitle"],
            curator_id=d["curatorId"], closed_on=_date(d["closedOn"]),
            outcome=d["outcome"] and SupportCaseOutcome(d["outcome"]), outcome_title=d["outcomeTitle"],
            outcome_text=d["outcomeText"], flag_cleared_on=_date(d["flagClearedOn"]),
            detail=d if "plan" in d else None)

    async def _detail(self, info: Info[Context, None]) -> dict:
        if self.detail is None:  # a list's summary: the case's own read brings plan, visits, results
            self.detail = await _monitoring(info).call("GET", f"/support-cases/{_id(self.id, 'id')}",
                                                       info.context.token)
        return self.detail

    @strawberry.field(description="Школа (через реестр)")
    async def organisation(self, info: Info[Context, None]) -> OrganisationRef | None:
        return await _organisation(info, self.organisation_id)

    @strawberry.field(description="Куратор (через реестр; null — не назначен или вне области доступа)")
    async def curator(self, info: Info[Context, None]) -> PersonRef | None:
        return await _person(info, self.curator_id)

    @strawberry.field(description="План сопровождения по срокам")
    async def plan(self, info: Info[Context, None]) -> list[SupportPlanItem]:
        return [SupportPlanItem.from_json(i) for i in (await self._detail(info))["plan"]]

    @strawberry.field(description="Выезды и консультации в периоде сопровождения, по датам")
    async def visits(self, info: Info[Context, None]) -> list[SupportVisit]:
        return [SupportVisit(kind=TimelineKind(v["kind"]), on=_date(v["on"]), id=strawberry.ID(v["id"]),
                             methodist_id=v["methodistId"], request_id=v["requestId"], minutes=v["minutes"],
                             purpose=v["purpose"], notes=v["notes"]) for v in (await self._detail(info))["visits"]]

    @strawberry.field(description="Рекомендации школе")
    async def recommendations(self, info: Info[Context, None]) -> list[Recommendation]:
        return [Recommendation.from_json(r) for r in (await self._detail(info))["recommendations"]]

    @strawberry.field(description="Результаты школы по годам: значения её показателей")
    async def results(self, info: Info[Context, None]) -> list[SchoolResult]:
        return [SchoolResult(code=r["code"], period=r["period"], value=r["value"])
                for r in (await self._detail(info))["results"]]


@strawberry.input(description="Условия списка сопровождений; не указанное условие не ограничивает")
class SupportCaseFilter:
    municipality_oktmo: str | None = None
    organisation_id: strawberry.ID | None = None
    status: SupportCaseState | None = None
    curator_id: strawberry.ID | None = None


@strawberry.input(description="Пункт плана сопровождения")
class SupportPlanItemInput:
    title: str
    due_on: Date
    starts_on: Date | None = None


@strawberry.input(description="Изменение пункта плана: только указанные поля (администратор школы — status, notes)")
class UpdateSupportPlanItemInput:
    title: str | None = strawberry.UNSET
    starts_on: Date | None = strawberry.UNSET
    due_on: Date | None = strawberry.UNSET
    status: PlanItemState | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="Выезд в школу")
class SupportVisitInput:
    visited_on: Date
    purpose: str
    methodist_id: strawberry.ID | None = None
    notes: str | None = None


@strawberry.input(description="Закрытие сопровождения")
class CloseSupportCaseInput:
    outcome: SupportCaseOutcome
    outcome_text: str | None = None


def _set(**values) -> dict:
    out = {}
    for k, v in values.items():
        if v is strawberry.UNSET:
            continue
        out[k] = v.value if isinstance(v, Enum) else v.isoformat() if isinstance(v, Date) else v
    return out


@strawberry.type
class RecommendationQueries:
    @list_field("Адресные рекомендации в области доступа, страница по курсору (аналитику — только доли)")
    async def recommendations(self, info: Info[Context, None], first: First = None, after: After = None,
                              filter: RecommendationFilter | None = None) -> Connection[Recommendation]:
        f = filter or RecommendationFilter()
        return await fetch_page(info, _monitoring(info), "/recommendations", Recommendation.from_json, first=first,
                                after=after, **_params(
                                    municipality=f.municipality_oktmo, status=f.status and f.status.value,
                                    indicator=f.indicator, overdue="true" if f.overdue else None,
                                    organisation=f.organisation_id and _id(f.organisation_id, "organisationId")))

    @strawberry.field(description="Рекомендация; null — нет такой или она вне вашей области доступа")
    async def recommendation(self, info: Info[Context, None], id: strawberry.ID) -> Recommendation | None:
        found = await _monitoring(info).find(f"/recommendations/{_id(id, 'id')}", info.context.token)
        return Recommendation.from_json(found) if found else None

    @strawberry.field(description="Доли просроченных и закрытых в срок рекомендаций по муниципалитетам (без "
                                  "municipalityOktmo — все и регион)")
    async def recommendation_shares(self, info: Info[Context, None],
                                    municipality_oktmo: list[str] | None = None) -> list[RecommendationShares]:
        params = [("municipality", m) for m in municipality_oktmo or []]
        rows = await _monitoring(info).call("GET", "/recommendations/shares", info.context.token, params=params)
        return [RecommendationShares(scope=r["scope"], total=r["total"], open=r["open"], overdue=r["overdue"],
                                     closed=r["closed"], closed_on_time=r["closedOnTime"],
                                     overdue_share=r["overdueShare"], closed_on_time_share=r["closedOnTimeShare"])
                for r in rows]

    @list_field("Сопровождение школ с низкими результатами в области доступа, страница по курсору")
    async def support_cases(self, info: Info[Context, None], first: First = None, after: After = None,
                            filter: SupportCaseFilter | None = None) -> Connection[SupportCase]:
        f = filter or SupportCaseFilter()
        return await fetch_page(info, _monitoring(info), "/support-cases", SupportCase.from_json, first=first,
                                after=after, **_params(
                                    municipality=f.municipality_oktmo, status=f.status and f.status.value,
                                    organisation=f.organisation_id and _id(f.organisation_id, "organisationId"),
                                    curator=f.curator_id and _id(f.curator_id, "curatorId")))

    @strawberry.field(description="Сопровождение школы; null — нет такого или оно вне вашей области доступа")
    async def support_case(self, info: Info[Context, None], id: strawberry.ID) -> SupportCase | None:
        found = await _monitoring(info).find(f"/support-cases/{_id(id, 'id')}", info.context.token)
        return SupportCase.from_json(found) if found else None


async def _post(info: Info[Context, None], path: str, body: dict, method: str = "POST") -> dict:
    return await _monitoring(info).call(method, path, info.context.token, json=body)


def _case_path(case_id: strawberry.ID, tail: str = "") -> str:
    return f"/support-cases/{_id(case_id, 'caseId')}{tail}"


@strawberry.type
class RecommendationMutations:
    @strawberry.mutation(description="Изменить рекомендацию: текст, срок, взять в работу")
    async def edit_recommendation(self, info: Info[Context, None], id: strawberry.ID,
                                  input: EditRecommendationInput) -> Recommendation:
        body = {k: v for k, v in _set(text=input.text, dueOn=input.due_on, inProgress=input.in_progress).items()
                if v is not None}
        return Recommendation.from_json(await _post(info, f"/recommendations/{_id(id, 'id')}", body, "PATCH"))

    @strawberry.mutation(description="Назначить исполнителя рекомендации (id работника)")
    async def assign_recommendation(self, info: Info[Context, None], id: strawberry.ID,
                                    assignee_id: strawberry.ID) -> Recommendation:
        return Recommendation.from_json(await _post(info, f"/recommendations/{_id(id, 'id')}/assign",
                                                    {"assigneeId": _id(assignee_id, "assigneeId")}))

    @strawberry.mutation(description="Закрыть рекомендацию с подтверждением исполнения")
    async def close_recommendation(self, info: Info[Context, None], id: strawberry.ID,
                                   input: CloseRecommendationInput) -> Recommendation:
        return Recommendation.from_json(await _post(info, f"/recommendations/{_id(id, 'id')}/close", {
            "evidenceText": input.evidence_text, "evidenceLink": input.evidence_link}))

    @strawberry.mutation(description="Отменить рекомендацию с причиной")
    async def cancel_recommendation(self, info: Info[Context, None], id: strawberry.ID,
                                    reason: str) -> Recommendation:
        return Recommendation.from_json(await _post(info, f"/recommendations/{_id(id, 'id')}/cancel",
                                                    {"reason": reason}))

    @strawberry.mutation(description="Назначить куратора сопровождения (сопровождение становится активным)")
    async def set_support_case_curator(self, info: Info[Context, None], case_id: strawberry.ID,
                                       curator_id: strawberry.ID) -> SupportCase:
        return SupportCase.from_json(await _post(info, _case_path(case_id, "/curator"),
                                                 {"curatorId": _id(curator_id, "curatorId")}))

    @strawberry.mutation(description="Добавить пункт плана сопровождения")
    async def add_support_plan_item(self, info: Info[Context, None], case_id: strawberry.ID,
                                    input: SupportPlanItemInput) -> SupportCase:
        return SupportCase.from_json(await _post(info, _case_path(case_id, "/plan"), _set(
            title=input.title, dueOn=input.due_on, startsOn=input.starts_on)))

    @strawberry.mutation(description="Изменить пункт плана (администратор школы — только ход выполнения)")
    async def update_support_plan_item(self, info: Info[Context, None], case_id: strawberry.ID,
                                       item_id: strawberry.ID, input: UpdateSupportPlanItemInput) -> SupportCase:
        body = _set(title=input.title, startsOn=input.starts_on, dueOn=input.due_on, status=input.status,
                    notes=input.notes)
        return SupportCase.from_json(await _post(info, _case_path(case_id, f"/plan/{_id(item_id, 'itemId')}"), body,
                                                 "PATCH"))

    @strawberry.mutation(description="Удалить пункт плана сопровождения")
    async def delete_support_plan_item(self, info: Info[Context, None], case_id: strawberry.ID,
                                       item_id: strawberry.ID) -> SupportCase:
        return SupportCase.from_json(await _monitoring(info).call(
            "DELETE", _case_path(case_id, f"/plan/{_id(item_id, 'itemId')}"), info.context.token))

    @strawberry.mutation(description="Записать выезд в школу")
    async def record_support_visit(self, info: Info[Context, None], case_id: strawberry.ID,
                                   input: SupportVisitInput) -> SupportCase:
        return SupportCase.from_json(await _post(info, _case_path(case_id, "/visits"), _set(
            visitedOn=input.visited_on, purpose=input.purpose, notes=input.notes,
            methodistId=input.methodist_id and _id(input.methodist_id, "methodistId"))))

    @strawberry.mutation(description="Закрыть сопровождение с итогом")
    async def close_support_case(self, info: Info[Context, None], case_id: strawberry.ID,
                                 input: CloseSupportCaseInput) -> SupportCase:
        return SupportCase.from_json(await _post(info, _case_path(case_id, "/close"), _set(
            outcome=input.outcome, outcomeText=input.outcome_text)))
