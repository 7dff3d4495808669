"""GraphQL shapes of annual work plans and support requests, read and written through the events service's
REST API: workPlan(organisationId:, year:) with items and plan-versus-fact, its mutations, supportRequests as
a cursor connection, the request's mutations and the response times per municipality.

The events service decides scope and keeps persons as ids; a responsible person's or a methodist's name is
resolved here through the registry (which checks scope and audits the read), null when out of scope."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from metodset_contracts.plans import STATUS_TITLES as ITEM_TITLES
from metodset_contracts.plans import ItemStatus
from metodset_contracts.requests import FORM_TITLES, OUTCOME_TITLES, STATUS_TITLES, ConsultationForm
from metodset_contracts.requests import RequestOutcome as ContractOutcome
from metodset_contracts.requests import RequestStatus as ContractStatus

from .bodies import _date
from .bodies import _uuid as _id
from .clients import ServiceError
from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum, _params
from .paging import First, list_field

if TYPE_CHECKING:
    from .staff import Person

Date = datetime.date
PersonRef = Annotated["Person", strawberry.lazy("metodset_gateway.staff")]

PlanItemStatus = _enum("PlanItemStatus", ItemStatus, ITEM_TITLES, "Выполнение пункта плана (overdue вычисляется)")
SupportRequestStatus = _enum("SupportRequestStatus", ContractStatus, STATUS_TITLES, "Состояние запроса")
RequestOutcome = _enum("RequestOutcome", ContractOutcome, OUTCOME_TITLES, "Итог запроса")
ConsultationKind = _enum("ConsultationKind", ConsultationForm, FORM_TITLES, "Форма консультации")


async def _missing_is_null(call):
    try:
        return await call
    except ServiceError as exc:
        if (exc.extensions or {}).get("status") == 404:
            return None
        raise


async def _person(info: Info[Context, None], person_id: str | None) -> Person | None:
    """A person through the registry; null when absent or out of the caller's scope."""
    if not person_id:
        return None
    from .staff import Person

    found = await _missing_is_null(info.context.registry.call("GET", f"/persons/{person_id}", info.context.token))
    return Person.from_json(found) if found else None


# ---- work plans ---------------------------------------------------------------------------------------------

@strawberry.type(description="Пункт годового плана")
class WorkPlanItem:
    id: strawberry.ID
    position: int
    direction: str = strawberry.field(description="Код направления (справочник plan_directions)")
    direction_title: str
    months: list[str] = strawberry.field(description="Месяцы, ГГГГ-ММ")
    title: str
    responsible_id: strawberry.ID | None
    expected_result: str | None
    event_ids: list[strawberry.ID] = strawberry.field(description="Связанные методические мероприятия")
    status: PlanItemStatus
    status_title: str
    moved_to: str | None = strawberry.field(description="Месяц переноса, ГГГГ-ММ")
    note: str | None

    @classmethod
    def from_json(cls, d: dict) -> WorkPlanItem:
        return cls(id=strawberry.ID(d["id"]), position=d["position"], direction=d["direction"],
                   direction_title=d["directionTitle"], months=d["months"], title=d["title"],
                   responsible_id=d["responsibleId"], expected_result=d["expectedResult"],
                   event_ids=[strawberry.ID(e) for e in d["eventIds"]], status=PlanItemStatus(d["status"]),
                   status_title=d["statusTitle"], moved_to=d["movedTo"], note=d["note"])

    @strawberry.field(description="Ответственный (через реестр; null — вне вашей области доступа)")
    async def responsible(self, info: Info[Context, None]) -> PersonRef | None:
        return await _person(info, self.responsible_id)


@strawberry.type(description="План — факт по направлению или по плану в целом")
class PlanFulfilment:
    direction: str | None = strawberry.field(description="Код направления; null — по плану в целом")
    direction_title: str
    total: int = strawberry.field(description="Всего пунктов, включая отменённые")
    counted: int = strawberry.field(description="Учитываемых (без отменённых) — знаменатель доли")
    done: int
    moved: int = strawberry.field(description="Перенесены, срок ещё не наступил")
    overdue: int
    cancelled: int
    pending: int = strawberry.field(description="Запланированы, срок ещё не наступил")
    share: float | None = strawberry.field(description="Доля выполненных: done / counted; null — учитывать нечего")

    @classmethod
    def from_json(cls, d: dict) -> PlanFulfilment:
        return cls(direction=d["direction"], direction_title=d["directionTitle"], total=d["total"],
                   counted=d["counted"], done=d["done"], moved=d["moved"], overdue=d["overdue"],
                   cancelled=d["cancelled"], pending=d["pending"], share=d["share"])


@strawberry.type(description="Анализ выполнения годового плана на дату")
class Fulfilment:
    directions: list[PlanFulfilment]
    overall: PlanFulfilment
    as_of: Date


