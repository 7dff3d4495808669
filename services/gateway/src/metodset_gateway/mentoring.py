"""GraphQL shapes of mentoring, read and written through the registry's REST API: a person's mentors,
mentees and mentorings, a municipality's young specialists without a mentor, start and end a mentoring.

The registry decides scope and audits every read of names; the gateway only forwards the caller's token."""
from __future__ import annotations

import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from metodset_contracts.mentoring import OUTCOME_TITLES, STATUS_TITLES
from metodset_contracts.mentoring import MentoringOutcome as ContractOutcome
from metodset_contracts.mentoring import MentoringStatus as ContractStatus

from .bodies import _date
from .bodies import _uuid as _id
from .connections import After, Connection, fetch_page
from .context import Context
from .growth import person_day
from .paging import First, list_field

if TYPE_CHECKING:
    from .staff import StaffMember

Date = datetime.date
AsOf = Annotated[Date | None, strawberry.argument(
    description="На конец этого дня (не позже сегодняшнего); без неё — сегодня")]


def _enum(name: str, contract: type[Enum], titles: dict, description: str):
    made = strawberry.enum(Enum(name, {m.name: m.value for m in contract}), description=description)
    for member in made:
        member._strawberry_description = titles[contract(member.value)]
    return made


MentoringStatus = _enum("MentoringStatus", ContractStatus, STATUS_TITLES, "Состояние наставничества")
MentoringOutcome = _enum("MentoringOutcome", ContractOutcome, OUTCOME_TITLES, "Итог наставничества")


def _params(**values) -> dict:
    return {k: v.isoformat() if isinstance(v, Date) else str(v) for k, v in values.items() if v is not None}


@strawberry.type(description="Наставник или наставляемый (ФИО — персональные данные, чтение в журнале)")
class MentoringPerson:
    id: strawberry.ID
    full_name: str | None

    @classmethod
    def from_json(cls, d: dict) -> MentoringPerson:
        return cls(id=strawberry.ID(d["id"]), full_name=d["fullName"])


@strawberry.type(description="Итог наставничества")
class Outcome:
    code: MentoringOutcome
    title: str
    text: str | None


@strawberry.type(description="Наставничество: наставник и наставляемые (пара или группа) на период")
class Mentoring:
    id: strawberry.ID
    mentor: MentoringPerson
    mentees: list[MentoringPerson]
    form: str = strawberry.field(description="Код формы (справочник mentoring_forms)")
    form_title: str
    programme: str | None
    organisation_id: strawberry.ID | None
    municipality_oktmo: str
    start_date: Date
    end_date: Date | None = strawberry.field(description="Последний день; null — действует")
    status: MentoringStatus
    status_title: str
    outcome: Outcome | None

    @classmethod
    def from_json(cls, d: dict) -> Mentoring:
        o = d["outcome"]
        return cls(id=strawberry.ID(d["id"]), mentor=MentoringPerson.from_json(d["mentor"]),
                   mentees=[MentoringPerson.from_json(m) for m in d["mentees"]], form=d["form"],
                   form_title=d["formTitle"], programme=d["programme"], organisation_id=d["organisationId"],
                   municipality_oktmo=d["municipalityOktmo"], start_date=_date(d["startDate"]),
                   end_date=_date(d["endDate"]), status=MentoringStatus(d["status"]), status_title=d["statusTitle"],
                   outcome=o and Outcome(code=MentoringOutcome(o["code"]), title=o["title"], text=o["text"]))


async def _active(info: Info[Context, None], as_of: Date | None, **which) -> list[dict]:
    """The mentorings active on the day where the person is the mentor or a mentee (up to 1000)."""
    page = await info.context.registry.call("GET", "/mentoring", info.context.token,
                                            params=_params(asOf=as_of or Date.today(), limit=1000, **which))
    return page["items"]


