"""The GraphQL view over the platform: it composes the services and owns no domain data."""
from __future__ import annotations

import datetime
import uuid
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from pydantic.alias_generators import to_camel
from strawberry.extensions import AddValidationRules, MaskErrors, ValidationCache
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.types import Info

from metodset_contracts.organisations import KIND_TITLES
from metodset_contracts.organisations import OrganisationKind as ContractKind

from . import bodies, competitions, events, growth, marks, mentoring, plans, practices
from . import routes as iom
from . import staff as people
from .campaigns import CampaignMutations, CampaignQueries
from .certificates import CertificateMutations, CertificateQueries
from .connections import After, Connection, connection
from .context import Context
from .field_errors import NameTheField
from .guards import DocumentBounds, DocumentGate, OperationGate
from .imports import ImportMutations, ImportQueries
from .indicators import IndicatorMutations, IndicatorQueries
from .olympiads import OlympiadMutations, OlympiadQueries
from .paging import First, list_field, page_size
from .recommendations import RecommendationMutations, RecommendationQueries

AsOf = Annotated[datetime.date | None, strawberry.argument(
    description="Как было на конец этого дня (не позже сегодняшнего); без неё — сейчас")]

OrganisationKind = strawberry.enum(
    Enum("OrganisationKind", {k.name: k.value for k in ContractKind}),
    description="Вид организации",
)
for _member in OrganisationKind:
    _member._strawberry_description = KIND_TITLES[ContractKind(_member.value)]  # shown in GraphiQL docs


OrganisationStatus = strawberry.enum(
    Enum("OrganisationStatus", {"ACTIVE": "active", "REORGANISED": "reorganised", "CLOSED": "closed"}),
    description="Состояние организации: действующая, реорганизована (см. successorId), закрыта",
)


@strawberry.type(description="Показатель")
class Indicator:
    code: str
    value: float
    title: str


@strawberry.type(description="Организация")
class Organisation:
    id: strawberry.ID
    name: str
    short_name: str | None
    kind: OrganisationKind
    kind_title: str
    municipality_oktmo: str
    inn: str
    active: bool
    closed_on: datetime.date | None
    version: int
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    status: OrganisationStatus = OrganisationStatus.ACTIVE
    successor_id: strawberry.ID | None = None
    parent_id: strawberry.Private[str | None] = None

    @classmethod
    def from_json(cls, d: dict) -> Organisation:
        return cls(id=strawberry.ID(d["id"]), name=d["name"], short_name=d.get("shortName"),
                   kind=OrganisationKind(d["kind"]), kind_title=d["kindTitle"],
                   municipality_oktmo=d["municipalityOktmo"], inn=d["inn"], active=d["active"],
                   closed_on=datetime.date.fromisoformat(d["closedOn"]) if d.get("closedOn") else None,
                   version=d["version"], ogrn=d.get("ogrn"), address=d.get("address"), phone=d.get("phone"),
                   email=d.get("email"), website=d.get("website"), status=OrganisationStatus(d["status"]),
                   successor_id=d.get("successorId"), parent_id=d.get("parentId"))

    @strawberry.field(description="Признаки (ШНОР и др.): действующие на дату asOf; без неё — вся история")
    async def flags(self, info: Info[Context, None], as_of: datetime.date | None = None) -> list[marks.Flag]:
        return await marks.flags_of(info, str(self.id), as_of)

    @strawberry.field(description="Статусы площадок: действующие на дату asOf; без неё — вся история")
    async def sites(self, info: Info[Context, None], as_of: datetime.date | None = None) -> list[marks.SiteStatus]:
        return await marks.sites_of(info, str(self.id), as_of)

    @strawberry.field(description="Головная организация (для филиала, структурного подразделения)")
    async def parent(self, info: Info[Context, None]) -> Organisation | None:
        if not self.parent_id:
            return None
        return Organisation.from_json(await info.context.registry.call("GET", f"/organisations/{self.parent_id}",
                                                                      info.context.token))

    @list_field("Методические объединения организации (ШМО, кафедры, советы), страница по курсору")
    async def bodies(self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
                     filter: bodies.BodyFilter | None = None) -> Connection[bodies.Body]:
        return await bodies.body_page(info, first, after, as_of, filter, organisation=str(self.id))

    @list_field("Работники организации на дату (asOf; без неё — сегодня), страница по курсору")
    async def staff(self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
                    filter: people.StaffFilter | None = None) -> Connection[people.StaffMember]:
        return await people.staff_page(info, municipality=None, organisation=str(self.id), first=first, after=after,
                                       as_of=as_of, filter=filter)

    @strawberry.field(description="Муниципалитет организации")
    async def municipality(self, info: Info[Context, None]) -> Municipality | None:
        found = await info.context.municipalities.load(self.municipality_oktmo)
        return Municipality(oktmo=found["oktmo"], name=found["name"]) if found else None


