"""Events of methodical events (topic `events.methodical.v1`): scheduled, changed, cancelled, registrations,
attendance and completion with hours.

Identifiers, codes, dates and hours only — a participant is a person id, never a name or a contact. The
title of an event is not personal data: it lets the registry record a completed programme as a course."""
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"


class EventLevel(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    FEDERAL = "federal"


LEVEL_TITLES: dict[EventLevel, str] = {
    EventLevel.SCHOOL: "школьный", EventLevel.MUNICIPAL: "муниципальный",
    EventLevel.REGIONAL: "региональный", EventLevel.FEDERAL: "федеральный",
}


class EventFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


FORMAT_TITLES: dict[EventFormat, str] = {
    EventFormat.IN_PERSON: "очно", EventFormat.ONLINE: "дистанционно", EventFormat.HYBRID: "смешанный формат",
}


class SessionFacts(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)

    session_id: UUID
    starts_at: datetime
    ends_at: datetime
    hours: int = Field(ge=1, le=100, description="Академические часы занятия")


class EventFacts(EventData):
    """What the scheduling and every change say: the event as it stands after it."""

    event_id: UUID
    version: int = Field(ge=1, description="1 при планировании, +1 при каждом изменении и отмене")
    form: str = Field(description="Код формы (справочник event_forms)")
    title: str = Field(max_length=500, description="Название мероприятия (не персональные данные)")
    level: EventLevel
    organiser_organisation_id: UUID | None = None
    organiser_body_id: UUID | None = None
    municipality_oktmo: str | None = Field(default=None, pattern=OKTMO, description="Муниципалитет организатора")
    format: EventFormat
    capacity: int = Field(ge=1)
    sessions: list[SessionFacts]
    hours: int = Field(ge=1, description="Часы программы: сумма часов занятий")


class EventScheduled(EventFacts):
    """Мероприятие запланировано."""


class EventChanged(EventFacts):
    """Мероприятие изменено: новые сведения и названия изменённых полей."""

    changed: list[str]


class EventCancelled(EventFacts):
    """Мероприятие отменено."""


class RegistrationFacts(EventData):
    registration_id: UUID
    event_id: UUID
    person_id: UUID
    municipality_oktmo: str | None = Field(default=None, pattern=OKTMO, description="Муниципалитет по месту работы")
    organisation_id: UUID | None = Field(default=None, description="Организация по месту работы")


class RegistrationConfirmed(RegistrationFacts):
    """Участие подтверждено (место есть)."""


class RegistrationWaitlisted(RegistrationFacts):
    """Мест нет: участник в листе ожидания под номером `position`."""

    position: int = Field(ge=1, description="Место в листе ожидания на момент записи")


class RegistrationCancelled(RegistrationFacts):
    """Регистрация отменена (участником, организатором или вместе с мероприятием)."""


class SessionAttended(EventData):
    """Участник присутствовал на занятии."""

    event_id: UUID
    session_id: UUID
    person_id: UUID
    hours: int = Field(ge=1)


class CompletedWithHours(EventData):
    """Участник выполнил правило посещаемости: зачтены часы."""

    event_id: UUID
    person_id: UUID
    form: str
    title: str = Field(max_length=500, description="Название программы (не персональные данные)")
    hours: int = Field(ge=1, description="Зачтённые часы (посещённые занятия)")
    programme_hours: int = Field(ge=1, description="Часы программы")
    start_date: date
    end_date: date
    organiser_organisation_id: UUID | None = None
    organiser_body_id: UUID | None = None