@strawberry.type(description="Годовой план работы организации на учебный год")
class WorkPlan:
    id: strawberry.ID
    organisation_id: strawberry.ID
    organisation_name: str | None
    municipality_oktmo: str
    year: int = strawberry.field(description="Учебный год по его началу: 2026 — 2026/2027")
    academic_year: str
    approved_on: Date | None
    items: list[WorkPlanItem]
    fulfilment: Fulfilment
    analysis_url: str = strawberry.field(description="Путь xlsx «Анализ выполнения годового плана» в сервисе "
                                                     "мероприятий (GET с тем же токеном)")

    @classmethod
    def from_json(cls, d: dict) -> WorkPlan:
        f = d["fulfilment"]
        return cls(id=strawberry.ID(d["id"]), organisation_id=strawberry.ID(d["organisationId"]),
                   organisation_name=d["organisationName"], municipality_oktmo=d["municipalityOktmo"], year=d["year"],
                   academic_year=d["academicYear"], approved_on=_date(d["approvedOn"]),
                   items=[WorkPlanItem.from_json(i) for i in d["items"]],
                   fulfilment=Fulfilment(directions=[PlanFulfilment.from_json(t) for t in f["directions"]],
                                         overall=PlanFulfilment.from_json(f["overall"]), as_of=_date(f["asOf"])),
                   analysis_url=f"/work-plans/{d['id']}/analysis.xlsx")


@strawberry.input(description="Пункт годового плана")
class WorkPlanItemInput:
    direction: str = strawberry.field(description="Код направления (справочник plan_directions)")
    months: list[str] = strawberry.field(description="Месяцы учебного года, ГГГГ-ММ")
    title: str
    responsible_id: strawberry.ID | None = None
    expected_result: str | None = None
    event_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="Изменение пункта плана: только указанные поля")
class WorkPlanItemChange:
    direction: str | None = strawberry.UNSET
    months: list[str] | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    responsible_id: strawberry.ID | None = strawberry.UNSET
    expected_result: str | None = strawberry.UNSET
    event_ids: list[strawberry.ID] | None = strawberry.UNSET


def _item_body(item) -> dict:
    body = {}
    for name, key in (("direction", "direction"), ("months", "months"), ("title", "title"),
                      ("expected_result", "expectedResult")):
        value = getattr(item, name)
        if value is not strawberry.UNSET:
            body[key] = value
    if item.responsible_id is not strawberry.UNSET:
        body["responsibleId"] = item.responsible_id and _id(item.responsible_id, "responsibleId")
    if item.event_ids is not strawberry.UNSET:
        body["eventIds"] = None if item.event_ids is None else [_id(e, "eventIds") for e in item.event_ids]
    return body


# ---- support requests ---------------------------------------------------------------------------------------

@strawberry.type(description="Консультация по запросу")
class Consultation:
    id: strawberry.ID
    form: ConsultationKind
    form_title: str
    held_on: Date
    minutes: int
    participants: int
    notes: str | None
    methodist_id: strawberry.ID | None


@strawberry.type(description="Часы от заявки до этапа; null — этап не наступил")
class ResponseHours:
    assigned: float | None
    consulted: float | None
    closed: float | None


@strawberry.type(description="Запрос организации на методическое сопровождение")
class SupportRequest:
    id: strawberry.ID
    organisation_id: strawberry.ID
    organisation_name: str | None
    municipality_oktmo: str
    topic: str
    asked: str
    subject: str | None
    subject_title: str | None
    status: SupportRequestStatus
    status_title: str
    declared_at: datetime.datetime
    methodist_id: strawberry.ID | None
    assigned_at: datetime.datetime | None
    first_consulted_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: RequestOutcome | None
    outcome_title: str | None
    outcome_text: str | None
    rating: int | None
    response_hours: ResponseHours
    consultations: list[Consultation]

    @classmethod
    def from_json(cls, d: dict) -> SupportRequest:
        def when(v):
            return datetime.datetime.fromisoformat(v) if v else None

        return cls(
            id=strawberry.ID(d["id"]), organisation_id=strawberry.ID(d["organisationId"]),
            organisation_name=d["organisationName"], municipality_oktmo=d["municipalityOktmo"], topic=d["topic"],
            asked=d["asked"], subject=d["subject"], subject_title=d["subjectTitle"],
            status=SupportRequestStatus(d["status"]), status_title=d["statusTitle"],
            declared_at=when(d["declaredAt"]), methodist_id=d["methodistId"], assigned_at=when(d["assignedAt"]),
            first_consulted_at=when(d["firstConsultedAt"]), closed_at=when(d["closedAt"]),
            outcome=d["outcome"] and RequestOutcome(d["outcome"]), outcome_title=d["outcomeTitle"],
            outcome_text=d["outcomeText"], rating=d["rating"], response_hours=ResponseHours(**d["responseHours"]),
            consultations=[Consultation(id=strawberry.ID(c["id"]), form=ConsultationKind(c["form"]),
                                        form_title=c["formTitle"], held_on=_date(c["heldOn"]), minutes=c["minutes"],
                                        participants=c["participants"], notes=c["notes"],
                                        methodist_id=c["methodistId"]) for c in d["consultations"]])

    @strawberry.field(description="Назначенный методист (через реестр; null — не назначен или вне области доступа)")
    async def methodist(self, info: Info[Context, None]) -> PersonRef | None:
        return await _person(info, self.methodist_id)