@strawberry.type(description="Муниципальное образование")
class Municipality(mentoring.MunicipalityMentoring, growth.MunicipalityGrowth):
    oktmo: str
    name: str

    @list_field("Организации муниципалитета (по умолчанию только действующие), страница по курсору. В xlsx: REST "
                "GET /organisations/export.xlsx?municipality={oktmo} реестра")
    async def organisations(self, info: Info[Context, None], include_closed: bool = False,
                            first: First = None, after: After = None, as_of: AsOf = None) -> Connection[Organisation]:
        size = page_size(first, info)
        page = await info.context.organisations.load(((self.oktmo,), None, None if include_closed else True,
                                                      size, after, _date(as_of)))
        return connection(page, size, Organisation.from_json)

    @list_field("Методические объединения муниципалитета и его организаций, страница по курсору. В xlsx с "
                "участниками: REST GET /bodies/export.xlsx?municipality={oktmo} реестра")
    async def bodies(self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
                     filter: bodies.BodyFilter | None = None) -> Connection[bodies.Body]:
        return await bodies.body_page(info, first, after, as_of, filter, municipality=self.oktmo)

    @list_field("Площадки муниципалитета: организации со статусом площадки на дату, страница по курсору")
    async def sites(self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
                    kind: marks.SiteKind | None = None) -> Connection[Organisation]:
        return await bodies.site_page(info, self.oktmo, first, after, as_of, kind, Organisation.from_json)

    @list_field("Работники муниципалитета на дату (asOf; без неё — сегодня), страница по курсору. В xlsx: REST "
                "GET /staff/export.xlsx?municipality={oktmo} реестра")
    async def staff(self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
                    filter: people.StaffFilter | None = None) -> Connection[people.StaffMember]:
        return await people.staff_page(info, municipality=self.oktmo, organisation=None, first=first, after=after,
                                       as_of=as_of, filter=filter)

    @strawberry.field(description="Показатели муниципалитета; organisations_active — число действующих организаций. "
                                  "null с NOT_FOUND, если муниципалитет вне области доступа (как у несуществующего)")
    async def indicators(self, info: Info[Context, None]) -> list[Indicator] | None:
        rows = await info.context.indicators.load(self.oktmo)
        return [Indicator(code=r["code"], value=r["value"], title=r["title"]) for r in rows]


@strawberry.input(description="Условия списка организаций; не указанное условие не ограничивает")
class OrganisationFilter:
    municipality_oktmo: str | None = strawberry.field(default=None, description="Код ОКТМО муниципалитета")
    kind: OrganisationKind | None = None
    active: bool | None = strawberry.field(default=None, description="true — действующие, false — закрытые")


@strawberry.input(description="Новый муниципалитет")
class CreateMunicipalityInput:
    oktmo: str = strawberry.field(description="Код ОКТМО, 8 или 11 цифр")
    name: str


@strawberry.input(description="Регистрация организации")
class RegisterOrganisationInput:
    name: str
    kind: OrganisationKind
    municipality_oktmo: str
    inn: str = strawberry.field(description="ИНН юридического лица, 10 цифр")
    short_name: str | None = None
    ogrn: str | None = strawberry.field(default=None, description="ОГРН, 13 цифр")
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Головная организация")


@strawberry.input(description="Изменение сведений об организации: только указанные поля")
class UpdateOrganisationInput:
    name: str | None = strawberry.UNSET
    short_name: str | None = strawberry.UNSET
    kind: OrganisationKind | None = strawberry.UNSET
    municipality_oktmo: str | None = strawberry.UNSET
    inn: str | None = strawberry.UNSET
    ogrn: str | None = strawberry.UNSET
    address: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.UNSET


