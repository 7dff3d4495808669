"""Request and response shapes of the methodical events API (camelCase JSON)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from metodset_contracts.methodical_events import EventFormat, EventLevel
from metodset_kit.pagination import Page
from metodset_kit.shapes import Shape, Text

from .domain.rules import DEFAULT_ATTENDANCE_PERCENT

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
Oktmo = Annotated[str, StringConstraints(pattern=r"^\d{8}(\d{3})?$")]


class SessionIn(Shape):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    hours: int = Field(ge=1, le=100, description="Академические часы занятия")


class QuotaIn(Shape):
    municipality_oktmo: Oktmo
    places: int = Field(ge=1, le=100000)


class AudienceIn(Shape):
    positions: list[Code] = Field(default_factory=list, max_length=100, description="Коды должностей (пусто — все)")
    subjects: list[Code] = Field(default_factory=list, max_length=100, description="Коды предметов (пусто — все)")
    municipalities: list[Oktmo] = Field(default_factory=list, max_length=200,
                                        description="Муниципалитеты (пусто — все)")


class EventCreate(Shape):
    title: Text(500)
    form: Code = Field(description="Код формы (справочник event_forms)")
    topic: Text(1000) | None = None
    level: EventLevel
    organiser_id: UUID = Field(description="Организация или методическое объединение — организатор")
    audience: AudienceIn = Field(default_factory=AudienceIn)
    format: EventFormat
    place: Text(500) | None = None
    sessions: list[SessionIn] = Field(min_length=1, max_length=100)
    capacity: int = Field(ge=1, le=100000)
    registration_opens: AwareDatetime
    registration_closes: AwareDatetime
    quotas: list[QuotaIn] = Field(default_factory=list, max_length=200)
    requires_approval: bool = False
    attendance_percent: int = Field(default=DEFAULT_ATTENDANCE_PERCENT, ge=1, le=100,
                                    description="Правило посещаемости: доля часов программы, %")


class EventChange(Shape):
    title: Text(500) | None = None
    topic: Text(1000) | None = None
    audience: AudienceIn | None = None
    format: EventFormat | None = None
    place: Text(500) | None = None
    sessions: list[SessionIn] | None = Field(default=None, min_length=1, max_length=100)
    capacity: int | None = Field(default=None, ge=1, le=100000)
    registration_opens: AwareDatetime | None = None
    registration_closes: AwareDatetime | None = None
    quotas: list[QuotaIn] | None = Field(default=None, max_length=200)
    attendance_percent: int | None = Field(default=None, ge=1, le=100)


class SessionPublic(Shape):
    id: UUID
    position: int
    starts_at: datetime
    ends_at: datetime
    hours: int
    check_in_code: str | None = Field(description="Код отметки у входа: только организатору")


class QuotaPublic(Shape):
    municipality_oktmo: str
    places: int
    used: int


class EventPublic(Shape):
    id: UUID
    title: str
    form: str
    form_title: str
    topic: str | None
    level: EventLevel
    organiser_organisation_id: UUID | None
    organiser_body_id: UUID | None
    organiser_name: str | None
    municipality_oktmo: str | None
    audience: AudienceIn
    format: EventFormat
    place: str | None
    sessions: list[SessionPublic]
    hours: int
    capacity: int
    places_left: int
    waiting: int
    quotas: list[QuotaPublic]
    registration_opens: datetime
    registration_closes: datetime
    requires_approval: bool
    attendance_percent: int
    status: str
    version: int


EventPage = Page[EventPublic]


class RegisterRequest(Shape):
    person_ids: list[UUID] = Field(min_length=1, max_length=500)


class RegistrationResult(Shape):
    person_id: UUID
    status: str = Field(description="confirmed, pending (ждёт одобрения), waitlisted или refused")
    reason: str | None = Field(default=None, description="Код причины: full, quota_used, outside_audience, "
                                                          "window_closed, not_open_yet, event_cancelled, "
                                                          "unknown_person")
    message: str | None = Field(default=None, description="Причина по-русски")
    waiting_position: int | None = None


class RegistrationPublic(Shape):
    id: UUID
    person_id: UUID
    status: str
    municipality_oktmo: str | None
    organisation_id: UUID | None
    registered_at: datetime
    hours: int
    completed: bool
    certificate_issued_at: datetime | None = Field(default=None, description="Когда выдан действующий сертификат")


RegistrationPage = Page[RegistrationPublic]


class CancelOutcome(Shape):
    cancelled: bool
    promoted: list[UUID] = Field(description="Кто переведён из листа ожидания на освободившиеся места")


class AttendanceRequest(Shape):
    session_id: UUID
    person_ids: list[UUID] = Field(min_length=1, max_length=2000, description="Присутствовавшие")


class AttendanceOutcome(Shape):
    marked: list[UUID] = Field(description="Отмечены впервые")
    completed: list[UUID] = Field(description="Выполнили правило посещаемости этой отметкой")


class CheckIn(Shape):
    code: Annotated[str, StringConstraints(min_length=4, max_length=32)]
    person_id: UUID


class Completion(Shape):
    completed: list[UUID]


class PersonEvent(Shape):
    event_id: UUID
    title: str
    form: str
    level: str
    starts_at: datetime
    ends_at: datetime
    status: str
    event_status: str
    hours: int
    programme_hours: int
    completed: bool


NOTICES = 20  # a person's latest notices shown with their events


class Notice(Shape):
    id: int
    event_id: UUID
    kind: str = Field(description="changed (изменено), cancelled (отменено) или promoted (место из листа ожидания)")
    message: str
    created_at: datetime


class PersonEvents(Shape):
    person_id: UUID
    items: list[PersonEvent]
    hours: int = Field(description="Часы, зачтённые за выполненные мероприятия")
    notices: list[Notice] = Field(default=[],
                                  description=f"Уведомления об изменениях, последние {NOTICES} (новые первыми)")
