"""Request and response shapes of support requests and consultations (camelCase JSON)."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from metodset_contracts.requests import ConsultationForm, RequestOutcome, RequestStatus
from metodset_kit.pagination import Page

from .schemas import Code, Shape, Text


class RequestCreate(Shape):
    organisation_id: UUID = Field(description="Организация, заявляющая проблему")
    topic: Text(500) = Field(description="Тема (проблема)")
    asked: Text(4000) = Field(description="Что требуется от методической службы")
    subject: Code | None = Field(default=None, description="Код предмета (справочник subjects)")


class RequestAssign(Shape):
    methodist_id: UUID = Field(description="Методист (id работника)")


class ConsultationCreate(Shape):
    form: ConsultationForm = Field(description="individual, group или parents")
    held_on: date
    minutes: int = Field(ge=1, le=24 * 60, description="Продолжительность, минут")
    participants: int = Field(default=1, ge=1, le=10_000)
    notes: Text(4000) | None = None


class RequestClose(Shape):
    outcome: RequestOutcome
    outcome_text: Text(4000) | None = None
    rating: int | None = Field(default=None, ge=1, le=5, description="Оценка заявителя, 1–5")


class ConsultationPublic(Shape):
    id: UUID
    form: ConsultationForm
    form_title: str
    held_on: date
    minutes: int
    participants: int
    notes: str | None
    methodist_id: UUID | None


class ResponseHours(Shape):
    assigned: float | None = Field(description="Часов от заявки до назначения методиста")
    consulted: float | None = Field(description="Часов от заявки до первой консультации")
    closed: float | None = Field(description="Часов от заявки до закрытия")


class RequestPublic(Shape):
    id: UUID
    organisation_id: UUID
    organisation_name: str | None
    municipality_oktmo: str
    topic: str
    asked: str
    subject: str | None
    subject_title: str | None
    status: RequestStatus
    status_title: str
    declared_at: datetime
    methodist_id: UUID | None
    assigned_at: datetime | None
    first_consulted_at: datetime | None
    closed_at: datetime | None
    outcome: RequestOutcome | None
    outcome_title: str | None
    outcome_text: str | None
    rating: int | None
    response_hours: ResponseHours
    consultations: list[ConsultationPublic]


class RequestPage(Page[RequestPublic]):
    """A page of support requests in the order of their id."""


class StagePublic(Shape):
    stage: str = Field(description="assigned, consulted или closed")
    reached: int = Field(description="Запросов, дошедших до этапа")
    median_hours: float | None
    within: float | None = Field(description="Доля всех запросов муниципалитета, дошедших до этапа за N дней")


class ResponseTimesPublic(Shape):
    municipality_oktmo: str
    requests: int
    within_days: int
    stages: list[StagePublic]
    average_rating: float | None
