"""Events of the bank of practices (topic `events.practices.v1`): a practice identified, its status changed,
disseminated at a methodical event.

Identifiers, codes and dates only: authors are person ids, never names; the title and description stay in
the events service."""
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"


class PracticeLevel(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"


LEVEL_TITLES: dict[PracticeLevel, str] = {
    PracticeLevel.SCHOOL: "уровень образовательной организации",
    PracticeLevel.MUNICIPAL: "муниципальный уровень",
    PracticeLevel.REGIONAL: "региональный уровень",
}


class PracticeStatus(StrEnum):
    IDENTIFIED = "identified"
    STUDIED = "studied"
    SUMMARISED = "summarised"
    DISSEMINATED = "disseminated"


STATUS_TITLES: dict[PracticeStatus, str] = {
    PracticeStatus.IDENTIFIED: "выявлена",
    PracticeStatus.STUDIED: "изучена",
    PracticeStatus.SUMMARISED: "обобщена",
    PracticeStatus.DISSEMINATED: "распространена",
}


class PracticeFacts(EventData):
    practice_id: UUID
    organisation_id: UUID = Field(description="Организация, где практика сложилась")
    municipality_oktmo: str = Field(pattern=OKTMO)
    subject: str | None = Field(default=None, pattern=CODE, description="Код предмета (справочник subjects)")
    level: PracticeLevel
    status: PracticeStatus


class PracticeIdentified(PracticeFacts):
    """Практика выявлена и внесена в банк."""

    author_ids: list[UUID] = Field(description="Авторы (id работников)")


class PracticeStatusChanged(PracticeFacts):
    """Практика перешла в следующее состояние: изучена, обобщена, распространена."""

    previous_status: PracticeStatus


class PracticeDisseminated(PracticeFacts):
    """Практика представлена на методическом мероприятии."""

    event_id: UUID = Field(description="Мероприятие, где практика распространена")