@strawberry.input(description="Условия списка запросов; не указанное условие не ограничивает")
class SupportRequestFilter:
    municipality_oktmo: str | None = None
    status: SupportRequestStatus | None = None
    organisation_id: strawberry.ID | None = None
    declared_from: Date | None = None
    declared_to: Date | None = strawberry.field(default=None, description="Включительно")


@strawberry.input(description="Заявка организации: проблема и что требуется")
class DeclareRequestInput:
    organisation_id: strawberry.ID
    topic: str
    asked: str = strawberry.field(description="Что требуется от методической службы")
    subject: str | None = strawberry.field(default=None, description="Код предмета (справочник subjects)")


@strawberry.input(description="Консультация по запросу")
class ConsultationInput:
    form: ConsultationKind
    held_on: Date
    minutes: int = strawberry.field(description="Продолжительность, минут")
    participants: int = 1
    notes: str | None = None


@strawberry.input(description="Закрытие запроса")
class CloseRequestInput:
    outcome: RequestOutcome
    outcome_text: str | None = None
    rating: int | None = strawberry.field(default=None, description="Оценка заявителя, 1–5")


@strawberry.type(description="Срок реагирования на этапе")
class ResponseStage:
    stage: str = strawberry.field(description="assigned, consulted или closed")
    reached: int
    median_hours: float | None
    within: float | None = strawberry.field(description="Доля всех запросов, дошедших до этапа за withinDays дней")


@strawberry.type(description="Сроки реагирования на запросы муниципалитета")
class ResponseTimes:
    municipality_oktmo: str
    requests: int
    within_days: int
    stages: list[ResponseStage]
    average_rating: float | None


# ---- queries and mutations ----------------------------------------------------------------------------------

def _events(info: Info[Context, None]):
    return info.context.events


@strawberry.type
class PlanQueries:
    @strawberry.field(description="Годовой план организации на учебный год (year — год начала: 2026 — 2026/2027); "
                                  "null — нет плана или он вне вашей области доступа")
    async def work_plan(self, info: Info[Context, None], organisation_id: strawberry.ID, year: int) -> WorkPlan | None:
        found = await _missing_is_null(_events(info).call(
            "GET", f"/organisations/{_id(organisation_id, 'organisationId')}/work-plans/{year}", info.context.token))
        return WorkPlan.from_json(found) if found else None

    @list_field("Запросы организаций на методическое сопровождение в области доступа, страница по курсору")
    async def support_requests(self, info: Info[Context, None], first: First = None, after: After = None,
                               filter: SupportRequestFilter | None = None) -> Connection[SupportRequest]:
        f = filter or SupportRequestFilter()
        return await fetch_page(info, _events(info), "/support-requests", SupportRequest.from_json, first=first,
                                after=after, **_params(
                                    municipality=f.municipality_oktmo, status=f.status and f.status.value,
                                    organisation=f.organisation_id and _id(f.organisation_id, "organisationId"),
                                    declaredFrom=f.declared_from, declaredTo=f.declared_to))

    @strawberry.field(description="Запрос по идентификатору; null — нет такого или он вне вашей области доступа")
    async def support_request(self, info: Info[Context, None], id: strawberry.ID) -> SupportRequest | None:
        found = await _missing_is_null(_events(info).call("GET", f"/support-requests/{_id(id, 'id')}",
                                                          info.context.token))
        return SupportRequest.from_json(found) if found else None

    @strawberry.field(description="Сроки реагирования на запросы по муниципалитетам: медиана часов до назначения, "
                                  "первой консультации и закрытия, доля уложившихся в withinDays дней")
    async def request_response_times(self, info: Info[Context, None], municipality_oktmo: str | None = None,
                                     within_days: int = 3) -> list[ResponseTimes]:
        rows = await _events(info).call("GET", "/support-requests/response-times", info.context.token,
                                        params=_params(municipality=municipality_oktmo, withinDays=within_days))
        return [ResponseTimes(municipality_oktmo=r["municipalityOktmo"], requests=r["requests"],
                              within_days=r["withinDays"], average_rating=r["averageRating"],
                              stages=[ResponseStage(stage=s["stage"], reached=s["reached"],
                                                    median_hours=s["medianHours"], within=s["within"])
                                      for s in r["stages"]]) for r in rows]


