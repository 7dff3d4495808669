"""GraphQL shapes of professional growth: a person's courses, course rule and qualification category, the
attestation due list of a municipality, and the mutations recordCourse and awardCategory — read and written
through the registry's REST API, which decides scope and audits every read (the gateway forwards the token).

`PersonGrowth` and `MunicipalityGrowth` are mixed into staff.Person and schema.Municipality: their resolvers
read `self.id` / `self.oktmo`."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from .bodies import _uuid as _id
from .connections import After, Connection, fetch_page
from .context import Context
from .marks import _date
from .paging import First, list_field

Date = datetime.date
CourseKind = strawberry.enum(Enum("CourseKind", {"UPGRADE": "UPGRADE", "RETRAINING": "RETRAINING"}),
                             description="UPGRADE — повышение квалификации (от 16 часов), RETRAINING — "
                                         "профессиональная переподготовка (от 250 часов)")
CourseFormat = strawberry.enum(Enum("CourseFormat", {k: k for k in ("FULL_TIME", "MIXED", "PART_TIME", "DISTANCE")}),
                               description="FULL_TIME очная, MIXED очно-заочная, PART_TIME заочная, DISTANCE с "
                                           "применением ДОТ")
AsOf = Annotated[Date | None, strawberry.argument(description="На эту дату; без неё — дата запроса работника, "
                                                              "иначе сегодня")]
WithinMonths = Annotated[int, strawberry.argument(description="Срок категории истекает не позже чем через столько "
                                                              "месяцев (истёкшие — тоже)")]


@strawberry.type(description="Пройденные курсы (КПК или переподготовка)")
class Course:
    id: strawberry.ID
    kind: CourseKind
    programme: str
    provider: str | None = strawberry.field(description="Организация, проводившая обучение")
    provider_organisation_id: strawberry.ID | None
    hours: int
    start_date: Date
    end_date: Date
    format: CourseFormat | None
    certificate_number: str | None

    @classmethod
    def from_json(cls, d: dict) -> Course:
        return cls(id=strawberry.ID(d["id"]), kind=CourseKind[d["kind"]], programme=d["programme"],
                   provider=d["provider"], provider_organisation_id=d["providerOrganisationId"], hours=d["hours"],
                   start_date=_date(d["startDate"]), end_date=_date(d["endDate"]),
                   format=CourseFormat[d["format"]] if d["format"] else None,
                   certificate_number=d["certificateNumber"])


@strawberry.type(description="Квалификационная категория (запись об аттестации)")
class Category:
    code: str = strawberry.field(description="Код (справочник categories)")
    name: str
    awarded_on: Date
    expires_on: Date | None = strawberry.field(description="Действует по эту дату включительно; срок аттестации")
    order_number: str | None
    current: bool = strawberry.field(description="Действующая запись (иначе — история)")

    @classmethod
    def from_json(cls, d: dict | None) -> Category | None:
        if d is None:
            return None
        return cls(code=d["code"], name=d["name"], awarded_on=_date(d["awardedOn"]), expires_on=_date(d["expiresOn"]),
                   order_number=d["orderNumber"], current=d["current"])


def person_day(obj, as_of: Date | None) -> Date | None:
    """The day a person's field is read for: its own asOf, else the one `person(id:, asOf:)` was asked with
    (staff.py keeps it on the object), else none (the registry's today)."""
    return as_of or getattr(obj, "_as_of", None)


async def _growth(obj, info: Info[Context, None], as_of: Date | None = None) -> dict:
    """The registry's /persons/{id}/growth on the day, once per person object and day of a response."""
    day = person_day(obj, as_of)
    cache = getattr(obj, "_growth_json", None)
    if cache is None:
        cache = {}
        object.__setattr__(obj, "_growth_json", cache)
    if day not in cache:
        params = {"asOf": day.isoformat()} if day else None
        cache[day] = await info.context.registry.call("GET", f"/persons/{_id(obj.id, 'id')}/growth",
                                                      info.context.token, params=params)
    return cache[day]


@strawberry.type
class PersonGrowth:
    @list_field("Пройденные курсы, последние первыми, страница по курсору", page=20)
    async def courses(self, info: Info[Context, None], first: First = None,
                      after: After = None) -> Connection[Course]:
        return await fetch_page(info, info.context.registry, f"/persons/{_id(self.id, 'id')}/courses",
                                Course.from_json, first=first, after=after)

    @strawberry.field(description="Когда нужны следующие курсы повышения квалификации (null — их не было); на дату "
                                  "asOf (по умолчанию — та, с которой запрошен работник)")
    async def course_due(self, info: Info[Context, None], as_of: AsOf = None) -> Date | None:
        return _date((await _growth(self, info, as_of))["courseDue"])

    @strawberry.field(description="Нет курсов повышения квалификации за последние N лет (по умолчанию 3) на дату")
    async def course_overdue(self, info: Info[Context, None], as_of: AsOf = None) -> bool:
        return (await _growth(self, info, as_of))["courseOverdue"]

    @strawberry.field(description="Действующая на дату квалификационная категория (null — записей нет)")
    async def category(self, info: Info[Context, None], as_of: AsOf = None) -> Category | None:
        return Category.from_json((await _growth(self, info, as_of))["category"])

    @strawberry.field(description="Все записи об аттестации, новые первыми")
    async def category_history(self, info: Info[Context, None]) -> list[Category]:
        return [Category.from_json(c) for c in (await _growth(self, info))["categoryHistory"]]


@strawberry.type(description="Кому предстоит аттестация: срок действующей категории")
class AttestationDue:
    person_id: strawberry.ID
    full_name: str
    category: str = strawberry.field(description="Код категории")
    category_name: str
    awarded_on: Date
    expires_on: Date
    expired: bool = strawberry.field(description="Срок уже истёк")

    @classmethod
    def from_json(cls, d: dict) -> AttestationDue:
        return cls(person_id=strawberry.ID(d["personId"]), full_name=d["fullName"], category=d["category"],
                   category_name=d["categoryName"], awarded_on=_date(d["awardedOn"]),
                   expires_on=_date(d["expiresOn"]), expired=d["expired"])


@strawberry.type
class MunicipalityGrowth:
    @list_field("Работники муниципалитета, у которых срок категории истекает в ближайшие withinMonths месяцев "
                "(и истёкшие), по сроку; страница по курсору")
    async def attestation_due(self, info: Info[Context, None], within_months: WithinMonths = 6,
                              organisation_id: strawberry.ID | None = None, first: First = None,
                              after: After = None) -> Connection[AttestationDue]:
        organisation = _id(organisation_id, "organisationId") if organisation_id else None
        return await fetch_page(info, info.context.registry, "/attestation/due", AttestationDue.from_json,
                                first=first, after=after, municipality=self.oktmo, withinMonths=str(within_months),
                                organisation=organisation)


@strawberry.input(description="Пройденные курсы: повышение квалификации (от 16 часов) или переподготовка (от 250)")
class RecordCourseInput:
    person_id: strawberry.ID
    programme: str
    hours: int
    start_date: Date
    end_date: Date
    kind: CourseKind
    provider: str | None = strawberry.field(default=None, description="Организация, проводившая обучение (текст)")
    provider_organisation_id: strawberry.ID | None = strawberry.field(default=None,
                                                                      description="Или организация реестра")
    format: CourseFormat | None = None
    certificate_number: str | None = None


@strawberry.input(description="Присвоение квалификационной категории (прежняя запись остаётся в истории)")
class AwardCategoryInput:
    person_id: strawberry.ID
    category: str = strawberry.field(description="Код категории: none, compliance, first, highest, methodist, mentor")
    awarded_on: Date
    order_number: str | None = None


@strawberry.type
class GrowthMutation:
    @strawberry.mutation(description="Записать пройденные курсы работника")
    async def record_course(self, info: Info[Context, None], input: RecordCourseInput) -> Course:
        body = {"kind": input.kind.value, "programme": input.programme, "hours": input.hours,
                "startDate": input.start_date.isoformat(), "endDate": input.end_date.isoformat(),
                "provider": input.provider, "format": input.format.value if input.format else None,
                "certificateNumber": input.certificate_number,
                "providerOrganisationId": input.provider_organisation_id and _id(input.provider_organisation_id,
                                                                                 "providerOrganisationId")}
        return Course.from_json(await info.context.registry.call(
            "POST", f"/persons/{_id(input.person_id, 'personId')}/courses", info.context.token, json=body))

    @strawberry.mutation(description="Присвоить квалификационную категорию; ответ — действующая запись")
    async def award_category(self, info: Info[Context, None], input: AwardCategoryInput) -> Category:
        growth = await info.context.registry.call(
            "POST", f"/persons/{_id(input.person_id, 'personId')}/category", info.context.token,
            json={"category": input.category, "awardedOn": input.awarded_on.isoformat(),
                  "orderNumber": input.order_number})
        return Category.from_json(growth["category"])
