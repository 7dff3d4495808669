"""Request and response shapes of courses and attestation (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from metodset_kit.pagination import Page

from ...shapes import Shape, _text


class CourseKindIn(StrEnum):
    UPGRADE = "UPGRADE"
    RETRAINING = "RETRAINING"


class CourseFormatIn(StrEnum):
    FULL_TIME = "FULL_TIME"
    MIXED = "MIXED"
    PART_TIME = "PART_TIME"
    DISTANCE = "DISTANCE"


class CourseCreate(Shape):
    """Пройденные курсы: повышение квалификации (не менее 16 часов) или переподготовка (не менее 250)."""

    kind: CourseKindIn = Field(description="UPGRADE — повышение квалификации, RETRAINING — переподготовка")
    programme: _text(500) = Field(description="Название программы")
    provider_organisation_id: UUID | None = Field(default=None, description="Организация реестра, проводившая "
                                                                            "обучение")
    provider: _text(500) | None = Field(default=None, description="Организация, проводившая обучение (текстом), "
                                                                  "если её нет в реестре")
    hours: int = Field(ge=1, le=10000)
    start_date: date
    end_date: date = Field(description="Дата окончания: не раньше начала и не в будущем")
    format: CourseFormatIn | None = Field(default=None, description="FULL_TIME очная, MIXED очно-заочная, "
                                                                    "PART_TIME заочная, DISTANCE с применением ДОТ")
    certificate_number: _text(100) | None = Field(default=None, description="Номер удостоверения (диплома)")


class CoursePublic(Shape):
    id: UUID
    person_id: UUID
    kind: CourseKindIn
    kind_title: str
    programme: str
    provider_organisation_id: UUID | None
    provider: str | None = Field(description="Организация, проводившая обучение: название из реестра или текст")
    hours: int
    start_date: date
    end_date: date
    format: CourseFormatIn | None
    certificate_number: str | None


class CoursePage(Page[CoursePublic]):
    """Курсы работника, последние первыми."""


class CategoryPublic(Shape):
    id: UUID
    code: str
    name: str
    awarded_on: date
    order_number: str | None
    expires_on: date | None
    current: bool


class Growth(Shape):
    """Курсовая подготовка и аттестация работника на дату."""

    person_id: UUID
    as_of: date
    last_upgrade_end: date | None = Field(description="Окончание последних курсов повышения квалификации")
    course_due: date | None = Field(description="Когда нужны следующие курсы (null — курсов не было)")
    course_overdue: bool = Field(description="Нет курсов повышения квалификации за N лет")
    category: CategoryPublic | None = Field(description="Действующая запись об аттестации")
    category_history: list[CategoryPublic] = Field(description="Все записи, новые первыми")


class CategoryAward(Shape):
    category: str = Field(pattern=r"^[a-z0-9_]{1,64}$", description="Код категории (справочник categories)")
    awarded_on: date
    order_number: _text(100) | None = Field(default=None, description="Номер приказа")


class AttestationDueItem(Shape):
    person_id: UUID
    full_name: str
    category: str
    category_name: str
    awarded_on: date
    expires_on: date
    expired: bool = Field(description="Срок уже истёк на дату списка")


class AttestationDuePage(Page[AttestationDueItem]):
    """Работники, у которых срок категории истекает в ближайшие N месяцев (и истёкшие), по сроку."""
