"""Events of the All-Russian school olympiad (topic `events.olympiads.v1`): a stage opened, a protocol published,
an appeal resolved, a participant admitted to the next stage.

Identifiers, codes and numbers only: a participant travels as the region's participant code, never with a
name, birth date or class letter — the protocols with names stay in the events service."""
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"
PARTICIPANT_CODE = r"^[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё/_.-]{0,39}$"


class OlympiadStageLevel(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    FINAL = "final"


STAGE_TITLES: dict[OlympiadStageLevel, str] = {
    OlympiadStageLevel.SCHOOL: "школьный этап",
    OlympiadStageLevel.MUNICIPAL: "муниципальный этап",
    OlympiadStageLevel.REGIONAL: "региональный этап",
    OlympiadStageLevel.FINAL: "заключительный этап",
}


class OlympiadStatus(StrEnum):
    WINNER = "winner"
    PRIZE_WINNER = "prize_winner"
    PARTICIPANT = "participant"


STATUS_TITLES: dict[OlympiadStatus, str] = {
    OlympiadStatus.WINNER: "победитель",
    OlympiadStatus.PRIZE_WINNER: "призёр",
    OlympiadStatus.PARTICIPANT: "участник",
}


class AdmissionReason(StrEnum):
    PASSING_SCORE = "passing_score"
    LAST_YEAR_STATUS = "last_year_status"


REASON_TITLES: dict[AdmissionReason, str] = {
    AdmissionReason.PASSING_SCORE: "набрал проходной балл своего класса участия",
    AdmissionReason.LAST_YEAR_STATUS: "победитель или призёр этого этапа прошлого учебного года, продолжает обучение",
}


class OlympiadStageFacts(EventData):
    stage_id: UUID
    year: int = Field(ge=2000, le=2100, description="Учебный год по году начала (2026 — 2026/27)")
    subject: str = Field(pattern=CODE, description="Код предмета (справочник subjects)")
    stage: OlympiadStageLevel
    municipality_oktmo: str | None = Field(default=None, pattern=OKTMO,
                                           description="Муниципалитет школьного и муниципального этапов")


class OlympiadStageOpened(OlympiadStageFacts):
    """Этап олимпиады открыт: классы участия и максимальные баллы."""

    grades: list[int] = Field(description="Классы участия")


class OlympiadOrganisationTally(EventData):
    """Итоги протокола по одной организации: числа, без участников."""

    organisation_id: UUID
    municipality_oktmo: str = Field(pattern=OKTMO)
    participants: int = Field(ge=0)
    winners: int = Field(ge=0)
    prize_winners: int = Field(ge=0)


class OlympiadProtocolPublished(OlympiadStageFacts):
    """Протокол этапа опубликован (версия зафиксирована): число участников, победителей и призёров."""

    protocol_version: int = Field(ge=1)
    participants: int = Field(ge=0)
    winners: int = Field(ge=0)
    prize_winners: int = Field(ge=0)
    organisations: list[OlympiadOrganisationTally] = Field(
        default_factory=list, description="Те же числа по организациям участников (пусто в ранних версиях события)")


class OlympiadAppealResolved(OlympiadStageFacts):
    """Апелляция рассмотрена: балл участника изменён или оставлен, статус пересчитан."""

    participant_code: str = Field(pattern=PARTICIPANT_CODE, description="Код участника (не ФИО)")
    grade: int = Field(ge=1, le=11, description="Класс участия")
    previous_score: float | None = None
    score: float = Field(ge=0)
    status: OlympiadStatus


class OlympiadAdmitted(OlympiadStageFacts):
    """Участник допущен к следующему этапу (stage — этап, к которому допущен) с причиной."""

    participant_code: str = Field(pattern=PARTICIPANT_CODE, description="Код участника (не ФИО)")
    from_stage_id: UUID = Field(description="Этап, по итогам которого составлен список")
    grade: int = Field(ge=1, le=11, description="Класс участия")
    score: float | None = Field(default=None, description="Балл на предыдущем этапе (для допуска по баллу)")
    reason: AdmissionReason
