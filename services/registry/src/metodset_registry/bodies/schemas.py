"""Request and response shapes of methodical bodies (camelCase JSON)."""
from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BeforeValidator, Field, model_validator

from metodset_contracts.bodies import ROLE_TITLES, BodyLevel, MemberRole
from metodset_kit.pagination import Page

from ..shapes import Name, Oktmo, OrderNumber, Shape, _text

Goal = _text(2000)


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


def _sheet_date(value):
    """A date as a sheet holds it: a date, ГГГГ-ММ-ДД or ДД.ММ.ГГГГ text; empty text is no date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _RU_DATE.fullmatch(text):
            day, month, year = text.split(".")
            return f"{year}-{month}-{day}"
        return text
    return value


def _role(value):
    """A role by its code or its Russian title (председатель, заместитель председателя, секретарь, член)."""
    if isinstance(value, str):
        text = " ".join(value.split()).lower()
        return _ROLE_BY_TITLE.get(text, text) or None
    return value


_RU_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
_ROLE_BY_TITLE = {title: role.value for role, title in ROLE_TITLES.items()}
SheetDate = Annotated[date | None, BeforeValidator(_sheet_date)]


class BodyImportRow(Shape):
    """A row of a bodies sheet: the body (found by owner, kind, name and subject, else created) and one member
    (found by person id, СНИЛС, or full name with birth date). Kinds and subjects by code or Russian title, roles
    likewise, dates as dates or ДД.ММ.ГГГГ; the organisation by id or ИНН."""

    model_config = Shape.model_config | {"extra": "ignore"}

    row: int | None = Field(default=None, description="Номер строки, как его видит пользователь")
    name: Name
    kind: str = Field(min_length=1, max_length=300, description="Вид: код или название из справочника")
    level: BodyLevel | None = None
    municipality_oktmo: Oktmo | None = None
    organisation_id: UUID | None = None
    organisation_inn: str | None = Field(default=None, pattern=r"^\d{10}$", description="ИНН организации")
    subject: str | None = Field(default=None, max_length=300, description="Предмет: код или название")
    goal: Goal | None = None
    term_start: SheetDate = None
    term_end: SheetDate = None
    created_on: SheetDate = None
    person_id: UUID | None = None
    snils: str | None = Field(default=None, pattern=r"^\d{11}$")
    last_name: str | None = Field(default=None, max_length=100, description="Фамилия участника (без СНИЛС)")
    first_name: str | None = Field(default=None, max_length=100)
    middle_name: str | None = Field(default=None, max_length=100)
    birth_date: SheetDate = None
    role: Annotated[MemberRole | None, BeforeValidator(_role)] = None
    from_: SheetDate = Field(default=None, alias="from")
    to: SheetDate = None

    @model_validator(mode="after")
    def _member_complete(self):
        if self.has_member and self.role is None:
            raise ValueError("Для участника укажите роль")
        return self

    @property
    def has_member(self) -> bool:
        return bool(self.person_id or self.snils or self.last_name)


class BodyRowOutcome(Shape):
    row: int = Field(description="Номер строки (как в файле) или её индекс в пакете")
    outcome: str = Field(description="created, updated, unchanged или error")
    body_id: UUID | None = None
    member_id: UUID | None = None
    errors: list[dict] = Field(default_factory=list, description="[{field, key, message}]")


class BodyImportReport(Shape):
    mode: ImportMode
    applied: bool = Field(description="false — режим ALL_OR_NOTHING встретил ошибку и ничего не записал")
    created: int
    updated: int
    unchanged: int
    errors: int
    rows: list[BodyRowOutcome]