@strawberry.type
class PersonMentoring:
    """Fields of a person (gateway staff.Person) about mentoring."""

    id: strawberry.ID

    @strawberry.field(description="Наставники в действующем на дату наставничестве")
    async def mentors(self, info: Info[Context, None], as_of: AsOf = None) -> list[MentoringPerson]:
        found = await _active(info, person_day(self, as_of), menteeId=self.id)
        return list({m["mentor"]["id"]: MentoringPerson.from_json(m["mentor"]) for m in found}.values())

    @strawberry.field(description="Наставляемые в действующем на дату наставничестве")
    async def mentees(self, info: Info[Context, None], as_of: AsOf = None) -> list[MentoringPerson]:
        found = await _active(info, person_day(self, as_of), mentorId=self.id)
        return list({p["id"]: MentoringPerson.from_json(p) for m in found for p in m["mentees"]}.values())

    @list_field("Наставничество, где работник — наставник или наставляемый, страница по курсору")
    async def mentoring(self, info: Info[Context, None], first: First = None, after: After = None,
                        status: MentoringStatus | None = None) -> Connection[Mentoring]:
        return await fetch_page(info, info.context.registry, "/mentoring", Mentoring.from_json, first=first,
                                after=after, **_params(personId=self.id, status=status and status.value))

    @strawberry.field(description="Нагрузка наставника: наставляемых в действующем на дату наставничестве")
    async def mentor_load(self, info: Info[Context, None], as_of: AsOf = None) -> int:
        r = await info.context.registry.call("GET", f"/persons/{_id(self.id, 'id')}/mentor-load", info.context.token,
                                             params=_params(asOf=as_of))
        return r["mentees"]


@strawberry.type
class MunicipalityMentoring:
    """Fields of a municipality (gateway schema.Municipality) about mentoring."""

    oktmo: str

    @list_field("Молодые специалисты без действующего на дату наставничества, страница по курсору")
    async def young_specialists_without_mentor(
            self, info: Info[Context, None], first: First = None, after: After = None, as_of: AsOf = None,
            organisation_id: strawberry.ID | None = None,
    ) -> Connection[Annotated[StaffMember, strawberry.lazy("metodset_gateway.staff")]]:
        from .staff import StaffMember

        organisation = organisation_id and _id(organisation_id, "organisationId")
        return await fetch_page(info, info.context.registry, "/staff/young-without-mentor", StaffMember.from_json,
                                first=first, after=after,
                                **_params(municipality=self.oktmo, asOf=as_of, organisation=organisation))


@strawberry.input(description="Закрепление наставника")
class StartMentoringInput:
    mentor_id: strawberry.ID
    mentee_ids: list[strawberry.ID]
    form: str = strawberry.field(description="Код формы (справочник mentoring_forms)")
    start_date: Date
    programme: str | None = None
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Организация; без неё — место основной работы первого наставляемого")


@strawberry.input(description="Итог наставничества")
class OutcomeInput:
    code: MentoringOutcome
    text: str | None = None


@strawberry.type
class MentoringQueries:
    @strawberry.field(description="Наставничество по идентификатору; null — нет такого или оно вне вашей "
                                  "области доступа")
    async def mentoring(self, info: Info[Context, None], id: strawberry.ID) -> Mentoring | None:
        found = await info.context.registry.find(f"/mentoring/{_id(id, 'id')}", info.context.token)
        return Mentoring.from_json(found) if found is not None else None


@strawberry.type
class MentoringMutations:
    @strawberry.mutation(description="Закрепить наставника за наставляемым (пара) или группой")
    async def start_mentoring(self, info: Info[Context, None], input: StartMentoringInput) -> Mentoring:
        body = {"mentorId": _id(input.mentor_id, "mentorId"),
                "menteeIds": [_id(m, "menteeIds") for m in input.mentee_ids], "form": input.form,
                "startDate": input.start_date.isoformat(), "programme": input.programme,
                "organisationId": input.organisation_id and _id(input.organisation_id, "organisationId")}
        return Mentoring.from_json(await info.context.registry.call("POST", "/mentoring", info.context.token,
                                                                    json=body))

    @strawberry.mutation(description="Завершить наставничество: endDate — последний день; terminated — досрочно")
    async def end_mentoring(self, info: Info[Context, None], id: strawberry.ID, end_date: Date,
                            outcome: OutcomeInput, terminated: bool = False) -> Mentoring:
        body = {"endDate": end_date.isoformat(), "status": "terminated" if terminated else "completed",
                "outcome": outcome.code.value, "outcomeText": outcome.text}
        return Mentoring.from_json(await info.context.registry.call(
            "POST", f"/mentoring/{_id(id, 'id')}/end", info.context.token, json=body))
