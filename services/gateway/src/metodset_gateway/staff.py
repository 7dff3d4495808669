"""GraphQL shapes of the pedagogical staff, read and written through the registry's REST API.

The registry decides scope and audits every read of a person's data; the gateway only forwards the caller's
token. A person the caller may not reach answers null, exactly like one that does not exist."""
from __future__ import annotations

import datetime
import uuid
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from pydantic.alias_generators import to_camel
from strawberry.types import Info

from .clients import ServiceError
from .connections import After, Connection, PageInfo, connection, fetch_page
from .context import Context
from .events import PersonEvents
from .growth import PersonGrowth
from .mentoring import PersonMentoring
from .paging import First, list_field, page_size
from .routes import PersonRoutes

Date = datetime.date
AsOf = Annotated[Date | None, strawberry.argument(
    description="На конец этого дня (не позже сегодняшнего); без неё — сегодня")]


def _id(value, field: str = "id") -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise GraphQLError(f"{field}: не является идентификатором (UUID)",
                           extensions={"code": "BAD_USER_INPUT", "field": field}) from None


def _date(value: str | None) -> Date | None:
    return Date.fromisoformat(value) if value else None


def _params(**values) -> dict:
    out = {}
    for k, v in values.items():
        if v is None:
            continue
        out[k] = v.isoformat() if isinstance(v, Date) else str(v).lower() if isinstance(v, bool) else str(v)
    return out


@strawberry.type(description="Организация места работы")
class EmploymentOrganisation:
    id: strawberry.ID
    name: str | None
    municipality_oktmo: str


@strawberry.type(description="Место работы на дату чтения: должность, предметы, ставка (даты включительно)")
class Employment:
    id: strawberry.ID
    organisation: EmploymentOrganisation
    position: str = strawberry.field(description="Код должности")
    position_title: str
    subjects: list[str] = strawberry.field(description="Коды предметов")
    subject_titles: list[str]
    rate: float
    main: bool = strawberry.field(description="Основное место работы (иначе — совместительство)")
    start_date: Date
    end_date: Date | None

    @classmethod
    def from_json(cls, d: dict) -> Employment:
        return cls(id=strawberry.ID(d["id"]),
                   organisation=EmploymentOrganisation(id=strawberry.ID(d["organisationId"]),
                                                       name=d.get("organisationName"),
                                                       municipality_oktmo=d["municipalityOktmo"]),
                   position=d["position"], position_title=d["positionTitle"], subjects=d["subjects"],
                   subject_titles=d["subjectTitles"], rate=float(d["rate"]), main=d["main"],
                   start_date=_date(d["startDate"]), end_date=_date(d["endDate"]))


@strawberry.type(description="Стаж на дату чтения, лет (и дней)")
class Experience:
    total: float = strawberry.field(description="Общий стаж, лет")
    pedagogical: float = strawberry.field(description="Педагогический стаж, лет")
    total_days: int
    pedagogical_days: int


@strawberry.type(description="Работник в списке на дату")
class StaffMember:
    id: strawberry.ID
    full_name: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: Date
    young_specialist: bool
    employments: list[Employment] = strawberry.field(description="Места работы на дату чтения")

    @staticmethod
    def fields(d: dict) -> dict:
        return dict(id=strawberry.ID(d["id"]), full_name=d["fullName"], last_name=d["lastName"],
                    first_name=d["firstName"], middle_name=d["middleName"], birth_date=_date(d["birthDate"]),
                    young_specialist=d["youngSpecialist"],
                    employments=[Employment.from_json(x) for x in d["employments"]])

    @classmethod
    def from_json(cls, d: dict) -> StaffMember:
        return cls(**cls.fields(d))


@strawberry.type(description="Работник: персональные данные (каждое чтение записывается в журнал доступа)")
class Person(StaffMember, PersonMentoring, PersonGrowth, PersonRoutes, PersonEvents):
    snils: str | None = strawberry.field(description="СНИЛС в виде ХХХ-ХХХ-ХХХ YY")
    phone: str | None
    email: str | None
    experience: Experience

    @classmethod
    def from_json(cls, d: dict) -> Person:
        e = d["experience"]
        return cls(**cls.fields(d), snils=d["snils"], phone=d["phone"], email=d["email"],
                   experience=Experience(total=e["total"], pedagogical=e["pedagogical"], total_days=e["totalDays"],
                                         pedagogical_days=e["pedagogicalDays"]))


