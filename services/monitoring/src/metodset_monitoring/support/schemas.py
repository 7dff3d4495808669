"""Request and response shapes of support cases (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from metodset_contracts.recommendations import CaseOutcome, CaseStatus
from metodset_kit.pagination import Page

from ..domain.support_cases import ItemStatus, VisitKind
from ..recommendations.schemas import RecommendationPublic
from ..schemas import Shape, Text


class CuratorSet(Shape):
    curator_id: UUID = Field(description="Куратор сопровождения (id работника, методиста)")


class CaseClose(Shape):
    outcome: CaseOutcome = Field(description="improved, not_improved или organisation_closed")
    outcome_text: Text(4000) | None = None


class PlanItemCreate(Shape):
    title: Text(1000)
    starts_on: date | None = None
    due_on: date


class PlanItemUpdate(Shape):
    title: Text(1000) | None = None
    starts_on: date | None = None
    due_on: date | None = None
    status: ItemStatus | None = None
    notes: Text(4000) | None = None


class VisitCreate(Shape):
    visited_on: date
    purpose: Text(1000) = Field(description="Цель выезда")
    methodist_id: UUID | None = Field(default=None, description="Методист (id работника)")
    notes: Text(4000) | None = None


class PlanItemPublic(Shape):
    id: UUID
    title: str
    starts_on: date | None
    due_on: date
    status: ItemStatus
    status_title: str
    done_on: date | None
    notes: str | None
    overdue: bool


class TimelineEntryPublic(Shape):
    kind: VisitKind = Field(description="visit — выезд (записан в мониторинге), consultation — консультация по "
                                        "запросу школы (из сервиса мероприятий)")
    on: date
    id: UUID
    methodist_id: UUID | None
    request_id: UUID | None
    minutes: int | None
    purpose: str | None = Field(description="Цель выезда (для консультаций — null: их содержание в сервисе "
                                            "мероприятий)")
    notes: str | None


class ResultPublic(Shape):
    code: str
    period: str
    value: float | None


class CaseSummary(Shape):
    id: UUID
    flag_id: UUID
    organisation_id: UUID
    municipality_oktmo: str
    opened_on: date
    status: CaseStatus
    status_title: str
    curator_id: UUID | None
    closed_on: date | None
    outcome: CaseOutcome | None
    outcome_title: str | None
    outcome_text: str | None
    flag_cleared_on: date | None


class CasePublic(CaseSummary):
    plan: list[PlanItemPublic]
    visits: list[TimelineEntryPublic]
    recommendations: list[RecommendationPublic]
    results: list[ResultPublic]


class CasePage(Page[CaseSummary]):
    """A page of support cases in the order of their id."""
