"""Annual work plans: an organisation's items by direction and month for an academic year, their statuses,
plan-versus-fact, and the next year's plan started from this one. Pure: no I/O.

An academic year is named by the calendar year it starts in: 2026 is 2026/2027, September 2026 to August 2027.
A month is a calendar month (year, month).

Plan-versus-fact (decided here, documented in the README):
- an item is *done* when marked done, or when it links methodical events and every one not cancelled is
  completed; *cancelled* when marked so or when every linked event was cancelled; *moved* when marked so or
  when a linked event was rescheduled past the item's last month (it is then due in that month);
- *overdue* is never stored: an item not done, not cancelled, whose last month (its moved-to month if moved)
  has ended before `today`; an item is overdue from the first day of the month after its last month;
- *cancelled* items are left out of the denominator (a decision not to do something is not a failure to do
  it) and counted on their own;
- a *moved* item stays in the denominator of the plan it belongs to and counts as pending until its new
  month ends, then as overdue unless done;
- share fulfilled = done / (items − cancelled), per direction and overall; a plan with nothing to do has share
  null, not 0 or 1."""
from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from metodset_contracts.plans import ItemStatus

Month = tuple[int, int]  # (year, month)
STORED = (ItemStatus.PLANNED, ItemStatus.DONE, ItemStatus.MOVED, ItemStatus.CANCELLED)


class PlanError(ValueError):
    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


def academic_year_title(year: int) -> str:
    return f"{year}/{year + 1}"


def year_months(year: int) -> list[Month]:
    """September of `year` to August of the next."""
    return [(year, m) for m in range(9, 13)] + [(year + 1, m) for m in range(1, 9)]


def in_year(month: Month, year: int) -> bool:
    return month in year_months(year)


def month_end(month: Month) -> date:
    return date(month[0], month[1], calendar.monthrange(*month)[1])


def month_text(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def parse_month(text: str) -> Month:
    y, m = text.split("-")
    return int(y), int(m)


@dataclass(frozen=True)
class Item:
    id: UUID
    direction: str
    months: tuple[Month, ...]
    title: str
    status: ItemStatus = ItemStatus.PLANNED  # stored: planned, done, moved, cancelled
    responsible_id: UUID | None = None
    expected_result: str | None = None
    event_ids: tuple[UUID, ...] = ()
    moved_to: Month | None = None
    note: str | None = None
    position: int = 0

    def last_month(self) -> Month:
        if self.status is ItemStatus.MOVED and self.moved_to is not None:
            return self.moved_to
        return max(self.months)


def check_item(item: Item, year: int, directions: Iterable[str]) -> None:
    if item.direction not in set(directions):
        raise PlanError("direction", f"Направления «{item.direction}» нет в справочнике plan_directions")
    if not item.months:
        raise PlanError("months", "Укажите хотя бы один месяц")
    outside = [month_text(m) for m in item.months if not in_year(m, year)]
    if outside:
        raise PlanError("months", f"Месяцы вне {academic_year_title(year)} учебного года: {', '.join(outside)}")


@dataclass(frozen=True)
class LinkedEvents:
    """What the plan's linked methodical events say: which were completed, which cancelled, and the month the
    last session of each live one falls in."""

    completed: frozenset[UUID] = frozenset()
    cancelled: frozenset[UUID] = frozenset()
    last_month: Mapping[UUID, Month] = field(default_factory=dict)


NO_EVENTS = LinkedEvents()


def due_month(item: Item, linked: LinkedEvents = NO_EVENTS) -> Month:
    """The month the item is due: its last month, or later when a live linked event was moved past it."""
    later = [linked.last_month[e] for e in item.event_ids if e not in linked.cancelled and e in linked.last_month]
    return max([item.last_month(), *later])


def effective_status(item: Item, today: date, linked: LinkedEvents = NO_EVENTS) -> ItemStatus:
    """The status people see, from the item's links: done when every live linked event was completed,
    cancelled when every linked event was cancelled, moved when a linked event now ends in a later month;
    overdue once its due month has ended."""
    if item.status in (ItemStatus.DONE, ItemStatus.CANCELLED):
        return item.status
    live = [e for e in item.event_ids if e not in linked.cancelled]
    if item.event_ids and not live:
        return ItemStatus.CANCELLED
    if live and all(e in linked.completed for e in live):
        return ItemStatus.DONE
    due = due_month(item, linked)
    if month_end(due) < today:
        return ItemStatus.OVERDUE
    return ItemStatus.MOVED if due > item.last_month() else item.status


def change_status(item: Item, status: ItemStatus, moved_to: Month | None, year: int) -> Item:
    """A new stored status: moving names a month (within the year or after it); overdue is never set."""
    if status is ItemStatus.OVERDUE:
        raise PlanError("status", "Статус «не выполнено в срок» вычисляется и не устанавливается")
    if status is ItemStatus.MOVED:
        if moved_to is None:
            raise PlanError("movedTo", "Укажите месяц, на который пункт перенесён")
        if moved_to < (year, 9):
            raise PlanError("movedTo", "Перенести можно только на месяц учебного года или позже")
        return replace(item, status=status, moved_to=moved_to)
    if moved_to is not None:
        raise PlanError("movedTo", "Месяц указывается только при переносе (status = moved)")
    return replace(item, status=status, moved_to=None)


@dataclass
class Tally:
    """Plan-versus-fact of a direction (or of the whole plan)."""

    direction: str | None
    total: int = 0  # every item, cancelled included
    done: int = 0
    moved: int = 0  # moved and not yet due
    overdue: int = 0
    cancelled: int = 0
    pending: int = 0  # planned, not yet due

    @property
    def counted(self) -> int:
        """The denominator: items not cancelled."""
        return self.total - self.cancelled

    @property
    def share(self) -> float | None:
        return round(self.done / self.counted, 4) if self.counted else None

    def add(self, status: ItemStatus) -> None:
        self.total += 1
        attr = {ItemStatus.DONE: "done", ItemStatus.MOVED: "moved", ItemStatus.OVERDUE: "overdue",
                ItemStatus.CANCELLED: "cancelled", ItemStatus.PLANNED: "pending"}[status]
        setattr(self, attr, getattr(self, attr) + 1)


@dataclass
class Fulfilment:
    directions: list[Tally]
    overall: Tally = field(default_factory=lambda: Tally(None))


def fulfilment(items: Sequence[Item], today: date, directions: Sequence[str],
               linked: LinkedEvents = NO_EVENTS) -> Fulfilment:
    """Plan-versus-fact per direction (in the catalogue's order, every direction listed) and overall."""
    by_direction = {d: Tally(d) for d in directions}
    overall = Tally(None)
    for item in items:
        status = effective_status(item, today, linked)
        by_direction.setdefault(item.direction, Tally(item.direction)).add(status)
        overall.add(status)
    return Fulfilment(list(by_direction.values()), overall)


def next_year_items(items: Sequence[Item], new_ids: Iterable[UUID]) -> list[Item]:
    """This year's items for the next year: months a year later, statuses reset, links and moves dropped;
    cancelled items are copied too (a plan is a starting point to edit)."""
    ids = iter(new_ids)
    return [Item(id=next(ids), direction=i.direction, months=tuple((y + 1, m) for y, m in i.months), title=i.title,
                 responsible_id=i.responsible_id, expected_result=i.expected_result, position=i.position)
            for i in items]