@strawberry.input(description="Условия списка работников; не указанное условие не ограничивает")
class StaffFilter:
    position: str | None = strawberry.field(default=None, description="Код должности")
    subject: str | None = strawberry.field(default=None, description="Код предмета")
    young_specialist: bool | None = None
    organisation_id: strawberry.ID | None = None
    course_overdue: bool | None = strawberry.field(default=None, description="Нет курсов повышения квалификации "
                                                                             "за последние N лет (по умолчанию 3)")


async def staff_page(info: Info[Context, None], *, municipality: str | None, organisation: str | None,
                     first: int | None, after: str | None, as_of: Date | None,
                     filter: StaffFilter | None) -> Connection[StaffMember]:
    size = page_size(first, info)
    f = filter or StaffFilter()
    if f.organisation_id is not None:
        wanted = _id(f.organisation_id, "organisationId")
        if organisation is not None and wanted != organisation:
            return Connection(nodes=[], page_info=_empty(), total_count=0)
        organisation = wanted
    params = _params(municipality=municipality, organisation=organisation, position=f.position, subject=f.subject,
                     youngSpecialist=f.young_specialist, courseOverdue=f.course_overdue, asOf=as_of, after=after,
                     limit=max(size, 1))
    page = await info.context.registry.call("GET", "/staff", info.context.token, params=params)
    return connection(page, size, StaffMember.from_json)


def _empty() -> PageInfo:
    return PageInfo(has_next_page=False, end_cursor=None)


@strawberry.type(description="Численность в группе")
class StaffCount:
    key: str | None = strawberry.field(description="Код должности, предмета, id организации или true/false")
    title: str | None
    count: int


StaffGroupBy = strawberry.enum(Enum("StaffGroupBy", {"POSITION": "position", "SUBJECT": "subject",
                                                     "ORGANISATION": "organisation",
                                                     "YOUNG_SPECIALIST": "youngSpecialist"}),
                               description="Группировка численности работников")


@strawberry.type(description="Численность работников на дату, без персональных данных")
class StaffCounts:
    total: int
    groups: list[StaffCount]


@strawberry.type(description="Запись журнала доступа к персональным данным")
class AuditEntry:
    id: strawberry.ID
    at: datetime.datetime
    subject: str
    role: str
    action: str
    resource: str
    resource_id: str | None
    operation: str | None


@strawberry.input(description="Регистрация работника")
class CreatePersonInput:
    last_name: str
    first_name: str
    birth_date: Date
    middle_name: str | None = None
    snils: str | None = strawberry.field(default=None, description="СНИЛС: 11 цифр или ХХХ-ХХХ-ХХХ YY")
    phone: str | None = None
    email: str | None = None


@strawberry.input(description="Изменение сведений о работнике: только указанные поля")
class UpdatePersonInput:
    last_name: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    middle_name: str | None = strawberry.UNSET
    birth_date: Date | None = strawberry.UNSET
    snils: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET


@strawberry.input(description="Приём на работу")
class HireInput:
    person_id: strawberry.ID
    organisation_id: strawberry.ID
    position: str = strawberry.field(description="Код должности")
    start_date: Date
    subjects: list[str] = strawberry.field(default_factory=list, description="Коды предметов")
    rate: float = 1.0
    main: bool = True


@strawberry.input(description="Перевод: новые условия с даты; не указанные остаются прежними")
class TransferInput:
    effective_date: Date
    position: str | None = None
    subjects: list[str] | None = None
    rate: float | None = None
    main: bool | None = None


def _body(obj) -> dict:
    out = {}
    for name, value in vars(obj).items():
        if value is strawberry.UNSET:
            continue
        if isinstance(value, Date):
            value = value.isoformat()
        elif isinstance(value, float):
            value = f"{value:.2f}"
        out[to_camel(name)] = value
    return out


