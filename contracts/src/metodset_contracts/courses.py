"""Events of professional growth on `registry.staff.v1`: a course completed, a qualification category awarded.

Identifiers, codes, hours and dates only — never a name or a certificate number. The programme title is
not personal data and lets a subscriber (individual routes) match a course to what it was meant to close."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData


class CourseKind(StrEnum):
    UPGRADE = "upgrade"  # повышение квалификации, не менее 16 часов
    RETRAINING = "retraining"  # профессиональная переподготовка, не менее 250 часов


class CourseCompleted(EventData):
    """Работник прошёл курсы повышения квалификации или профессиональную переподготовку."""

    course_id: UUID
    person_id: UUID
    kind: CourseKind
    programme: str = Field(max_length=500, description="Название программы (не персональные данные)")
    hours: int = Field(ge=1, le=10000)
    start_date: date
    end_date: date
    provider_organisation_id: UUID | None = Field(
        default=None, description="Организация реестра, проводившая обучение, если известна")


class CategoryAwarded(EventData):
    """Работнику присвоена квалификационная категория (новая запись заменяет прежнюю)."""

    award_id: UUID
    person_id: UUID
    category: str = Field(description="Код категории (справочник categories)")
    awarded_on: date
    expires_on: date | None = Field(default=None, description="Срок действия (включительно) или null")
    previous_category: str | None = Field(default=None, description="Код прежней категории, если была")
