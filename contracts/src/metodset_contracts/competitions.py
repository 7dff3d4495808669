"""Events of competitions of staff and students (topic `events.competitions.v1`): an entry accepted to a
stage, its result published, advanced to the next stage.

Identifiers, codes, levels, places and scores only: staff entrants are person ids; students are never named
nor identified here (their names stay in the events service, read only within scope); titles of works and
team names stay in the service too."""
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"


class CompetitionKind(StrEnum):
    STAFF = "staff"  # professional skill of teachers and other staff
    STUDENT = "student"


class CompetitionFormat(StrEnum):
    PROFESSIONAL_SKILL = "professional_skill"
    COMPETITION = "competition"
    FESTIVAL = "festival"
    CONFERENCE = "conference"


FORMAT_TITLES: dict[CompetitionFormat, str] = {
    CompetitionFormat.PROFESSIONAL_SKILL: "конкурс профессионального мастерства",
    CompetitionFormat.COMPETITION: "конкурс",
    CompetitionFormat.FESTIVAL: "фестиваль",
    CompetitionFormat.CONFERENCE: "конференция",
}


class StageLevel(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    FEDERAL = "federal"


LEVEL_TITLES: dict[StageLevel, str] = {
    StageLevel.SCHOOL: "школьный этап",
    StageLevel.MUNICIPAL: "муниципальный этап",
    StageLevel.REGIONAL: "региональный этап",
    StageLevel.FEDERAL: "федеральный этап",
}


class ResultStatus(StrEnum):
    WINNER = "winner"
    PRIZE_WINNER = "prize_winner"
    LAUREATE = "laureate"
    PARTICIPANT = "participant"


STATUS_TITLES: dict[ResultStatus, str] = {
    ResultStatus.WINNER: "победитель",
    ResultStatus.PRIZE_WINNER: "призёр",
    ResultStatus.LAUREATE: "лауреат",
    ResultStatus.PARTICIPANT: "участник",
}


class EntryFacts(EventData):
    entry_id: UUID
    competition_id: UUID
    stage_id: UUID
    nomination_id: UUID
    kind: CompetitionKind
    level: StageLevel
    organisation_id: UUID = Field(description="Организация, от которой подана заявка")
    municipality_oktmo: str = Field(pattern=OKTMO)
    person_ids: list[UUID] = Field(description="Участники-работники (id); у обучающихся — пусто")
    member_count: int = Field(ge=1, description="Участников в заявке (команда — больше одного)")


class CompetitionEntryAccepted(EntryFacts):
    """Заявка принята на этап конкурса."""


class CompetitionResultPublished(EntryFacts):
    """Итоги этапа опубликованы: место, статус и балл заявки."""

    place: int = Field(ge=1)
    status: ResultStatus
    score: Decimal = Field(description="Итоговый балл (среднее или сумма оценок членов жюри)")


class CompetitionEntryAdvanced(EntryFacts):
    """Участник выдвинут на следующий этап: заявка следующего этапа создана из заявки предыдущего."""

    from_entry_id: UUID
    from_stage_id: UUID
    from_status: ResultStatus
