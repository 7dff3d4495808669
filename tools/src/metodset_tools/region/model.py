"""The shapes of a generated region: plain frozen records that refer to each other by keys and ИНН.

The registry assigns ids when a region is loaded, so a person is referred to by its `key` (stable within
one generated region) and an organisation by its ИНН (unique in the region)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from metodset_contracts.organisations import FlagKind, SiteKind, SiteLevel
from metodset_contracts.organisations import OrganisationKind as Kind

from .events_model import MethodicalYear
from .growth_model import CategoryAward, CourseRecord, DiagnosticResult, MentoringPair

ROLES = ("chair", "deputy", "secretary", "member")  # of a member of a methodical body


@dataclass(frozen=True)
class Municipality:
    oktmo: str
    name: str


@dataclass(frozen=True)
class Organisation:
    """The fields of the registry's OrganisationCreate."""

    name: str
    kind: Kind
    municipality_oktmo: str
    inn: str
    short_name: str | None = None
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Person:
    key: str  # «29701000-00042»: the municipality of the first hire and a serial
    last_name: str
    first_name: str
    middle_name: str | None
    sex: str  # "F" or "M"
    birth_date: date
    snils: str | None  # 11 digits with a valid check number; None when not given (~5%)
    phone: str | None = None
    email: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def create_input(self) -> dict:
        """The input of `createPerson` (issue 6): names, birth date, СНИЛС; contacts apart."""
        return {"lastName": self.last_name, "firstName": self.first_name, "middleName": self.middle_name,
                "birthDate": self.birth_date.isoformat(), "snils": self.snils}


@dataclass(frozen=True)
class Employment:
    key: str  # «<person key>/<n>»
    person_key: str
    organisation_inn: str
    position: str  # a code of catalogue("positions")
    subjects: tuple[str, ...]  # codes of catalogue("subjects"); empty for most non-teaching positions
    rate: Decimal
    main: bool
    start_date: date
    end_date: date | None = None  # the last day (dismissal); None — works there now

    def hire_input(self, person_id: str, organisation_id: str) -> dict:
        """The input of `hire` (issue 6); a dismissed employment then needs `dismiss(endDate: end_date)`."""
        return {"personId": person_id, "organisationId": organisation_id, "position": self.position,
                "subjects": list(self.subjects), "rate": str(self.rate), "main": self.main,
                "startDate": self.start_date.isoformat()}

    def current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class Membership:
    person_key: str
    role: str  # one of ROLES
    start_date: date
    end_date: date | None = None  # the last day; None — a member now


@dataclass(frozen=True)
class Approval:
    """A council's composition for an academic year, approved by an order."""

    academic_year: str  # «2025/26»
    order_number: str  # «№ 125-од»
    order_date: date
    members: tuple[str, ...]  # person keys of the composition in force on the order date


@dataclass(frozen=True)
class Body:
    key: str  # «29701000/municipal_association/mathematics»
    kind: str  # a code of catalogue("body_kinds")
    name: str
    level: str  # regional, municipal or organisation
    municipality_oktmo: str | None  # None for a regional body
    organisation_inn: str | None  # the organisation it works at (the institute, the ИМЦ, the school)
    subject: str | None  # a code of catalogue("subjects") for associations by subject
    start_date: date
    end_date: date | None = None  # the term of a temporary group; None — permanent
    goal: str | None = None  # of a temporary group
    members: tuple[Membership, ...] = ()
    approvals: tuple[Approval, ...] = ()  # councils only


@dataclass(frozen=True)
class SiteStatus:
    organisation_inn: str
    kind: SiteKind
    level: SiteLevel | None
    start: date
    end: date | None  # the last day of the term granted
    topic: str | None
    order_number: str
    order_date: date
    ended_on: date | None = None  # ended before its term: `POST .../sites/{id}/end` with this last day

    def payload(self) -> dict:
        """The body of `POST /organisations/{id}/sites`, checked by the registry's own schema."""
        from metodset_registry.organisations.schemas import SiteGrant, SiteOrder

        grant = SiteGrant(kind=self.kind, level=self.level, from_=self.start, to=self.end, topic=self.topic,
                          order=SiteOrder(number=self.order_number, date_=self.order_date))
        return grant.model_dump(by_alias=True, mode="json", exclude_none=True)


@dataclass(frozen=True)
class OrganisationFlag:
    organisation_inn: str
    kind: FlagKind
    start: date
    end: date | None  # the last day it was set for; None — until cleared
    source: str  # the order of the region or municipality
    cleared_on: date | None = None  # cleared early: `POST .../flags/{id}/clear` with this last day

    def payload(self) -> dict:
        """The body of `POST /organisations/{id}/flags`, checked by the registry's own schema."""
        from metodset_registry.organisations.schemas import FlagSet

        return FlagSet(kind=self.kind, from_=self.start, to=self.end, source=self.source).model_dump(
            by_alias=True, mode="json", exclude_none=True)


@dataclass
class Region:
    name: str
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    employments: list[Employment] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    sites: list[SiteStatus] = field(default_factory=list)
    flags: list[OrganisationFlag] = field(default_factory=list)
    courses: list[CourseRecord] = field(default_factory=list)
    categories: list[CategoryAward] = field(default_factory=list)
    diagnostics: list[DiagnosticResult] = field(default_factory=list)
    mentoring: list[MentoringPair] = field(default_factory=list)
    methodical: MethodicalYear = field(default_factory=MethodicalYear)  # events service: a year of work
    competitions: list = field(default_factory=list)  # events service: competitions.Competition
    contingent: list = field(default_factory=list)  # monitoring: region.campaigns.ContingentReport per school

