"""Request and response shapes of the staff API (camelCase JSON)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from metodset_kit.pagination import Page

from ..domain.identifiers import normalise_snils, snils_problem
from ..shapes import Email, Phone, Shape, _text

PersonName = _text(100)
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]


def _snils(value: str) -> str:
    reason = snils_problem(value)
    if reason:
        raise ValueError(reason)
    return normalise_snils(value)


Snils = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20), AfterValidator(_snils)]
Rate = Annotated[Decimal, Field(ge=Decimal("0.05"), le=Decimal("2.00"), decimal_places=2,
                                description="Ставка: от 0.05 до 2.00")]


class ExperienceBefore(Shape):
    """Стаж до начала учёта на платформе: годы (и месяцы) или дни, на дату `asOf` (включительно)."""

    years: int | None = Field(default=None, ge=0, le=80)
    months: int | None = Field(default=None, ge=0, le=11)
    days: int | None = Field(default=None, ge=0, le=30000)
    pedagogical_years: int | None = Field(default=None, ge=0, le=80)
    pedagogical_months: int | None = Field(default=None, ge=0, le=11)
    pedagogical_days: int | None = Field(default=None, ge=0, le=30000)
    as_of: date | None = Field(default=None, description="На какую дату указан стаж; работа на платформе "
                                                         "учитывается после неё")


class PersonCreate(Shape):
    last_name: PersonName = Field(description="Фамилия")
    first_name: PersonName = Field(description="Имя")
    middle_name: PersonName | None = Field(default=None, description="Отчество (если есть)")
    birth_date: date = Field(description="Дата рождения")
    snils: Snils | None = Field(default=None, description="СНИЛС: 11 цифр или ХХХ-ХХХ-ХХХ YY")
    phone: Phone | None = None
    email: Email | None = None
    experience_before: ExperienceBefore | None = None


class PersonUpdate(Shape):
    """Only the fields given are changed; null clears an optional field."""

    last_name: PersonName | None = None
    first_name: PersonName | None = None
    middle_name: PersonName | None = None
    birth_date: date | None = None
    snils: Snils | None = None
    phone: Phone | None = None
    email: Email | None = None
    experience_before: ExperienceBefore | None = None


class Experience(Shape):
    total: float = Field(description="Общий стаж, лет")
    pedagogical: float = Field(description="Педагогический стаж, лет")
    total_days: int
    pedagogical_days: int


class EmploymentPublic(Shape):
    id: UUID
    person_id: UUID
    organisation_id: UUID
    organisation_name: str | None = None
    municipality_oktmo: str
    position: str
    position_title: str
    subjects: list[str]
    subject_titles: list[str]
    rate: Decimal
    main: bool
    start_date: date
    end_date: date | None
    version: int


class PersonPublic(Shape):
    id: UUID
    version: int
    full_name: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    snils: str | None = Field(description="СНИЛС в виде ХХХ-ХХХ-ХХХ YY")
    phone: str | None
    email: str | None
    registered_municipality: str | None
    experience: Experience
    young_specialist: bool
    employments: list[EmploymentPublic] = Field(description="Действующие на дату чтения (asOf или сегодня)")


class Hire(Shape):
    person_id: UUID
    organisation_id: UUID
    position: Code = Field(description="Код должности (GET /catalogues/positions)")
    subjects: list[Code] = Field(default_factory=list, max_length=20, description="Коды предметов")
    rate: Rate = Decimal("1.00")
    main: bool = Field(default=True, description="Основное место работы (иначе — совместительство)")
    start_date: date


class Transfer(Shape):
    """Новые условия с `effectiveDate`; не указанные поля остаются прежними."""

    effective_date: date
    position: Code | None = None
    subjects: list[Code] | None = Field(default=None, max_length=20)
    rate: Rate | None = None
    main: bool | None = None


class Dismiss(Shape):
    end_date: date = Field(description="Последний день работы")


class StaffItem(Shape):
    id: UUID
    full_name: str
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    young_specialist: bool
    employments: list[EmploymentPublic]


class StaffPage(Page[StaffItem]):
    """A page of staff in the order of full name (normalised), id."""


class GroupBy(StrEnum):
    POSITION = "position"
    SUBJECT = "subject"
    ORGANISATION = "organisation"
    YOUNG_SPECIALIST = "youngSpecialist"


class CountRow(Shape):
    key: str | None
    title: str | None = None
    count: int


class StaffCounts(Shape):
    total: int
    group_by: GroupBy
    groups: list[CountRow]


class CatalogueItem(Shape):
    code: str
    title: str
    extra: dict = Field(default_factory=dict)
    origin: str = "region"


class CatalogueItemCreate(Shape):
    code: Code
    title: _text(300)
    extra: dict = Field(default_factory=dict, description="Например {\"group\": \"pedagogical\"} для должности")

    @model_validator(mode="after")
    def _small(self):
        if len(str(self.extra)) > 2000:
            raise ValueError("extra: не больше 2000 символов")
        return self


class AuditEntry(Shape):
    id: int
    at: datetime
    subject: str
    role: str
    action: str
    resource: str
    resource_id: str | None
    operation: str | None
    trace_id: str | None


class AuditPage(Page[AuditEntry]):
    """Entries newest first."""


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "ALL_OR_NOTHING"
    VALID_ROWS = "VALID_ROWS"


class StaffRow(Shape):
    """One row of a staff import: the person and one employment, as the template's columns. Values are
    checked row by row by the import (a bad value is reported for its row, not refused for the request)."""

    model_config = Shape.model_config | {"extra": "ignore"}

    last_name: Any = Field(default=None, description="Фамилия")
    first_name: Any = Field(default=None, description="Имя")
    middle_name: Any = Field(default=None, description="Отчество")
    birth_date: Any = Field(default=None, description="Дата рождения: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")
    snils: Any = Field(default=None, description="СНИЛС")
    organisation_inn: Any = Field(default=None, description="ИНН организации")
    position: Any = Field(default=None, description="Должность: код или название")
    subjects: Any = Field(default=None, description="Предметы: коды или названия, списком или через «;»")
    rate: Any = Field(default=None, description="Ставка (по умолчанию 1)")
    main: Any = Field(default=None, description="Основное место работы: да/нет (по умолчанию да)")
    start_date: Any = Field(default=None, description="Дата приёма")
    row: int | None = Field(default=None, description="Номер строки, как его видит пользователь")


class RowOutcome(Shape):
    row: int
    outcome: str = Field(description="created, updated, unchanged или error")
    person_id: UUID | None = None
    employment_id: UUID | None = None
    errors: list[dict] = Field(default_factory=list, description="[{field, message}]")


class ImportReport(Shape):
    mode: ImportMode
    applied: bool
    created: int
    updated: int
    unchanged: int
    errors: int
    rows: list[RowOutcome]
