"""Request and response shapes of competitions (camelCase JSON)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from metodset_contracts.competitions import CompetitionFormat, CompetitionKind, ResultStatus, StageLevel
from metodset_kit.pagination import Page

from .domain.competitions import Aggregation
from .practices_schemas import Code, Shape, text

Oktmo = Annotated[str, StringConstraints(pattern=r"^\d{8}(\d{3})?$")]
Points = Annotated[Decimal, Field(ge=0, le=10000, max_digits=10, decimal_places=2)]


class TierShape(Shape):
    places: int | None = Field(default=None, ge=0, le=1000, description="Число мест")
    share: Decimal | None = Field(default=None, ge=0, le=1, description="Доля участников номинации (0…1)")


class AwardRuleShape(Shape):
    winners: TierShape = TierShape(places=1)
    prize_winners: TierShape = TierShape(places=2)
    laureates: TierShape = TierShape(places=0)
    advance: list[ResultStatus] = Field(default_factory=lambda: [ResultStatus.WINNER], max_length=3,
                                        description="Кого выдвигают на следующий этап")


class CompetitionCreate(Shape):
    title: text(500)
    kind: CompetitionKind
    format: CompetitionFormat
    year: int = Field(ge=2000, le=2100, description="Год проведения")
    municipality_oktmo: Oktmo | None = Field(default=None, description="Муниципальный конкурс; без него — региональный")
    aggregation: Aggregation = Field(default=Aggregation.MEAN, description="Итоговый балл: среднее (mean) или "
                                                                           "сумма (sum) баллов членов жюри")
    award_rule: AwardRuleShape = AwardRuleShape()


class CriterionShape(Shape):
    code: Code
    title: text(300)
    max_points: Points = Field(description="Максимальный балл")


class NominationCreate(Shape):
    title: text(300)
    criteria: list[CriterionShape] = Field(max_length=50, description="Критерии оценивания (рубрика номинации)")


class StageCreate(Shape):
    level: StageLevel
    municipality_oktmo: Oktmo | None = Field(default=None, description="Для школьного и муниципального этапа")
    starts_on: date | None = None
    ends_on: date | None = None


class JurorAdd(Shape):
    person_id: UUID = Field(description="Работник из реестра")


class MemberShape(Shape):
    """A staff entrant (personId) or a student (name, grade; organisation — the entry's unless told)."""

    person_id: UUID | None = None
    last_name: text(100) | None = None
    first_name: text(100) | None = None
    middle_name: text(100) | None = None
    grade: int | None = Field(default=None, ge=1, le=11)
    organisation_id: UUID | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        student = any(v is not None for v in (self.last_name, self.first_name, self.middle_name, self.grade))
        if (self.person_id is None) == (not student):
            raise ValueError("Участник — работник (personId) или обучающийся (lastName, firstName, grade), "
                             "одно из двух")
        if student and (self.last_name is None or self.first_name is None):
            raise ValueError("У обучающегося укажите фамилию и имя")
        return self


class EntryCreate(Shape):
    nomination_id: UUID
    organisation_id: UUID = Field(description="Организация, от которой подана заявка")
    title: text(500, 0) = Field(default="", description="Название работы")
    team_name: text(300) | None = Field(default=None, description="Название команды")
    members: list[MemberShape] = Field(min_length=1, max_length=30)


class ScoresSet(Shape):
    juror_id: UUID = Field(description="Член жюри (id работника)")
    scores: dict[Code, Points] = Field(description="Баллы по критериям номинации: код → балл")


class AdvanceRequest(Shape):
    to_stage_id: UUID = Field(description="Следующий этап того же конкурса")


class CriterionPublic(Shape):
    code: str
    title: str
    max_points: Decimal


class NominationPublic(Shape):
    id: UUID
    title: str
    criteria: list[CriterionPublic]


class StagePublic(Shape):
    id: UUID
    competition_id: UUID
    level: StageLevel
    level_title: str
    municipality_oktmo: str | None
    starts_on: date | None
    ends_on: date | None
    status: str = Field(description="open — идёт приём и оценивание, published — итоги опубликованы")
    juror_ids: list[UUID]
    published_at: datetime | None


class CompetitionPublic(Shape):
    id: UUID
    title: str
    kind: CompetitionKind
    format: CompetitionFormat
    format_title: str
    year: int
    municipality_oktmo: str | None
    aggregation: Aggregation
    award_rule: AwardRuleShape
    stages: list[StagePublic]
    nominations: list[NominationPublic]
    created_at: datetime


class CompetitionPage(Page[CompetitionPublic]):
    pass


class MemberPublic(Shape):
    organisation_id: UUID
    person_id: UUID | None
    last_name: str | None
    first_name: str | None
    middle_name: str | None
    grade: int | None


class EntryPublic(Shape):
    id: UUID
    competition_id: UUID
    stage_id: UUID
    nomination_id: UUID
    organisation_id: UUID
    municipality_oktmo: str
    title: str
    team_name: str | None
    members: list[MemberPublic]
    from_entry_id: UUID | None
    score: Decimal | None
    place: int | None
    status: ResultStatus | None
    status_title: str | None
    submitted_at: datetime


class EntryPage(Page[EntryPublic]):
    pass


class ResultPublic(Shape):
    """A published result: no names (a staff entrant's person id only)."""

    entry_id: UUID
    nomination_id: UUID
    organisation_id: UUID
    person_ids: list[UUID]
    score: Decimal
    place: int
    status: ResultStatus
    status_title: str


class SheetPublic(Shape):
    entry_id: UUID
    juror_id: UUID
    scores: dict[str, Decimal]
    total: Decimal


class DiplomaName(Shape):
    person_id: UUID
    full_name: text(300)


class DiplomasIssue(Shape):
    names: list[DiplomaName] = Field(default_factory=list, max_length=1000,
                                     description="ФИО участников-работников (обучающиеся — из заявки)")


class DiplomaAnswer(Shape):
    entry_id: UUID
    holder: str = Field(description="id работника или student-N (N — место обучающегося в заявке)")
    status: str = Field(description="ISSUED, ALREADY_ISSUED, REFUSED")
    code: str | None = Field(default=None, description="Код проверки (показывается один раз, при выдаче)")
    reason: str | None = None
