"""Request and response shapes of methodical bodies (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field, model_validator

from metodset_contracts.bodies import BodyLevel, MemberRole
from metodset_kit.pagination import Page

from .schemas import Name, Oktmo, OrderNumber, Shape, _text

Goal = _text(2000)
Code = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")


class BodyCreate(Shape):
    """Сроки и даты включают оба конца. Уровень задаётся видом; для видов «любого» уровня — обязателен."""

    name: Name = Field(description="Наименование, например «ШМО учителей математики»")
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="Код вида из справочника body_kinds")
    level: BodyLevel | None = Field(default=None, description="Уровень; для видов с фиксированным уровнем — "
                                                              "можно не указывать")
    municipality_oktmo: Oktmo | None = Field(default=None, description="Муниципалитет (муниципальное объединение)")
    organisation_id: UUID | None = Field(default=None, description="Организация (объединение организации)")
    subject: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,63}$",
                                description="Код предмета из справочника subjects")
    goal: Goal | None = Field(default=None, description="Цель (обязательна для временной группы)")
    term_start: date | None = Field(default=None, description="Начало срока (временная группа)")
    term_end: date | None = Field(default=None, description="Окончание срока, включительно (временная группа)")
    created_on: date | None = Field(default=None, description="Дата создания; по умолчанию сегодня")


class BodyClose(Shape):
    closed_on: date | None = Field(default=None, description="Последний день работы; по умолчанию сегодня")


class MemberAdd(Shape):
    person_id: UUID
    role: MemberRole = Field(description="chair — председатель, deputy — заместитель председателя, "
                                         "secretary — секретарь, member — член")
    from_: date = Field(alias="from", description="Первый день участия")
    to: date | None = Field(default=None, description="Последний день участия (включительно)")


class MemberLeave(Shape):
    to: date = Field(description="Последний день участия (включительно)")


class ApprovedMemberIn(Shape):
    person_id: UUID
    role: MemberRole


class CompositionApprove(Shape):
    """Без members утверждается состав, действующий на дату приказа."""

    order_number: OrderNumber = Field(description="Номер приказа")
    order_date: date = Field(description="Дата приказа")
    academic_year: str = Field(max_length=20, description="Учебный год: 2026/2027 (или 2026/27)")
    members: list[ApprovedMemberIn] | None = Field(default=None, max_length=1000)


class PersonRef(Shape):
    id: UUID
    full_name: str | None = Field(description="ФИО (персональные данные: только руководителям объединения)")


class MemberPublic(Shape):
    id: UUID
    person: PersonRef
    role: MemberRole
    role_title: str
    from_: date = Field(alias="from")
    to: date | None


class CompositionMember(Shape):
    person: PersonRef
    role: MemberRole
    role_title: str


class CompositionPublic(Shape):
    id: UUID
    order_number: str
    order_date: date
    academic_year: str
    member_count: int
    members: list[CompositionMember] | None = Field(
        description="Состав с ФИО; null, если вызывающему доступны только численные сведения")


class BodyPublic(Shape):
    id: UUID
    name: str
    kind: str
    kind_title: str
    group: str = Field(description="council — совет, association — объединение, community — сообщество, "
                                   "temporary — временная группа")
    level: BodyLevel
    level_title: str
    municipality_oktmo: str | None
    organisation_id: UUID | None
    subject: str | None
    subject_title: str | None
    goal: str | None
    term_start: date | None
    term_end: date | None
    created_on: date
    closed_on: date | None
    active: bool = Field(description="Работает ли на дату asOf (без неё — сегодня)")
    member_count: int = Field(description="Число участников на дату")
    composition: CompositionPublic | None = Field(
        default=None, description="Утверждённый состав, действующий на дату (только в карточке объединения)")


class BodyPage(Page[BodyPublic]):
    """A page of bodies in the order name, id."""


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "ALL_OR_NOTHING"
    VALID_ROWS = "VALID_ROWS"


class BodyImportRow(Shape):
    """A row of a bodies sheet: the body (found by owner, kind, name and subject, else created) and one member
    (found by person id or СНИЛС)."""

    name: Name
    kind: str = Code
    level: BodyLevel | None = None
    municipality_oktmo: Oktmo | None = None
    organisation_id: UUID | None = None
    subject: str | None = None
    goal: Goal | None = None
    term_start: date | None = None
    term_end: date | None = None
    created_on: date | None = None
    person_id: UUID | None = None
    snils: str | None = Field(default=None, pattern=r"^\d{11}$")
    role: MemberRole | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _member_complete(self):
        if (self.person_id or self.snils) and self.role is None:
            raise ValueError("Для участника укажите роль")
        return self
