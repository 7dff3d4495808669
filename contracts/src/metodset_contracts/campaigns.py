"""Events of data-collection campaigns (topic `monitoring.campaigns.v1`): a campaign opened, a respondent's form
submitted, approved (by the municipality, then finally by the region) or returned, a reminder due.

Identifiers, codes, dates and statuses only: the values entered, the return comment and anything about persons
stay in the monitoring service. A respondent is an organisation (organisation_id set) or a municipality
(organisation_id null)."""
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED_BY_MUNICIPALITY = "approved_by_municipality"
    APPROVED = "approved"
    RETURNED = "returned"


STATUS_TITLES: dict[SubmissionStatus, str] = {
    SubmissionStatus.DRAFT: "черновик",
    SubmissionStatus.SUBMITTED: "представлена",
    SubmissionStatus.APPROVED_BY_MUNICIPALITY: "согласована муниципалитетом",
    SubmissionStatus.APPROVED: "принята регионом",
    SubmissionStatus.RETURNED: "возвращена на доработку",
}


class ApprovalLevel(StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"


class ReminderReason(StrEnum):
    DEADLINE_APPROACHING = "deadline_approaching"
    OVERDUE = "overdue"


REMINDER_TITLES: dict[ReminderReason, str] = {
    ReminderReason.DEADLINE_APPROACHING: "приближается срок представления",
    ReminderReason.OVERDUE: "срок представления прошёл",
}


class CampaignOpened(EventData):
    """Кампания сбора данных открыта: форма назначена респондентам со сроком."""

    campaign_id: UUID
    code: str = Field(pattern=CODE)
    form_code: str = Field(pattern=CODE)
    period: str = Field(description="Период, например 2025/2026")
    deadline: date
    owner_oktmo: str | None = Field(default=None, pattern=OKTMO,
                                    description="Муниципалитет-организатор; null — региональная кампания")
    respondents: int = Field(ge=0, description="Сколько респондентов назначено")


class SubmissionFacts(EventData):
    campaign_id: UUID
    campaign_code: str = Field(pattern=CODE)
    submission_id: UUID
    organisation_id: UUID | None = Field(default=None, description="Организация-респондент; null — муниципалитет")
    municipality_oktmo: str = Field(pattern=OKTMO)
    status: SubmissionStatus
    version: int = Field(ge=1, description="Порядок изменений формы респондента")


class FormSubmitted(SubmissionFacts):
    """Респондент представил форму."""

    submitted_at: datetime


class SubmissionApproved(SubmissionFacts):
    """Форма согласована муниципалитетом или принята регионом (окончательно)."""

    level: ApprovalLevel
    approved_at: datetime


class SubmissionReturned(SubmissionFacts):
    """Форма возвращена респонденту на доработку (комментарий остаётся в сервисе мониторинга)."""

    level: ApprovalLevel
    returned_at: datetime


class ReminderDue(SubmissionFacts):
    """Респонденту пора напомнить о форме: срок близко или прошёл, а форма не представлена."""

    reason: ReminderReason
    deadline: date
    day: date = Field(description="День напоминания (одно на респондента в день)")
