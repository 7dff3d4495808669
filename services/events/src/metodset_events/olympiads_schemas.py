"""Request and response shapes of the olympiad (camelCase JSON). Lists of results and admissions carry the
participant code, organisation, grade, score and status — what public ratings may show — never names."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from metodset_contracts.olympiads import PARTICIPANT_CODE, AdmissionReason, OlympiadStageLevel, OlympiadStatus
from metodset_kit.pagination import Page

from .domain.olympiad_rule import Ties
from .practices_schemas import Shape, text

Score = Annotated[Decimal, Field(ge=0, le=10_000, max_digits=8, decimal_places=2)]
Grade = Annotated[int, Field(ge=1, le=11)]
Share = Annotated[Decimal, Field(ge=0, le=1)]
Code = Annotated[str, Field(pattern=PARTICIPANT_CODE)]


class GradeIn(Shape):
    grade: Grade
    max_score: Score


class RuleIn(Shape):
    """Правило победителей и призёров; не указанное берётся из справочника (квота 45 %, половина максимума)."""

    quota: Share | None = Field(default=None, description="Доля участников, которые могут стать победителями "
                                                          "и призёрами")
    winner_min_share: Share | None = Field(default=None, description="Доля максимума, начиная с которой "
                                                                     "лучший становится победителем")
    prize_min_share: Share | None = None
    ties: Ties | None = Field(default=None, description="Равные баллы на границе квоты: include — все призёры, "
                                                        "exclude — никто из них")


class StageCreate(Shape):
    year: int = Field(ge=2000, le=2100, description="Учебный год по году начала (2026 — 2026/27)")
    subject: str = Field(max_length=64, description="Код предмета (справочник subjects, olympiad: true)")
    stage: OlympiadStageLevel
    municipality_oktmo: str | None = Field(default=None, pattern=r"^[0-9]{8}([0-9]{3})?$")
    grades: list[GradeIn] = Field(min_length=1, max_length=11)
    starts_on: date | None = None
    ends_on: date | None = None
    venue: text(500, 0) = ""
    rule: RuleIn | None = None


class GradePublic(Shape):
    grade: int
    max_score: Decimal
    passing_score: Decimal | None


class StagePublic(Shape):
    id: UUID
    year: int
    subject: str
    subject_title: str | None
    stage: OlympiadStageLevel
    stage_title: str
    municipality_oktmo: str | None
    grades: list[GradePublic]
    rule: dict
    starts_on: date | None
    ends_on: date | None
    venue: str
    protocol_version: int = Field(description="Последняя опубликованная версия протокола; 0 — не публиковался")
    changed_since_publication: bool
    version: int


class StagePage(Page[StagePublic]):
    pass


class PassingScoreSet(Shape):
    score: Score


class ResultIn(Shape):
    participant_code: Code
    last_name: text(100)
    first_name: text(100)
    patronymic: text(100, 0) = ""
    organisation_inn: str = Field(pattern=r"^[0-9]{10}$")
    study_grade: Grade
    grade: Grade | None = Field(default=None, description="Класс участия; пусто — класс обучения")
    score: Score | None = None
    tasks: list[Score] = Field(default_factory=list, max_length=10, description="Баллы за задания по порядку")
    ranking_group: str | None = Field(default=None, max_length=64)


class ResultsIn(Shape):
    results: list[ResultIn] = Field(min_length=1, max_length=5000)


class WriteOutcome(Shape):
    created: int
    updated: int
    unchanged: int


class ResultPublic(Shape):
    participant_code: str
    organisation_id: UUID
    organisation_name: str | None
    grade: int
    ranking_group: str
    score: Decimal | None
    status: OlympiadStatus
    status_title: str


class ResultPage(Page[ResultPublic]):
    pass


class AppealIn(Shape):
    participant_code: Code
    new_score: Score
    reason: text(2000)


class AppealPublic(Shape):
    id: int
    participant_code: str
    grade: int
    previous_score: Decimal | None
    score: Decimal
    previous_status: OlympiadStatus
    status: OlympiadStatus
    reason: str
    after_version: int = Field(description="Версия протокола, опубликованная на момент решения (0 — до публикации)")


class ProtocolPublic(Shape):
    version: int
    participants: int


class AdmissionPublic(Shape):
    participant_code: str
    organisation_id: UUID
    grade: int
    score: Decimal | None
    reason: AdmissionReason
    reason_title: str


class AdmissionPage(Page[AdmissionPublic]):
    pass


class AdmitOutcome(Shape):
    added: int = Field(description="Внесено участников этапа")
    admitted: int = Field(description="В списках допуска предыдущего этапа на классы этого этапа")


class ParticipantPublic(Shape):
    """Участник с ФИО — только в пределах своей области видимости, чтение записывается в журнал."""

    participant_code: str
    last_name: str
    first_name: str
    patronymic: str
    organisation_id: UUID
    study_grade: int
    grade: int
    score: Decimal | None
    tasks: list[Decimal]
    status: OlympiadStatus
    appeals: list[AppealPublic]
