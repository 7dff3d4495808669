"""GraphQL of methodical bodies (councils, associations, communities, temporary groups), their members and
approved compositions, read and written through the registry's REST API; and a municipality's sites.

Lists of bodies are cursor connections like organisations; members and compositions are small plain lists
(counted by the cost estimate as unpaged lists). Members carry persons' names: the registry answers them
only to the body's managers (auditing the read), for anybody else `members` is null with NOT_FOUND, exactly
as for a body that does not exist."""
from __future__ import annotations

import datetime
import uuid
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from metodset_contracts.bodies import LEVEL_TITLES, ROLE_TITLES
from metodset_contracts.bodies import BodyLevel as ContractLevel
from metodset_contracts.bodies import MemberRole as ContractRole

from .clients import ServiceError
from .connections import After, Connection, fetch_page
from .context import Context
from .marks import _enum
from .paging import First, list_field

if TYPE_CHECKING:
    from .schema import Organisation

Date = datetime.date
AsOf = Annotated[Date | None, strawberry.argument(
    description="Как было на этот день (не позже сегодняшнего); без неё — сегодня")]


BodyLevel = _enum("BodyLevel", ContractLevel, LEVEL_TITLES, "Уровень объединения: чьё оно")
MemberRole = _enum("MemberRole", ContractRole, ROLE_TITLES, "Роль участника объединения")


def _date(value: str | None) -> Date | None:
    return Date.fromisoformat(value) if value else None


def _iso(value: Date | None) -> str | None:
    return value.isoformat() if value else None


