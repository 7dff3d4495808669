"""Request and response shapes of recommendations and their rules (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from metodset_contracts.recommendations import Addressee, RecommendationStatus
from metodset_kit.pagination import Page

from ..domain.recommendations import Direction
from ..domain.values import Level
from ..schemas import Code, Link, Shape, Text


class RuleIn(Shape):
    indicator: Code = Field(description="Код показателя")
    level: Level
    threshold: float = Field(allow_inf_nan=False)
    direction: Direction = Field(description="below — рекомендация при падении ниже порога, above — выше")
    addressee: Addressee
    template: Text(2000) = Field(description="Текст рекомендации; подставляются {value}, {threshold}, {period}")
    due_days: int = Field(ge=1, le=365, description="Срок исполнения, дней от формирования")
    active: bool = True


class RulePublic(RuleIn):
    code: str
    direction_title: str
    addressee_title: str


class RecommendationEdit(Shape):
    text: Text(4000) | None = None
    due_on: date | None = Field(default=None, description="Новый срок исполнения")
    in_progress: bool | None = Field(default=None, description="true — исполнитель взял рекомендацию в работу")


class RecommendationAssign(Shape):
    assignee_id: UUID = Field(description="Исполнитель (id работника, методиста)")


class RecommendationClose(Shape):
    evidence_text: Text(4000) = Field(description="Что сделано (подтверждение исполнения)")
    evidence_link: Link | None = Field(default=None, description="Ссылка на документ-подтверждение (http/https)")


class RecommendationCancel(Shape):
    reason: Text(2000)


class RecommendationPublic(Shape):
    id: UUID
    rule: str
    indicator: str
    period: str
    level: Level
    subject: str
    municipality_oktmo: str | None
    organisation_id: UUID | None
    addressee: Addressee
    addressee_title: str
    text: str
    value: float | None = Field(description="Значение показателя, при котором рекомендация сформирована")
    current_value: float | None = Field(description="Текущее значение показателя по тому же адресату и периоду")
    threshold: float
    status: RecommendationStatus
    status_title: str
    raised_on: date
    due_on: date
    overdue: bool
    closed_on_time: bool
    assignee_id: UUID | None
    closed_on: date | None
    evidence_text: str | None
    evidence_link: str | None
    cancel_reason: str | None
    value_returned_on: date | None = Field(description="Когда значение показателя вернулось за порог («решено по "
                                                        "значению»); рекомендация остаётся открытой до закрытия")


class RecommendationPage(Page[RecommendationPublic]):
    """A page of recommendations in the order of their id."""


class SharesPublic(Shape):
    scope: str = Field(description="ОКТМО муниципалитета или region")
    total: int = Field(description="Рекомендаций, кроме отменённых")
    open: int
    overdue: int
    closed: int
    closed_on_time: int
    overdue_share: float | None = Field(description="Доля просроченных среди неотменённых")
    closed_on_time_share: float | None = Field(description="Доля закрытых в срок среди закрытых")