async def _plan_call(info: Info[Context, None], path: str, body: dict | None = None) -> dict:
    return await _events(info).call("POST", path, info.context.token, json=body or {})


@strawberry.type
class PlanMutations:
    @strawberry.mutation(description="Создать годовой план организации на учебный год")
    async def create_work_plan(self, info: Info[Context, None], organisation_id: strawberry.ID,
                               year: int) -> WorkPlan:
        return WorkPlan.from_json(await _plan_call(info, "/work-plans", {
            "organisationId": _id(organisation_id, "organisationId"), "year": year}))

    @strawberry.mutation(description="Добавить пункт плана")
    async def add_work_plan_item(self, info: Info[Context, None], plan_id: strawberry.ID,
                                 input: WorkPlanItemInput) -> WorkPlanItem:
        return WorkPlanItem.from_json(await _plan_call(info, f"/work-plans/{_id(plan_id, 'planId')}/items",
                                                       _item_body(input)))

    @strawberry.mutation(description="Изменить пункт плана: только указанные поля")
    async def change_work_plan_item(self, info: Info[Context, None], plan_id: strawberry.ID, item_id: strawberry.ID,
                                    input: WorkPlanItemChange) -> WorkPlanItem:
        return WorkPlanItem.from_json(await _events(info).call(
            "PATCH", f"/work-plans/{_id(plan_id, 'planId')}/items/{_id(item_id, 'itemId')}", info.context.token,
            json=_item_body(input)))

    @strawberry.mutation(description="Отметить пункт: выполнено, перенесено (movedTo — месяц ГГГГ-ММ), отменено или "
                                     "снова запланировано")
    async def mark_work_plan_item(self, info: Info[Context, None], plan_id: strawberry.ID, item_id: strawberry.ID,
                                  status: PlanItemStatus, moved_to: str | None = None,
                                  note: str | None = None) -> WorkPlanItem:
        return WorkPlanItem.from_json(await _plan_call(
            info, f"/work-plans/{_id(plan_id, 'planId')}/items/{_id(item_id, 'itemId')}/status",
            {"status": status.value, "movedTo": moved_to, "note": note}))

    @strawberry.mutation(description="Утвердить план (approvedOn; без неё — сегодня)")
    async def approve_work_plan(self, info: Info[Context, None], plan_id: strawberry.ID,
                                approved_on: Date | None = None) -> WorkPlan:
        return WorkPlan.from_json(await _plan_call(info, f"/work-plans/{_id(plan_id, 'planId')}/approve",
                                                   {"approvedOn": approved_on and approved_on.isoformat()}))

    @strawberry.mutation(description="Начать план следующего учебного года с этого одной операцией: месяцы на год "
                                     "позже, статусы сброшены, связи с мероприятиями не переносятся")
    async def start_next_year_plan(self, info: Info[Context, None], plan_id: strawberry.ID) -> WorkPlan:
        return WorkPlan.from_json(await _plan_call(info, f"/work-plans/{_id(plan_id, 'planId')}/next-year"))

    @strawberry.mutation(description="Заявить проблему организации (запрос на методическое сопровождение)")
    async def declare_request(self, info: Info[Context, None], input: DeclareRequestInput) -> SupportRequest:
        return SupportRequest.from_json(await _plan_call(info, "/support-requests", {
            "organisationId": _id(input.organisation_id, "organisationId"), "topic": input.topic,
            "asked": input.asked, "subject": input.subject}))

    @strawberry.mutation(description="Назначить методиста по запросу (повторно — сменить)")
    async def assign_request(self, info: Info[Context, None], id: strawberry.ID,
                             methodist_id: strawberry.ID) -> SupportRequest:
        return SupportRequest.from_json(await _plan_call(info, f"/support-requests/{_id(id, 'id')}/assign",
                                                         {"methodistId": _id(methodist_id, "methodistId")}))

    @strawberry.mutation(description="Записать консультацию по запросу")
    async def record_consultation(self, info: Info[Context, None], id: strawberry.ID,
                                  input: ConsultationInput) -> SupportRequest:
        return SupportRequest.from_json(await _plan_call(info, f"/support-requests/{_id(id, 'id')}/consultations", {
            "form": input.form.value, "heldOn": input.held_on.isoformat(), "minutes": input.minutes,
            "participants": input.participants, "notes": input.notes}))

    @strawberry.mutation(description="Закрыть запрос с итогом и оценкой заявителя")
    async def close_request(self, info: Info[Context, None], id: strawberry.ID,
                            input: CloseRequestInput) -> SupportRequest:
        return SupportRequest.from_json(await _plan_call(info, f"/support-requests/{_id(id, 'id')}/close", {
            "outcome": input.outcome.value, "outcomeText": input.outcome_text, "rating": input.rating}))
