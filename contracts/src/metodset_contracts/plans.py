"""Events of annual work plans (topic `events.plans.v1`): a plan of an organisation for an academic year
approved, a plan item's status changed.

Identifiers, codes, months and counts only: an item's title, expected result and the responsible person's
name stay in the events service (the responsible person travels as an id)."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

OKTMO = r"^\d{8}(\d{3})?$"
CODE = r"^[a-z][a-z0-9_]{0,63}$"  # a code of the reference catalogue plan_directions
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"  # a calendar month, YYYY-MM


class ItemStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MOVED = "moved"  # moved to another month (movedTo)
    OVERDUE = "overdue"  # computed: its last month has passed and it is not done (never stored)
    CANCELLED = "cancelled"


STATUS_TITLES: dict[ItemStatus, str] = {
    ItemStatus.PLANNED: "запланировано",
    ItemStatus.DONE: "выполнено",
    ItemStatus.MOVED: "перенесено",
    ItemStatus.OVERDUE: "не выполнено в срок",
    ItemStatus.CANCELLED: "отменено",
}


class PlanFacts(EventData):
    plan_id: UUID
    organisation_id: UUID = Field(description="Организация, чей это план (методическая служба, школа, институт)")
    municipality_oktmo: str = Field(pattern=OKTMO)
    year: int = Field(ge=2000, le=2100, description="Учебный год по его началу: 2026 — 2026/2027")


class PlanApproved(PlanFacts):
    """Годовой план работы утверждён."""

    approved_on: date
    items: int = Field(ge=0, description="Пунктов плана")


class PlanItemStatusChanged(PlanFacts):
    """Изменился статус пункта плана (выполнено, перенесено, отменено, снова запланировано)."""

    item_id: UUID
    direction: str = Field(pattern=CODE, description="Код направления (справочник plan_directions)")
    status: ItemStatus = Field(description="planned, done, moved или cancelled (overdue не публикуется)")
    previous: ItemStatus
    moved_to: str | None = Field(default=None, pattern=MONTH, description="Месяц, на который перенесено")
    changed_on: date
