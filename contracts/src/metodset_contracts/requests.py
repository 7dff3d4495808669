"""Events of support requests (topic `events.requests.v1`): an organisation declared a problem, the
municipal service assigned a methodist, a consultation was held, the request closed.

Identifiers, codes, times and counts only: the topic and what is asked, consultation notes and the outcome's
text stay in the events service; the methodist travels as a person id."""
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"  # a code of the reference catalogue subjects


class RequestStatus(StrEnum):
    DECLARED = "declared"
    ASSIGNED = "assigned"
    CLOSED = "closed"


STATUS_TITLES: dict[RequestStatus, str] = {
    RequestStatus.DECLARED: "заявлен",
    RequestStatus.ASSIGNED: "назначен методист",
    RequestStatus.CLOSED: "закрыт",
}


class ConsultationForm(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    PARENTS = "parents"


FORM_TITLES: dict[ConsultationForm, str] = {
    ConsultationForm.INDIVIDUAL: "индивидуальная",
    ConsultationForm.GROUP: "групповая",
    ConsultationForm.PARENTS: "для родителей",
}


class RequestOutcome(StrEnum):
    RESOLVED = "resolved"
    PARTLY_RESOLVED = "partly_resolved"
    NOT_RESOLVED = "not_resolved"
    WITHDRAWN = "withdrawn"


OUTCOME_TITLES: dict[RequestOutcome, str] = {
    RequestOutcome.RESOLVED: "проблема решена",
    RequestOutcome.PARTLY_RESOLVED: "проблема решена частично",
    RequestOutcome.NOT_RESOLVED: "проблема не решена",
    RequestOutcome.WITHDRAWN: "запрос отозван",
}


class RequestFacts(EventData):
    request_id: UUID
    organisation_id: UUID = Field(description="Организация, заявившая проблему")
    municipality_oktmo: str = Field(pattern=OKTMO)


class RequestDeclared(RequestFacts):
    """Организация заявила проблему (запрос на методическое сопровождение)."""

    subject: str | None = Field(default=None, pattern=CODE, description="Код предмета (справочник subjects)")
    declared_at: datetime


class RequestAssigned(RequestFacts):
    """Муниципальная методическая служба назначила методиста."""

    methodist_id: UUID = Field(description="Методист (id работника)")
    assigned_at: datetime


class RequestConsulted(RequestFacts):
    """По запросу проведена консультация."""

    consultation_id: UUID
    form: ConsultationForm
    held_on: date
    minutes: int = Field(ge=1, description="Продолжительность, минут")
    participants: int = Field(ge=1)


class RequestClosed(RequestFacts):
    """Запрос закрыт с итогом и оценкой заявителя."""

    outcome: RequestOutcome
    rating: int | None = Field(default=None, ge=1, le=5, description="Оценка заявителя, 1–5")
    closed_at: datetime
