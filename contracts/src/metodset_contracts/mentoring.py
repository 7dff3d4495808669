"""Events of mentoring (topic `registry.mentoring.v1`): a mentor and their mentees in a pair or a group.

Identifiers, the form's code and dates only: a mentor and a mentee are person ids, never names. The outcome
goes as a code; its free text stays in the registry."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"  # a code of the reference catalogue mentoring_forms


class MentoringStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"  # the programme was carried out
    TERMINATED = "terminated"  # stopped early (the mentor or the mentee left, by agreement, ...)


STATUS_TITLES: dict[MentoringStatus, str] = {
    MentoringStatus.ACTIVE: "действует",
    MentoringStatus.COMPLETED: "завершено",
    MentoringStatus.TERMINATED: "прекращено досрочно",
}


class MentoringOutcome(StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"
    MENTEE_LEFT = "mentee_left"
    MENTOR_LEFT = "mentor_left"
    OTHER = "other"


OUTCOME_TITLES: dict[MentoringOutcome, str] = {
    MentoringOutcome.ACHIEVED: "цели программы наставничества достигнуты",
    MentoringOutcome.PARTLY_ACHIEVED: "цели достигнуты частично",
    MentoringOutcome.NOT_ACHIEVED: "цели не достигнуты",
    MentoringOutcome.MENTEE_LEFT: "наставляемый уволился или перешёл в другую организацию",
    MentoringOutcome.MENTOR_LEFT: "наставник уволился или не может продолжать",
    MentoringOutcome.OTHER: "иное",
}


class MentoringFacts(EventData):
    mentoring_id: UUID
    mentor_id: UUID = Field(description="Наставник (id работника)")
    mentee_ids: list[UUID] = Field(min_length=1, description="Наставляемые (id работников)")
    form: str = Field(pattern=CODE, description="Код формы наставничества (справочник mentoring_forms)")
    start_date: date
    organisation_id: UUID | None = Field(default=None, description="Организация, где ведётся наставничество")
    municipality_oktmo: str = Field(pattern=OKTMO)


class MentoringStarted(MentoringFacts):
    """Наставничество начато: наставник закреплён за наставляемыми."""


class MentoringEnded(MentoringFacts):
    """Наставничество завершено или прекращено: `end_date` — последний день."""

    end_date: date
    status: MentoringStatus = Field(description="completed или terminated")
    outcome: MentoringOutcome = Field(description="Итог (код; текст остаётся в реестре)")
