"""GraphQL over monitoring's indicators: `indicators(level:, code:, period:)` with dynamics, one value
`indicator(code:, period:, oktmo:)` with the records behind it (`drillDown`), and `rating(code:, period:)`.
Monitoring decides scope (an analyst gets no person ids; other municipalities only where published); the
records' persons are resolved to names by the registry, which checks scope again and audits the read."""
from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote, urlencode

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from metodset_contracts.indicators import IndicatorLevel as ContractLevel

from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum
from .paging import First, list_field, page_size

if TYPE_CHECKING:
    from .schema import Municipality, Organisation
    from .staff import Person

IndicatorLevel = _enum("IndicatorLevel", ContractLevel,
                       {ContractLevel.REGION: "регион", ContractLevel.MUNICIPALITY: "муниципалитет",
                        ContractLevel.ORGANISATION: "организация"}, "Уровень значения показателя")
IndicatorPart = strawberry.enum(Enum("IndicatorPart", {"NUMERATOR": "numerator", "DENOMINATOR": "denominator"}),
                                description="Часть формулы: числитель или знаменатель")

MunicipalityRef = Annotated["Municipality", strawberry.lazy("metodset_gateway.schema")]
PersonRef = Annotated["Person", strawberry.lazy("metodset_gateway.staff")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("metodset_gateway.schema")]
Period = Annotated[str | None, strawberry.argument(
    description="Период: 2025/2026 (учебный год), 2026 (календарный год), 2026-Q1; без него — текущий")]


async def _municipality(info: Info[Context, None], oktmo: str | None):
    from .schema import Municipality

    found = oktmo and await info.context.municipalities.load(oktmo)
    return Municipality(oktmo=found["oktmo"], name=found["name"]) if found else None


@strawberry.type(description="Значение показателя за период")
class IndicatorPeriodValue:
    period: str
    value: float | None


@strawberry.type(description="Запись, стоящая за значением показателя (id источника; организация — всем, "
                             "работник — только в области доступа и не для аналитика)")
class IndicatorRecord:
    record_id: str
    person_id: strawberry.ID | None
    organisation_id: strawberry.ID | None
    municipality_oktmo: str | None

    @classmethod
    def from_json(cls, d: dict) -> IndicatorRecord:
        return cls(record_id=d["recordId"], person_id=d["personId"], organisation_id=d["organisationId"],
                   municipality_oktmo=d["municipalityOktmo"])

    @strawberry.field(description="Организация записи (из реестра: справочник организаций открыт всем в регионе)")
    async def organisation(self, info: Info[Context, None]) -> OrganisationRef | None:
        from .schema import Organisation

        found = self.organisation_id and await info.context.organisation_by_id.load(str(self.organisation_id))
        return Organisation.from_json(found) if found else None

    @strawberry.field(description="Работник (ФИО из реестра; null — вне области доступа или не о работнике)")
    async def person(self, info: Info[Context, None]) -> PersonRef | None:
        from .staff import Person

        if not self.person_id:
            return None
        found = await info.context.registry.find(f"/persons/{self.person_id}", info.context.token)
        return found and Person.from_json(found)


@strawberry.type(description="Значение показателя: регион, муниципалитет или организация за период")
class IndicatorValue:
    code: str
    title: str
    unit: str
    direction: str = strawberry.field(description="higher — чем выше, тем лучше; lower — чем ниже, тем лучше")
    target: float | None
    threshold: float | None
    period: str
    level: IndicatorLevel
    subject: str = strawberry.field(description="region, код ОКТМО или id организации")
    municipality_oktmo: str | None
    value: float | None = strawberry.field(description="null — не вычисляется (знаменатель равен нулю)")
    numerator: float
    denominator: float | None
    dynamics: list[IndicatorPeriodValue] = strawberry.field(description="Значения за прошлые и этот периоды")

    @classmethod
    def from_json(cls, d: dict) -> IndicatorValue:
        return cls(code=d["code"], title=d["title"], unit=d["unit"], direction=d["direction"], target=d["target"],
                   threshold=d["threshold"], period=d["period"], level=IndicatorLevel(d["level"]),
                   subject=d["subject"], municipality_oktmo=d["municipalityOktmo"], value=d["value"],
                   numerator=d["numerator"], denominator=d["denominator"],
                   dynamics=[IndicatorPeriodValue(period=p["period"], value=p["value"]) for p in d["dynamics"]])

    @strawberry.field(description="Муниципалитет значения (null — для региона)")
    async def municipality(self, info: Info[Context, None]) -> MunicipalityRef | None:
        return await _municipality(info, self.municipality_oktmo)

    @list_field("Записи, стоящие за числителем или знаменателем, страница по курсору", page=50)
    async def drill_down(self, info: Info[Context, None], first: First = None, after: After = None,
                         part: IndicatorPart = IndicatorPart.NUMERATOR) -> Connection[IndicatorRecord]:
        return await fetch_page(info, info.context.monitoring, f"/indicator-values/{self.code}/records",
                                IndicatorRecord.from_json, first=first, after=after, size_param="first",
                                period=self.period, level=self.level.value, subject=self.subject, part=part.value)


@strawberry.type(description="Место в рейтинге")
class RatingPlace:
    rank: int
    value: float
    subject: str = strawberry.field(description="Код ОКТМО или id организации")
    municipality_oktmo: str | None
    previous_rank: int | None = strawberry.field(description="Место за прошлый год")
    rank_change: int | None = strawberry.field(description="На сколько мест поднялся за год (< 0 — опустился)")

    @strawberry.field(description="Муниципалитет")
    async def municipality(self, info: Info[Context, None]) -> MunicipalityRef | None:
        return await _municipality(info, self.municipality_oktmo)


