"""Request and response shapes of annual work plans and support requests (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from metodset_contracts.plans import MONTH, ItemStatus

from .schemas import Code, Shape, Text

MonthText = Annotated[str, StringConstraints(pattern=MONTH)]
Year = Annotated[int, Field(ge=2000, le=2100, description="Учебный год по его началу: 2026 — 2026/2027")]


class PlanCreate(Shape):
    organisation_id: UUID = Field(description="Организация: методическая служба, школа, институт")
    year: Year


class ItemCreate(Shape):
    direction: Code = Field(description="Код направления (справочник plan_directions)")
    months: list[MonthText] = Field(min_length=1, max_length=12, description="Месяцы, ГГГГ-ММ")
    title: Text(1000)
    responsible_id: UUID | None = Field(default=None, description="Ответственный (id работника)")
    expected_result: Text(2000) | None = None
    event_ids: list[UUID] = Field(default_factory=list, max_length=50,
                                  description="Связанные методические мероприятия")


class ItemUpdate(Shape):
    """Only the fields given change."""

    direction: Code | None = None
    months: list[MonthText] | None = Field(default=None, min_length=1, max_length=12)
    title: Text(1000) | None = None
    responsible_id: UUID | None = None
    expected_result: Text(2000) | None = None
    event_ids: list[UUID] | None = Field(default=None, max_length=50)


class ItemStatusChange(Shape):
    status: ItemStatus = Field(description="planned, done, moved (с movedTo) или cancelled")
    moved_to: MonthText | None = Field(default=None, description="Месяц переноса, ГГГГ-ММ")
    note: Text(1000) | None = None


class ItemPublic(Shape):
    id: UUID
    position: int
    direction: str
    direction_title: str
    months: list[str]
    title: str
    responsible_id: UUID | None
    expected_result: str | None
    event_ids: list[UUID]
    status: ItemStatus = Field(description="Состояние на сегодня: overdue вычисляется")
    status_title: str
    moved_to: str | None
    note: str | None


class TallyPublic(Shape):
    direction: str | None = Field(description="Код направления; null — по плану в целом")
    direction_title: str
    total: int = Field(description="Всего пунктов, включая отменённые")
    counted: int = Field(description="Учитываемых пунктов (без отменённых) — знаменатель доли")
    done: int
    moved: int = Field(description="Перенесены, срок ещё не наступил")
    overdue: int
    cancelled: int
    pending: int = Field(description="Запланированы, срок ещё не наступил")
    share: float | None = Field(description="Доля выполненных: done / counted; null — учитывать нечего")


class FulfilmentPublic(Shape):
    directions: list[TallyPublic]
    overall: TallyPublic
    as_of: date


class PlanPublic(Shape):
    id: UUID
    organisation_id: UUID
    organisation_name: str | None
    municipality_oktmo: str
    year: int
    academic_year: str
    approved_on: date | None
    items: list[ItemPublic]
    fulfilment: FulfilmentPublic
