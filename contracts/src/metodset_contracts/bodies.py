"""Events of the methodical bodies (topic `registry.bodies.v1`): councils, associations, communities and
working groups, their members and approved compositions. Identifiers, codes and dates only: a member is a
person id, never a name, a birth date, a СНИЛС or a contact."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"  # a code of a reference catalogue (body_kinds, subjects)
ACADEMIC_YEAR = r"^\d{4}/\d{4}$"


class BodyLevel(StrEnum):
    """Whose body it is: the region's, a municipality's or an organisation's."""

    REGIONAL = "regional"
    MUNICIPAL = "municipal"
    ORGANISATION = "organisation"


LEVEL_TITLES: dict[BodyLevel, str] = {
    BodyLevel.REGIONAL: "региональный",
    BodyLevel.MUNICIPAL: "муниципальный",
    BodyLevel.ORGANISATION: "уровень образовательной организации",
}


class MemberRole(StrEnum):
    CHAIR = "chair"
    DEPUTY = "deputy"
    SECRETARY = "secretary"
    MEMBER = "member"


ROLE_TITLES: dict[MemberRole, str] = {
    MemberRole.CHAIR: "председатель",
    MemberRole.DEPUTY: "заместитель председателя",
    MemberRole.SECRETARY: "секретарь",
    MemberRole.MEMBER: "член",
}


class BodyFacts(EventData):
    """What every event of a body says: the body, its kind and owner (the region, a municipality or an
    organisation)."""

    body_id: UUID
    kind: str = Field(pattern=CODE, description="Код вида из справочника body_kinds")
    level: BodyLevel
    municipality_oktmo: str | None = Field(default=None, pattern=OKTMO,
                                           description="Муниципалитет (для муниципального объединения)")
    organisation_id: UUID | None = Field(default=None, description="Организация (для объединения организации)")


class BodyCreated(BodyFacts):
    """Методическое объединение (совет, сообщество, группа) создано."""

    name: str = Field(description="Наименование объединения (не персональные данные)")
    subject: str | None = Field(default=None, pattern=CODE, description="Код предмета из справочника subjects")
    created_on: date
    term_start: date | None = Field(default=None, description="Начало срока (временная группа)")
    term_end: date | None = Field(default=None, description="Окончание срока (временная группа), включительно")


class BodyClosed(BodyFacts):
    """Объединение прекратило работу: `closed_on` — последний день работы."""

    closed_on: date


class MembershipFacts(EventData):
    body_id: UUID
    membership_id: UUID
    person_id: UUID
    role: MemberRole
    valid_from: date = Field(description="Первый день участия")
    valid_to: date | None = Field(default=None, description="Последний день участия (включительно) или null")


class MemberJoined(MembershipFacts):
    """Педагог включён в состав объединения."""


class MemberLeft(MembershipFacts):
    """Педагог выведен из состава: участвовал по `valid_to` включительно."""

    valid_to: date = Field(description="Последний день участия (включительно)")


class ApprovedMember(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)

    person_id: UUID
    role: MemberRole


class CompositionApproved(EventData):
    """Состав объединения на учебный год утверждён приказом."""

    body_id: UUID
    composition_id: UUID
    order_number: str = Field(min_length=1, max_length=100)
    order_date: date
    academic_year: str = Field(pattern=ACADEMIC_YEAR, description="Учебный год, например 2026/2027")
    members: list[ApprovedMember]