@strawberry.type
class StaffQuery:
    @strawberry.field(description="Работник по идентификатору; с asOf — места работы на ту дату. null — нет такого "
                                  "или он вне вашей области доступа")
    async def person(self, info: Info[Context, None], id: strawberry.ID, as_of: AsOf = None) -> Person | None:
        try:
            found = Person.from_json(await info.context.registry.call(
                "GET", f"/persons/{_id(id)}", info.context.token, params=_params(asOf=as_of)))
            object.__setattr__(found, "_as_of", as_of)  # growth, deficits, route and mentors read on that day
            return found
        except ServiceError as exc:
            if (exc.extensions or {}).get("status") == 404:
                return None
            raise

    @strawberry.field(description="Численность работников на дату по группам (аналитик, служба, координатор; "
                                  "методист — своего муниципалитета)")
    async def staff_counts(self, info: Info[Context, None], group_by: StaffGroupBy,
                           municipality_oktmo: str | None = None, as_of: AsOf = None) -> StaffCounts:
        r = await info.context.registry.call("GET", "/staff/counts", info.context.token, params=_params(
            groupBy=group_by.value, municipality=municipality_oktmo, asOf=as_of))
        return StaffCounts(total=r["total"], groups=[StaffCount(key=g["key"], title=g["title"], count=g["count"])
                                                      for g in r["groups"]])

    @list_field("Журнал доступа к персональным данным, новые записи первыми (региональный координатор)")
    async def audit_log(self, info: Info[Context, None], first: First = None, after: After = None,
                        person_id: strawberry.ID | None = None) -> Connection[AuditEntry]:
        return await fetch_page(info, info.context.registry, "/audit-log", _audit_entry, first=first, after=after,
                                personId=person_id and _id(person_id, "personId"))


def _audit_entry(d: dict) -> AuditEntry:
    return AuditEntry(id=strawberry.ID(str(d["id"])), at=datetime.datetime.fromisoformat(d["at"]),
                      subject=d["subject"], role=d["role"], action=d["action"], resource=d["resource"],
                      resource_id=d["resourceId"], operation=d["operation"])


@strawberry.type
class StaffMutation:
    @strawberry.mutation(description="Зарегистрировать работника")
    async def create_person(self, info: Info[Context, None], input: CreatePersonInput) -> Person:
        return Person.from_json(await info.context.registry.call("POST", "/persons", info.context.token,
                                                                 json=_body(input)))

    @strawberry.mutation(description="Изменить сведения о работнике")
    async def update_person(self, info: Info[Context, None], id: strawberry.ID, input: UpdatePersonInput) -> Person:
        return Person.from_json(await info.context.registry.call("PATCH", f"/persons/{_id(id)}", info.context.token,
                                                                 json=_body(input)))

    @strawberry.mutation(description="Принять на работу")
    async def hire(self, info: Info[Context, None], input: HireInput) -> Employment:
        body = _body(input) | {"personId": _id(input.person_id, "personId"),
                               "organisationId": _id(input.organisation_id, "organisationId")}
        return Employment.from_json(await info.context.registry.call("POST", "/employments", info.context.token,
                                                                     json=body))

    @strawberry.mutation(description="Перевести: новые должность, предметы, ставка или вид занятости с даты")
    async def transfer(self, info: Info[Context, None], employment_id: strawberry.ID,
                       input: TransferInput) -> Employment:
        return Employment.from_json(await info.context.registry.call(
            "POST", f"/employments/{_id(employment_id, 'employmentId')}/transfer", info.context.token,
            json=_body(input)))

    @strawberry.mutation(description="Уволить: endDate — последний день работы")
    async def dismiss(self, info: Info[Context, None], employment_id: strawberry.ID, end_date: Date) -> Employment:
        return Employment.from_json(await info.context.registry.call(
            "POST", f"/employments/{_id(employment_id, 'employmentId')}/dismiss", info.context.token,
            json={"endDate": end_date.isoformat()}))