@strawberry.type(description="Показатель каталога: формула над фактами, единица, направление, порог и цель")
class IndicatorDefinition:
    code: str
    title: str
    description: str
    unit: str
    direction: str = strawberry.field(description="higher — чем выше, тем лучше; lower — чем ниже, тем лучше")
    threshold: float | None
    target: float | None
    levels: list[str]
    period_kind: str = strawberry.field(description="academic_year, calendar_year или quarter")
    published: bool = strawberry.field(description="Значения муниципалитетов видны методистам других "
                                                   "муниципалитетов")
    formula: JSON = strawberry.field(description="Числитель и знаменатель — запросы к фактам (см. README)")

    @classmethod
    def from_json(cls, d: dict) -> IndicatorDefinition:
        return cls(code=d["code"], title=d["title"], description=d["description"], unit=d["unit"],
                   direction=d["direction"], threshold=d["threshold"], target=d["target"], levels=d["levels"],
                   period_kind=d["periodKind"], published=d["published"], formula=d["formula"])


def _params(**values) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def _report(path: str, **values) -> str:
    query = urlencode(_params(**values))
    return f"/reports/{path}?{query}" if query else f"/reports/{path}"


@strawberry.type(description="Пути отчётов сервиса мониторинга по показателю (GET с тем же токеном; область доступа "
                             "та же, что у значений)")
class IndicatorReports:
    code: str | None = strawberry.field(description="Код показателя; null — все показатели периода")
    period: str | None

    @strawberry.field(description="xlsx «Показатели эффективности методической работы»: по муниципалитетам с "
                                  "динамикой, целью и строкой региона")
    def table_url(self) -> str:
        return _report("indicators.xlsx", code=self.code, period=self.period)

    @strawberry.field(description="xlsx рейтинга муниципалитетов (organisation — организаций) с изменением мест; "
                                  "null без показателя")
    def rating_url(self, level: IndicatorLevel = IndicatorLevel.MUNICIPALITY) -> str | None:
        return _report("ratings.xlsx", code=self.code, period=self.period, level=level.value) if self.code else None

    @strawberry.field(description="PNG: рейтинг муниципалитетов, горизонтальная диаграмма; null без показателя")
    def rating_chart_url(self) -> str | None:
        return _report("charts/rating.png", code=self.code, period=self.period) if self.code else None

    @strawberry.field(description="PNG: динамика показателя муниципалитета и региона по периодам; null без "
                                  "показателя или для сводного рейтинга")
    def dynamics_chart_url(self, oktmo: str) -> str | None:
        if not self.code or self.code == "composite":
            return None
        return _report("charts/dynamics.png", code=self.code, oktmo=oktmo, period=self.period)


@strawberry.type
class IndicatorMutations:
    @strawberry.mutation(description="Добавить или изменить показатель каталога (региональный координатор); "
                                     "значения пересчитываются за текущий и прошлые периоды")
    async def set_indicator_definition(self, info: Info[Context, None], code: str,
                                       definition: JSON) -> IndicatorDefinition:
        saved = await info.context.monitoring.call("PUT", f"/indicator-definitions/{quote(code, safe='')}",
                                                   info.context.token, json=definition)
        return IndicatorDefinition.from_json(saved)


@strawberry.type
class IndicatorQueries:
    @list_field("Каталог показателей")
    async def indicator_catalogue(self, info: Info[Context, None], first: First = None) -> list[IndicatorDefinition]:
        size = page_size(first, info)
        rows = await info.context.monitoring.call("GET", "/indicator-definitions", info.context.token)
        return [IndicatorDefinition.from_json(r) for r in rows[:size]]

    @list_field("Значения показателей на уровне за период с динамикой (без code — все показатели каталога)")
    async def indicators(self, info: Info[Context, None], level: IndicatorLevel = IndicatorLevel.MUNICIPALITY,
                         code: str | None = None, period: Period = None,
                         first: First = None) -> list[IndicatorValue]:
        size = page_size(first, info)
        rows = await info.context.monitoring.call(
            "GET", "/indicator-values", info.context.token,
            params=_params(level=level.value, code=code, period=period))
        return [IndicatorValue.from_json(r) for r in rows[:size]]

    @strawberry.field(description="Значение показателя для региона (без oktmo) или муниципалитета; null — нет "
                                  "значения или вне области доступа")
    async def indicator(self, info: Info[Context, None], code: str, period: Period = None,
                        oktmo: str | None = None) -> IndicatorValue | None:
        level = "municipality" if oktmo else "region"
        rows = await info.context.monitoring.find(
            "/indicator-values", info.context.token, params=_params(level=level, code=code, period=period, oktmo=oktmo))
        return IndicatorValue.from_json(rows[0]) if rows else None

    @strawberry.field(description="Ссылки на отчёты по показателю (code: composite — сводный рейтинг; без code — "
                                  "таблица всех показателей периода)")
    def indicator_reports(self, code: str | None = None, period: Period = None) -> IndicatorReports:
        return IndicatorReports(code=code, period=period)

    @list_field("Рейтинг муниципалитетов (или организаций) по показателю; code: composite — сводный рейтинг")
    async def rating(self, info: Info[Context, None], code: str, period: Period = None,
                     level: IndicatorLevel = IndicatorLevel.MUNICIPALITY, first: First = None) -> list[RatingPlace]:
        size = page_size(first, info)
        rows = await info.context.monitoring.call("GET", "/ratings", info.context.token,
                                                  params=_params(code=code, period=period, level=level.value))
        return [RatingPlace(rank=r["rank"], value=r["value"], subject=r["subject"],
                            municipality_oktmo=r["municipalityOktmo"], previous_rank=r["previousRank"],
                            rank_change=r["rankChange"]) for r in rows[:size]]