def _payload(obj) -> dict:
    out = {}
    for name, value in vars(obj).items():
        if value is strawberry.UNSET:
            continue
        out[to_camel(name)] = value.value if isinstance(value, Enum) else value
    return out


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _uuid(value: strawberry.ID, field: str = "id") -> str:
    """Identifiers go into service URLs: only a well-formed UUID may."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise GraphQLError(f"{field}: не является идентификатором (UUID)",
                           extensions={"code": "BAD_USER_INPUT", "field": field}) from None


def _require(allowed: bool, message: str) -> None:
    """The gateway's own wall; the owning service checks the same scope again."""
    if not allowed:
        raise GraphQLError(message, extensions={"code": "FORBIDDEN"})


@strawberry.type(description="Запросы. Стоимость операции оценивается до выполнения: поле — 1, список умножает "
                               "стоимость своих полей на размер страницы (first). Операция дороже предела роли "
                               "отклоняется с кодом QUERY_TOO_COSTLY (extensions.cost, extensions.limit)")
class Query(ImportQueries, people.StaffQuery, bodies.BodyQueries, mentoring.MentoringQueries, iom.RouteQueries,
            events.EventQueries, plans.PlanQueries, practices.PracticeQueries,
            CertificateQueries, competitions.CompetitionQueries, CampaignQueries, OlympiadQueries,
            IndicatorQueries, RecommendationQueries):
    @list_field("Муниципалитеты региона")
    async def municipalities(self, info: Info[Context, None], first: First = None) -> list[Municipality]:
        size = page_size(first, info)
        rows = await info.context.registry.call("GET", "/municipalities", info.context.token)
        return [Municipality(oktmo=r["oktmo"], name=r["name"]) for r in rows[:size]]

    @list_field("Организации региона по условиям, страница по курсору (порядок: ОКТМО, наименование, id)")
    async def organisations(self, info: Info[Context, None], first: First = None, after: After = None,
                            filter: OrganisationFilter | None = None,
                            as_of: AsOf = None) -> Connection[Organisation]:
        size = page_size(first, info)
        f = filter or OrganisationFilter()
        oktmos = (f.municipality_oktmo,) if f.municipality_oktmo is not None else None
        page = await info.context.organisations.load((oktmos, f.kind.value if f.kind else None, f.active,
                                                      size, after, _date(as_of)))
        return connection(page, size, Organisation.from_json)

    @strawberry.field(description="Муниципалитет по коду ОКТМО")
    async def municipality(self, info: Info[Context, None], oktmo: str) -> Municipality | None:
        found = await info.context.municipalities.load(oktmo)
        return Municipality(oktmo=found["oktmo"], name=found["name"]) if found else None

    @strawberry.field(description="Организация по идентификатору; с asOf — как была на конец того дня "
                                  "(null, если её ещё не зарегистрировали)")
    async def organisation(self, info: Info[Context, None], id: strawberry.ID,
                           as_of: AsOf = None) -> Organisation | None:
        from .clients import ServiceError

        params = {"asOf": as_of.isoformat()} if as_of else None
        try:
            return Organisation.from_json(await info.context.registry.call("GET", f"/organisations/{_uuid(id)}",
                                                                          info.context.token, params=params))
        except ServiceError as exc:
            refused = exc.extensions or {}
            if refused.get("status") == 404 or (refused.get("status") == 422 and refused.get("field") != "asOf"):
                return None
            raise


