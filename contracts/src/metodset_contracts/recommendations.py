"""Events of monitoring's recommendations and support cases (topic `monitoring.recommendations.v1`): a rule raised
an addressed recommendation when an indicator value crossed its threshold, a methodist assigned it, it was closed
with evidence or cancelled; a support case of a low-result school (ШНОР) was opened or closed.

Identifiers, codes, dates, statuses and numbers only: the recommendation's text, the evidence and the case's
notes stay in the monitoring service; people travel as ids."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"


class RecommendationStatus(StrEnum):
    RAISED = "raised"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"


RECOMMENDATION_STATUS_TITLES: dict[RecommendationStatus, str] = {
    RecommendationStatus.RAISED: "сформирована",
    RecommendationStatus.ASSIGNED: "назначен исполнитель",
    RecommendationStatus.IN_PROGRESS: "выполняется",
    RecommendationStatus.CLOSED: "выполнена",
    RecommendationStatus.CANCELLED: "отменена",
}


class Addressee(StrEnum):
    """To whom a recommendation is addressed."""

    REGION = "region"  # the regional institute itself
    METHODICAL_SERVICE = "methodical_service"  # the municipality's methodical service
    ORGANISATION = "organisation"


ADDRESSEE_TITLES: dict[Addressee, str] = {
    Addressee.REGION: "региональный уровень",
    Addressee.METHODICAL_SERVICE: "муниципальная методическая служба",
    Addressee.ORGANISATION: "образовательная организация",
}


class CaseStatus(StrEnum):
    OPENED = "opened"
    ACTIVE = "active"
    CLOSED = "closed"


CASE_STATUS_TITLES: dict[CaseStatus, str] = {
    CaseStatus.OPENED: "открыто",
    CaseStatus.ACTIVE: "сопровождение идёт",
    CaseStatus.CLOSED: "закрыто",
}


class CaseOutcome(StrEnum):
    IMPROVED = "improved"
    NOT_IMPROVED = "not_improved"
    FLAG_CLEARED = "flag_cleared"
    ORGANISATION_CLOSED = "organisation_closed"


CASE_OUTCOME_TITLES: dict[CaseOutcome, str] = {
    CaseOutcome.IMPROVED: "результаты улучшились",
    CaseOutcome.NOT_IMPROVED: "результаты не улучшились",
    CaseOutcome.FLAG_CLEARED: "признак ШНОР снят",
    CaseOutcome.ORGANISATION_CLOSED: "организация закрыта",
}


class RecommendationFacts(EventData):
    recommendation_id: UUID
    rule: str = Field(description="Код правила")
    indicator: str = Field(description="Код показателя")
    period: str
    municipality_oktmo: str | None = Field(default=None, pattern=OKTMO, description="null — региональный уровень")
    organisation_id: UUID | None = None
    status: RecommendationStatus
    due_on: date


class RecommendationRaised(RecommendationFacts):
    """Правило сформировало адресную рекомендацию: значение показателя пересекло порог."""

    addressee: Addressee
    level: str = Field(description="region, municipality или organisation")
    value: float | None
    threshold: float
    raised_on: date


class RecommendationAssigned(RecommendationFacts):
    """Рекомендации назначен исполнитель (методист, id работника)."""

    assignee_id: UUID


class RecommendationUpdated(RecommendationFacts):
    """Рекомендация изменена: срок, состояние (в работе), возврат значения показателя."""

    value_returned_on: date | None = None


class RecommendationClosed(RecommendationFacts):
    """Рекомендация выполнена (закрыта с подтверждением)."""

    closed_on: date
    on_time: bool = Field(description="Закрыта не позже срока")


class RecommendationCancelled(RecommendationFacts):
    """Рекомендация отменена."""

    cancelled_on: date


class SupportCaseFacts(EventData):
    case_id: UUID
    organisation_id: UUID
    municipality_oktmo: str = Field(pattern=OKTMO)
    flag_id: UUID = Field(description="Признак ШНОР в реестре, по которому открыто сопровождение")
    status: CaseStatus


class SupportCaseOpened(SupportCaseFacts):
    """Открыто сопровождение школы с низкими результатами (ШНОР)."""

    opened_on: date


class SupportCaseClosed(SupportCaseFacts):
    """Сопровождение школы закрыто с итогом."""

    closed_on: date
    outcome: CaseOutcome