def _uuid(value, field: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise GraphQLError(f"{field}: не является идентификатором (UUID)",
                           extensions={"code": "BAD_USER_INPUT", "field": field}) from None


@strawberry.type(description="Педагог (ФИО — персональные данные: только руководителям объединения)")
class MemberPerson:
    id: strawberry.ID
    full_name: str | None = None

    @classmethod
    def from_json(cls, d: dict) -> MemberPerson:
        return cls(id=strawberry.ID(d["id"]), full_name=d.get("fullName"))


@strawberry.type(description="Участие педагога в объединении (даты включительно; to = null — без срока)")
class Member:
    id: strawberry.ID
    person: MemberPerson
    role: MemberRole
    role_title: str
    from_: Date = strawberry.field(name="from")
    to: Date | None

    @classmethod
    def from_json(cls, d: dict) -> Member:
        return cls(id=strawberry.ID(d["id"]), person=MemberPerson.from_json(d["person"]), role=MemberRole(d["role"]),
                   role_title=d["roleTitle"], from_=_date(d["from"]), to=_date(d["to"]))


@strawberry.type(description="Участник утверждённого состава")
class CompositionMember:
    person: MemberPerson
    role: MemberRole
    role_title: str


@strawberry.type(description="Состав объединения на учебный год, утверждённый приказом")
class Composition:
    id: strawberry.ID
    order_number: str
    order_date: Date
    academic_year: str
    member_count: int
    members: list[CompositionMember] | None = strawberry.field(
        description="Состав с ФИО; null, если вам доступны только численные сведения")

    @classmethod
    def from_json(cls, d: dict) -> Composition:
        members = None if d["members"] is None else [
            CompositionMember(person=MemberPerson.from_json(m["person"]), role=MemberRole(m["role"]),
                              role_title=m["roleTitle"]) for m in d["members"]]
        return cls(id=strawberry.ID(d["id"]), order_number=d["orderNumber"], order_date=_date(d["orderDate"]),
                   academic_year=d["academicYear"], member_count=d["memberCount"], members=members)


@strawberry.type(description="Методическое объединение: совет, объединение (УМО, РМО/ГМО, ШМО, кафедра), "
                             "профессиональное сообщество, совет молодых педагогов, временная группа")
class Body:
    id: strawberry.ID
    name: str
    kind: str = strawberry.field(description="Код вида из справочника body_kinds")
    kind_title: str
    group: str = strawberry.field(description="council, association, community или temporary")
    level: BodyLevel
    level_title: str
    municipality_oktmo: str | None
    organisation_id: strawberry.ID | None
    subject: str | None
    subject_title: str | None
    goal: str | None
    term_start: Date | None
    term_end: Date | None
    created_on: Date
    closed_on: Date | None
    active: bool
    member_count: int = strawberry.field(description="Число участников на дату")
    as_of: strawberry.Private[Date | None] = None
    loaded_composition: strawberry.Private[dict | None] = None
    has_composition: strawberry.Private[bool] = False

    @classmethod
    def from_json(cls, d: dict, as_of: Date | None = None, card: bool = False) -> Body:
        return cls(id=strawberry.ID(d["id"]), name=d["name"], kind=d["kind"], kind_title=d["kindTitle"],
                   group=d["group"], level=BodyLevel(d["level"]), level_title=d["levelTitle"],
                   municipality_oktmo=d["municipalityOktmo"], organisation_id=d["organisationId"],
                   subject=d["subject"], subject_title=d["subjectTitle"], goal=d["goal"],
                   term_start=_date(d["termStart"]), term_end=_date(d["termEnd"]), created_on=_date(d["createdOn"]),
                   closed_on=_date(d["closedOn"]), active=d["active"], member_count=d["memberCount"], as_of=as_of,
                   loaded_composition=d.get("composition"), has_composition=card)

    @strawberry.field(description="Организация, которой принадлежит объединение (для объединений организации)")
    async def organisation(self, info: Info[Context, None]) -> Annotated[
            Organisation, strawberry.lazy("metodset_gateway.schema")] | None:
        from .schema import Organisation

        if not self.organisation_id:
            return None
        return Organisation.from_json(await info.context.registry.call(
            "GET", f"/organisations/{_uuid(self.organisation_id, 'organisationId')}", info.context.token))

    @strawberry.field(description="Участники на дату (asOf; по умолчанию — дата, на которую прочитано "
                                  "объединение) или вся история (history). Только руководителям объединения; "
                                  "для остальных null с NOT_FOUND")
    async def members(self, info: Info[Context, None], as_of: AsOf = None,
                      history: bool = False) -> list[Member] | None:
        params = {"history": "true"} if history else {}
        day = as_of or self.as_of
        if day:
            params["asOf"] = day.isoformat()
        try:
            rows = await info.context.registry.call("GET", f"/bodies/{self.id}/members", info.context.token,
                                                    params=params)
        except ServiceError as exc:
            if (exc.extensions or {}).get("status") == 404:
                raise GraphQLError(f"Участники объединения {self.id} не найдены",
                                   extensions={"code": "NOT_FOUND", "field": "members"}) from None
            raise
        return [Member.from_json(r) for r in rows]

    @strawberry.field(description="Утверждённые приказами составы, в порядке утверждения")
    async def compositions(self, info: Info[Context, None]) -> list[Composition]:
        rows = await info.context.registry.call("GET", f"/bodies/{self.id}/compositions", info.context.token)
        return [Composition.from_json(r) for r in rows]

    @strawberry.field(description="Утверждённый состав, действующий на дату (последний приказ не позже неё)")
    async def composition(self, info: Info[Context, None], as_of: AsOf = None) -> Composition | None:
        if self.has_composition and (as_of is None or as_of == self.as_of):
            found = self.loaded_composition
        else:
            day = as_of or self.as_of
            found = (await info.context.registry.call(
                "GET", f"/bodies/{self.id}", info.context.token,
                params={"asOf": day.isoformat()} if day else None))["composition"]
        return Composition.from_json(found) if found else None


@strawberry.input(description="Условия списка объединений; не указанное условие не ограничивает")
class BodyFilter:
    municipality_oktmo: str | None = strawberry.field(
        default=None, description="Муниципалитет: его объединения и объединения его организаций")
    organisation_id: strawberry.ID | None = None
    kind: str | None = strawberry.field(default=None, description="Код вида из справочника body_kinds")
    level: BodyLevel | None = None
    active: bool | None = strawberry.field(default=None, description="true — работающие на дату, false — закрытые")


@strawberry.input(description="Новое методическое объединение")
class CreateBodyInput:
    name: str
    kind: str = strawberry.field(description="Код вида из справочника body_kinds")
    level: BodyLevel | None = strawberry.field(default=None, description="Для видов «любого» уровня")
    municipality_oktmo: str | None = None
    organisation_id: strawberry.ID | None = None
    subject: str | None = strawberry.field(default=None, description="Код предмета (для РМО, ШМО, кафедры)")
    goal: str | None = strawberry.field(default=None, description="Цель (временная группа)")
    term_start: Date | None = None
    term_end: Date | None = None
    created_on: Date | None = None


@strawberry.input(description="Включение педагога в состав")
class AddMemberInput:
    person_id: strawberry.ID
    role: MemberRole
    from_: Date = strawberry.field(name="from")
    to: Date | None = None


@strawberry.input(description="Участник утверждаемого состава")
class ApprovedMemberInput:
    person_id: strawberry.ID
    role: MemberRole


@strawberry.input(description="Утверждение состава приказом; без members — состав на дату приказа")
class ApproveCompositionInput:
    order_number: str
    order_date: Date
    academic_year: str = strawberry.field(description="Учебный год, например 2026/2027")
    members: list[ApprovedMemberInput] | None = None


def _value(value):
    return value.value if isinstance(value, Enum) else value


async def body_page(info: Info[Context, None], first: int | None, after: str | None, as_of: Date | None,
                    filter: BodyFilter | None, **owner: str) -> Connection[Body]:
    """A page of bodies; `owner` (municipality or organisation) narrows the filter."""
    f = filter or BodyFilter()
    organisation = owner.get("organisation") or (f.organisation_id and _uuid(f.organisation_id, "organisationId"))
    active = None if f.active is None else str(f.active).lower()
    return await fetch_page(info, info.context.registry, "/bodies", lambda d: Body.from_json(d, as_of),
                            first=first, after=after, municipality=owner.get("municipality") or f.municipality_oktmo,
                            organisation=organisation, kind=f.kind, level=_value(f.level), active=active,
                            asOf=_iso(as_of))


async def site_page(info: Info[Context, None], oktmo: str, first: int | None, after: str | None,
                    as_of: Date | None, kind, node):
    return await fetch_page(info, info.context.registry, "/sites", node, first=first, after=after, municipality=oktmo,
                            kind=_value(kind), asOf=_iso(as_of))


def _body_input(data: CreateBodyInput) -> dict:
    return {"name": data.name, "kind": data.kind, "level": _value(data.level),
            "municipalityOktmo": data.municipality_oktmo,
            "organisationId": data.organisation_id and _uuid(data.organisation_id, "organisationId"),
            "subject": data.subject, "goal": data.goal, "termStart": _iso(data.term_start),
            "termEnd": _iso(data.term_end), "createdOn": _iso(data.created_on)}


@strawberry.type
class BodyQueries:
    @strawberry.field(description="Методическое объединение; с asOf — на тот день: число участников и "
                                  "действующий утверждённый состав (null, если его ещё не было)")
    async def body(self, info: Info[Context, None], id: strawberry.ID, as_of: AsOf = None) -> Body | None:
        params = {"asOf": as_of.isoformat()} if as_of else None
        try:
            found = await info.context.registry.call("GET", f"/bodies/{_uuid(id, 'id')}", info.context.token,
                                                     params=params)
        except ServiceError as exc:
            if (exc.extensions or {}).get("status") == 404:
                return None
            raise
        return Body.from_json(found, as_of, card=True)

    @list_field("Методические объединения региона по условиям, страница по курсору (порядок: наименование, id)")
    async def bodies(self, info: Info[Context, None], first: First = None, after: After = None,
                     filter: BodyFilter | None = None, as_of: AsOf = None) -> Connection[Body]:
        return await body_page(info, first, after, as_of, filter)


@strawberry.type
class BodyMutations:
    @strawberry.mutation(description="Создать методическое объединение")
    async def create_body(self, info: Info[Context, None], input: CreateBodyInput) -> Body:
        return Body.from_json(await info.context.registry.call("POST", "/bodies", info.context.token,
                                                               json=_body_input(input)))

    @strawberry.mutation(description="Закрыть объединение: closedOn — последний день работы (по умолчанию сегодня)")
    async def close_body(self, info: Info[Context, None], id: strawberry.ID, closed_on: Date | None = None) -> Body:
        return Body.from_json(await info.context.registry.call(
            "POST", f"/bodies/{_uuid(id, 'id')}/close", info.context.token, json={"closedOn": _iso(closed_on)}))

    @strawberry.mutation(description="Включить педагога в состав объединения")
    async def add_member(self, info: Info[Context, None], body_id: strawberry.ID, input: AddMemberInput) -> Member:
        body = {"personId": _uuid(input.person_id, "personId"), "role": input.role.value,
                "from": input.from_.isoformat(), "to": _iso(input.to)}
        return Member.from_json(await info.context.registry.call(
            "POST", f"/bodies/{_uuid(body_id, 'bodyId')}/members", info.context.token, json=body))

    @strawberry.mutation(description="Вывести из состава: to — последний день участия")
    async def end_membership(self, info: Info[Context, None], body_id: strawberry.ID, member_id: strawberry.ID,
                             to: Date) -> Member:
        return Member.from_json(await info.context.registry.call(
            "POST", f"/bodies/{_uuid(body_id, 'bodyId')}/members/{_uuid(member_id, 'memberId')}/leave",
            info.context.token, json={"to": to.isoformat()}))

    @strawberry.mutation(description="Утвердить состав объединения на учебный год приказом")
    async def approve_composition(self, info: Info[Context, None], body_id: strawberry.ID,
                                  input: ApproveCompositionInput) -> Composition:
        members = None if input.members is None else [
            {"personId": _uuid(m.person_id, "personId"), "role": m.role.value} for m in input.members]
        body = {"orderNumber": input.order_number, "orderDate": input.order_date.isoformat(),
                "academicYear": input.academic_year, "members": members}
        return Composition.from_json(await info.context.registry.call(
            "POST", f"/bodies/{_uuid(body_id, 'bodyId')}/compositions", info.context.token, json=body))