@strawberry.type
class Mutation(ImportMutations, people.StaffMutation, bodies.BodyMutations, mentoring.MentoringMutations,
               growth.GrowthMutation, iom.RouteMutations, events.EventMutations, plans.PlanMutations,
               practices.PracticeMutations, CertificateMutations, competitions.CompetitionMutations,
               CampaignMutations, OlympiadMutations, IndicatorMutations, RecommendationMutations):
    @strawberry.mutation(description="Добавить муниципалитет (региональный координатор)")
    async def create_municipality(self, info: Info[Context, None], input: CreateMunicipalityInput) -> Municipality:
        _require(info.context.principal.may_manage_region(),
                 "Создавать муниципалитеты может только региональный координатор")
        r = await info.context.registry.call("POST", "/municipalities", info.context.token, json=_payload(input))
        return Municipality(oktmo=r["oktmo"], name=r["name"])

    @strawberry.mutation(description="Зарегистрировать организацию")
    async def register_organisation(self, info: Info[Context, None], input: RegisterOrganisationInput) -> Organisation:
        _require(info.context.principal.may_manage_municipality(input.municipality_oktmo),
                 "Регистрировать организации можно только в своём муниципалитете")
        r = await info.context.registry.call("POST", "/organisations", info.context.token, json=_payload(input))
        return Organisation.from_json(r)

    @strawberry.mutation(description="Изменить сведения об организации")
    async def update_organisation(self, info: Info[Context, None], id: strawberry.ID,
                                  input: UpdateOrganisationInput) -> Organisation:
        r = await info.context.registry.call("PATCH", f"/organisations/{_uuid(id)}", info.context.token,
                                             json=_payload(input))
        return Organisation.from_json(r)

    @strawberry.mutation(description="Закрыть организацию")
    async def close_organisation(self, info: Info[Context, None], id: strawberry.ID,
                                 closed_on: datetime.date | None = None) -> Organisation:
        body = {"closedOn": closed_on.isoformat()} if closed_on else {}
        r = await info.context.registry.call("POST", f"/organisations/{_uuid(id)}/close", info.context.token,
                                             json=body)
        return Organisation.from_json(r)

    @strawberry.mutation(description="Реорганизовать организацию: закрыть с переходом к правопреемнику")
    async def reorganise_organisation(self, info: Info[Context, None], id: strawberry.ID, successor_id: strawberry.ID,
                                      on: datetime.date | None = None) -> Organisation:
        body = {"successorId": _uuid(successor_id, "successorId"), "on": on and on.isoformat()}
        r = await info.context.registry.call("POST", f"/organisations/{_uuid(id)}/reorganise", info.context.token,
                                             json=body)
        return Organisation.from_json(r)

    @strawberry.mutation(description="Установить признак организации на период")
    async def set_organisation_flag(self, info: Info[Context, None], id: strawberry.ID,
                                    input: marks.SetFlagInput) -> marks.Flag:
        return await marks.set_flag(info, _uuid(id), input)

    @strawberry.mutation(description="Снять признак: to — последний день его действия")
    async def clear_organisation_flag(self, info: Info[Context, None], id: strawberry.ID, flag_id: strawberry.ID,
                                      to: datetime.date) -> marks.Flag:
        return await marks.clear_flag(info, _uuid(id), _uuid(flag_id, "flagId"), to)

    @strawberry.mutation(description="Присвоить организации статус площадки на срок")
    async def grant_site_status(self, info: Info[Context, None], id: strawberry.ID,
                                input: marks.GrantSiteStatusInput) -> marks.SiteStatus:
        return await marks.grant_site(info, _uuid(id), input)

    @strawberry.mutation(description="Прекратить статус площадки: to — последний день его действия")
    async def end_site_status(self, info: Info[Context, None], id: strawberry.ID, site_id: strawberry.ID,
                              to: datetime.date) -> marks.SiteStatus:
        return await marks.end_site(info, _uuid(id), _uuid(site_id, "siteId"), to)


def _unexpected(error: GraphQLError) -> bool:
    """Mask Python exceptions; keep validation errors and the services' own answers."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


# Validation rules are classes built once at import: strawberry makes extensions per request, and a rule
# class made per request would give the validation cache a new key every time (strawberry issue 4635).
_DEPTH_RULE = depth_rule(max_depth=12, should_ignore=None)
_ALIAS_RULE = alias_rule(max_alias_count=30)


class QueryLimits(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([_DEPTH_RULE, _ALIAS_RULE, DocumentBounds])


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        DocumentGate,  # size and tokens bounded before and while parsing; caches parsed documents
        QueryLimits,
        lambda: ValidationCache(maxsize=256),
        NameTheField,
        OperationGate,  # after validation: hostile variables, then the cost against the caller's role
        lambda: MaskErrors(should_mask_error=_unexpected, error_message="Внутренняя ошибка шлюза / internal error"),
    ],
)
