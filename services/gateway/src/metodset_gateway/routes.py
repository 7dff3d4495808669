"""GraphQL shapes of deficit diagnostics and individual routes (ИОМ), read and written through the registry's
REST API, which decides scope and audits every read; the gateway forwards the caller's token. A person or a
route the caller may not reach answers like a missing one (null on reads)."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from metodset_contracts.growth import RouteItemKind as ContractKind
from metodset_contracts.growth import RouteOutcome as ContractOutcome

from .bodies import _uuid
from .clients import ServiceError
from .connections import After, Connection, fetch_page
from .context import Context
from .growth import person_day
from .marks import _date
from .paging import First, list_field

Date = datetime.date
AsOf = Annotated[Date | None, strawberry.argument(description="На эту дату; без неё — сегодня")]

RouteItemKind = strawberry.enum(Enum("RouteItemKind", {k.name: k.value for k in ContractKind}),
                                description="Вид пункта маршрута: курсы, методическое мероприятие, наставничество, "
                                            "стажировка на площадке, самообразование")
RouteItemStatus = strawberry.enum(Enum("RouteItemStatus", {s.upper(): s for s in
                                                           ("planned", "in_progress", "done", "cancelled")}),
                                  description="Состояние пункта: запланирован, выполняется, выполнен, отменён")
RouteOutcome = strawberry.enum(Enum("RouteOutcome", {k.name: k.value for k in ContractOutcome}),
                               description="Итог маршрута: дефициты закрыты, закрыты частично, не закрыты, "
                                           "повторной диагностики не было")


@strawberry.type(description="Профессиональный дефицит: область, уровень, дата диагностики")
class Deficit:
    area: str = strawberry.field(description="Код области компетенций")
    area_title: str
    level: str = strawberry.field(description="Код уровня дефицита")
    level_title: str
    diagnosed_on: Date
    instrument: str = strawberry.field(description="Код инструмента диагностики")

    @classmethod
    def from_json(cls, d: dict) -> Deficit:
        return cls(area=d["area"], area_title=d["areaTitle"], level=d["level"], level_title=d["levelTitle"],
                   diagnosed_on=_date(d["diagnosedOn"]), instrument=d["instrument"])


@strawberry.type(description="Балл по области")
class AreaScore:
    area: str
    area_title: str
    score: float


@strawberry.type(description="Результат диагностики профессиональных дефицитов")
class DiagnosticResult:
    id: strawberry.ID
    instrument: str
    instrument_name: str
    date: Date
    scores: list[AreaScore]
    deficits: list[Deficit]

    @classmethod
    def from_json(cls, d: dict) -> DiagnosticResult:
        return cls(id=strawberry.ID(d["id"]), instrument=d["instrument"], instrument_name=d["instrumentName"],
                   date=_date(d["date"]), scores=[AreaScore(area=s["area"], area_title=s["areaTitle"],
                                                            score=s["score"]) for s in d["scores"]],
                   deficits=[Deficit.from_json(x) for x in d["deficits"]])


@strawberry.type(description="Пункт индивидуального маршрута: адресует один дефицит маршрута")
class RouteItem:
    id: strawberry.ID
    kind: RouteItemKind
    kind_title: str
    title: str
    due_date: Date | None
    status: RouteItemStatus
    area: str
    area_title: str
    ref: str | None = strawberry.field(description="Что пункт называет: id организации, наставника, курса")
    completed_on: Date | None
    by_fact: bool = strawberry.field(description="Выполнен по факту (курс записан и т. п.), а не вручную")


@strawberry.type(description="Изменение балла по области: повторная диагностика минус исходная")
class AreaDelta:
    area: str
    area_title: str
    delta: float


@strawberry.type(description="Индивидуальный образовательный маршрут (ИОМ)")
class Route:
    id: strawberry.ID
    status: str = strawberry.field(description="open или closed")
    opened_on: Date
    closed_on: Date | None
    outcome: RouteOutcome | None
    areas: list[Deficit] = strawberry.field(description="Дефициты, по которым построен маршрут")
    items: list[RouteItem]
    deltas: list[AreaDelta]
    note: str | None

    @classmethod
    def from_json(cls, d: dict) -> Route:
        items = [RouteItem(id=strawberry.ID(i["id"]), kind=RouteItemKind(i["kind"]), kind_title=i["kindTitle"],
                           title=i["title"], due_date=_date(i["dueDate"]), status=RouteItemStatus(i["status"]),
                           area=i["area"], area_title=i["areaTitle"], ref=i["ref"],
                           completed_on=_date(i["completedOn"]), by_fact=i["byFact"]) for i in d["items"]]
        return cls(id=strawberry.ID(d["id"]), status=d["status"], opened_on=_date(d["openedOn"]),
                   closed_on=_date(d["closedOn"]), outcome=RouteOutcome(d["outcome"]) if d["outcome"] else None,
                   areas=[Deficit.from_json(a) for a in d["areas"]], items=items,
                   deltas=[AreaDelta(area=x["area"], area_title=x["areaTitle"], delta=x["delta"])
                           for x in d["deltas"]], note=d["note"])


@strawberry.type(description="Предложенный пункт маршрута")
class RouteSuggestion:
    kind: RouteItemKind
    kind_title: str
    area: str
    area_title: str
    title: str
    ref: str | None
    reason: str


# ---- the fields on Person (staff.py mixes them in) --------------------------------------------------------

@strawberry.type
class PersonRoutes:
    @strawberry.field(description="Профессиональные дефициты на дату: по последней диагностике на эту дату (по "
                                  "умолчанию — дата, с которой запрошен работник)")
    async def deficits(self, info: Info[Context, None], as_of: AsOf = None) -> list[Deficit]:
        day = person_day(self, as_of)
        params = {"asOf": day.isoformat()} if day else None
        r = await info.context.registry.call("GET", f"/persons/{_uuid(self.id, 'id')}/deficits", info.context.token,
                                             params=params)
        return [Deficit.from_json(d) for d in r["items"]]

    @strawberry.field(description="Индивидуальный маршрут: без даты — открытый сейчас; на дату — открытый в тот "
                                  "день (или закрытый в тот день); null — такого нет")
    async def route(self, info: Info[Context, None], as_of: AsOf = None) -> Route | None:
        day = person_day(self, as_of)
        if day is None:
            r = await info.context.registry.call("GET", f"/persons/{_uuid(self.id, 'id')}/route", info.context.token)
            return Route.from_json(r) if r else None
        page = await info.context.registry.call("GET", f"/persons/{_uuid(self.id, 'id')}/routes", info.context.token,
                                                params={"limit": "500"})
        found = [r for r in page["items"] if _date(r["openedOn"]) <= day
                 and (r["closedOn"] is None or day <= _date(r["closedOn"]))]
        return Route.from_json(found[-1]) if found else None

    @list_field("Все маршруты работника, открытые и закрытые, от ранних к поздним", page=20)
    async def routes(self, info: Info[Context, None], first: First = None, after: After = None) -> Connection[Route]:
        return await fetch_page(info, info.context.registry, f"/persons/{_uuid(self.id, 'id')}/routes",
                                Route.from_json, first=first, after=after)

    @list_field("Результаты диагностики профессиональных дефицитов, от ранних к поздним")
    async def diagnostics(self, info: Info[Context, None], first: First = None,
                          after: After = None) -> Connection[DiagnosticResult]:
        return await fetch_page(info, info.context.registry, f"/persons/{_uuid(self.id, 'id')}/diagnostics",
                                DiagnosticResult.from_json, first=first, after=after)


# ---- queries and mutations -------------------------------------------------------------------------------

@strawberry.input(description="Балл по области инструмента")
class AreaScoreInput:
    area: str = strawberry.field(description="Код области")
    score: float


@strawberry.input(description="Результат диагностики работника")
class RecordDiagnosticInput:
    person_id: strawberry.ID
    date: Date
    scores: list[AreaScoreInput]
    instrument: str = strawberry.field(default="prof_deficits", description="Код инструмента")


@strawberry.input(description="Пункт маршрута (область — одна из областей дефицитов маршрута)")
class RouteItemInput:
    kind: RouteItemKind
    area: str
    title: str
    due_date: Date | None = None
    ref: str | None = None


@strawberry.input(description="Открытие маршрута по дефицитам последней диагностики")
class OpenRouteInput:
    person_id: strawberry.ID
    opened_on: Date | None = None
    items: list[RouteItemInput] = strawberry.field(default_factory=list)


def _item(i: RouteItemInput) -> dict:
    return {"kind": i.kind.value, "area": i.area, "title": i.title, "ref": i.ref,
            "dueDate": i.due_date.isoformat() if i.due_date else None}


def _day(value: Date | None) -> str | None:
    return value.isoformat() if value else None


@strawberry.type
class RouteQueries:
    @strawberry.field(description="Предложения пунктов маршрута по текущим дефицитам работника: стажировки на "
                                  "площадках с подходящей темой, наставники, курсы, самообразование. null — нет "
                                  "такого работника или он вне вашей области доступа")
    async def route_suggestions(self, info: Info[Context, None],
                                person_id: strawberry.ID) -> list[RouteSuggestion] | None:
        try:
            r = await info.context.registry.call("GET", f"/persons/{_uuid(person_id, 'personId')}/route/suggestions",
                                                 info.context.token)
        except ServiceError as exc:
            if (exc.extensions or {}).get("status") == 404:
                return None
            raise
        return [RouteSuggestion(kind=RouteItemKind(s["kind"]), kind_title=s["kindTitle"], area=s["area"],
                                area_title=s["areaTitle"], title=s["title"], ref=s["ref"], reason=s["reason"])
                for s in r["items"]]


@strawberry.type
class RouteMutations:
    @strawberry.mutation(description="Записать результат диагностики: балл по каждой области инструмента")
    async def record_diagnostic(self, info: Info[Context, None], input: RecordDiagnosticInput) -> DiagnosticResult:
        body = {"instrument": input.instrument, "date": input.date.isoformat(),
                "scores": {s.area: s.score for s in input.scores}}
        return DiagnosticResult.from_json(await info.context.registry.call(
            "POST", f"/persons/{_uuid(input.person_id, 'personId')}/diagnostics", info.context.token, json=body))

    @strawberry.mutation(description="Открыть индивидуальный маршрут по дефицитам (можно сразу с пунктами)")
    async def open_route(self, info: Info[Context, None], input: OpenRouteInput) -> Route:
        body = {"openedOn": _day(input.opened_on), "items": [_item(i) for i in input.items]}
        return Route.from_json(await info.context.registry.call(
            "POST", f"/persons/{_uuid(input.person_id, 'personId')}/routes", info.context.token, json=body))

    @strawberry.mutation(description="Добавить пункт маршрута")
    async def add_route_item(self, info: Info[Context, None], route_id: strawberry.ID,
                             input: RouteItemInput) -> Route:
        return Route.from_json(await info.context.registry.call(
            "POST", f"/routes/{_uuid(route_id, 'routeId')}/items", info.context.token, json=_item(input)))

    @strawberry.mutation(description="Отметить пункт маршрута выполненным (on — дата; по умолчанию сегодня)")
    async def complete_route_item(self, info: Info[Context, None], route_id: strawberry.ID, item_id: strawberry.ID,
                                  on: Date | None = None) -> Route:
        return Route.from_json(await info.context.registry.call(
            "POST", f"/routes/{_uuid(route_id, 'routeId')}/items/{_uuid(item_id, 'itemId')}/complete",
            info.context.token, json={"on": _day(on)}))

    @strawberry.mutation(description="Закрыть маршрут: итог и изменение балла по областям после повторной "
                                     "диагностики")
    async def close_route(self, info: Info[Context, None], route_id: strawberry.ID, closed_on: Date | None = None,
                          note: str | None = None) -> Route:
        return Route.from_json(await info.context.registry.call(
            "POST", f"/routes/{_uuid(route_id, 'routeId')}/close", info.context.token,
            json={"closedOn": _day(closed_on), "note": note}))

