"""Individual educational routes (ИОМ), without I/O: a route is opened for a person on the deficits of their
latest diagnostic, holds items that each address one of those deficits, and is closed with an outcome.

Rules (decided here, tested in tests/unit/test_routes_domain.py):
- A route is opened only on a diagnostic that shows deficits, and a person has at most one open route. The
  route keeps the deficits it was built on (its areas) and the result they came from (the base).
- Every item addresses one of the route's areas — by hand too: an area without a deficit gets no item (a
  methodist who sees another need records a diagnostic first). Items are added to an open route only.
- An item is completed by hand or by the fact that happened (a course recorded, an event attended): by hand,
  completing a done or cancelled item is refused; by fact, it is quietly skipped (facts may come twice).
  A fact that completes the last open item closes the route on the fact's day (routes.complete_by_fact).
- Closing records the outcome: re-diagnosed (a result of the base's instrument taken after the base and on or
  after the opening day) → the change of the score per area and «deficits_closed» / «partially_closed» /
  «not_closed» by the deficits the new result still shows in the route's areas; otherwise «not_rediagnosed».
  Items still planned or in progress stay as they were (history); a closed route is never reopened."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from metodset_contracts.growth import RouteItemKind as ItemKind  # events carry the contract's codes
from metodset_contracts.growth import RouteOutcome as Outcome

from .diagnostics import Deficit, Result
from .staff import StaffRuleError


class RouteError(StaffRuleError):
    """A route change the rules refuse; `code` tells a conflict or a missing item from an invalid value."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(field, message)
        self.code = code


class ItemStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


KIND_TITLES = {ItemKind.COURSE: "курсы повышения квалификации", ItemKind.EVENT: "методическое мероприятие",
               ItemKind.MENTORING: "наставничество", ItemKind.INTERNSHIP: "стажировка на площадке",
               ItemKind.SELF_STUDY: "самообразование"}
OPEN_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Item:
    id: UUID
    kind: ItemKind
    area: str
    title: str
    due_date: date | None
    status: ItemStatus = ItemStatus.PLANNED
    ref: str | None = None  # what it names: an organisation (internship), a mentor, a course, an event
    completed_on: date | None = None
    by_fact: bool = False


@dataclass(frozen=True)
class Route:
    id: UUID
    person_id: UUID
    opened_on: date
    base_result_id: UUID
    areas: tuple[Deficit, ...]
    items: tuple[Item, ...] = ()
    closed_on: date | None = None
    outcome: Outcome | None = None
    deltas: dict[str, Decimal] = field(default_factory=dict)
    rediagnosed_result_id: UUID | None = None
    note: str | None = None
    version: int = 1

    @property
    def open(self) -> bool:
        return self.closed_on is None

    def area_codes(self) -> list[str]:
        return [d.area for d in self.areas]

    def item(self, item_id: UUID) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


def open_route(route_id: UUID, person_id: UUID, base: Result | None, opened_on: date, today: date,
               already_open: bool) -> Route:
    if already_open:
        raise RouteError("personId", "У работника уже есть открытый маршрут: закройте его, прежде чем открыть новый",
                         "conflict")
    if base is None or not base.deficits:
        raise RouteError("personId", "Маршрут строится по дефицитам: у работника нет диагностики с дефицитами",
                         "no_deficits")
    if opened_on > today:
        raise RouteError("openedOn", "Дата открытия маршрута не может быть в будущем")
    if opened_on < base.taken_on:
        raise RouteError("openedOn", "Маршрут не открывается раньше диагностики, на которой он построен")
    return Route(route_id, person_id, opened_on, base.id, base.deficits)


def _bump(route: Route, **changes) -> Route:
    return replace(route, version=route.version + 1, **changes)


def _open(route: Route) -> None:
    if not route.open:
        raise RouteError("id", "Маршрут закрыт: его пункты больше не меняются", "closed")


def add_item(route: Route, item: Item) -> Route:
    _open(route)
    if item.area not in route.area_codes():
        raise RouteError("area", f"Пункт маршрута адресует дефицит маршрута ({', '.join(route.area_codes())}); "
                                 f"по области «{item.area}» дефицита нет", "no_deficit")
    title = " ".join(item.title.split())
    if not 1 <= len(title) <= 500:
        raise RouteError("title", "Название пункта: от 1 до 500 символов")
    if item.due_date is not None and item.due_date < route.opened_on:
        raise RouteError("dueDate", "Срок пункта не может быть раньше открытия маршрута")
    if item.status is not ItemStatus.PLANNED or item.completed_on is not None:
        raise RouteError("status", "Новый пункт маршрута — запланирован")
    return _bump(route, items=route.items + (replace(item, title=title),))


def _replace_item(route: Route, new: Item) -> Route:
    return _bump(route, items=tuple(new if i.id == new.id else i for i in route.items))


def _item(route: Route, item_id: UUID) -> Item:
    item = route.item(item_id)
    if item is None:
        raise RouteError("itemId", f"Пункта {item_id} в маршруте нет", "not_found")
    return item


def complete(route: Route, item_id: UUID, on: date, today: date, *, by_fact: bool = False) -> tuple[Route, bool]:
    """The route with the item done on `on`, and whether anything changed (a fact for a done item: no)."""
    item = _item(route, item_id)
    if item.status not in OPEN_STATUSES or not route.open:
        if by_fact:
            return route, False
        _open(route)
        raise RouteError("itemId", "Пункт уже выполнен" if item.status is ItemStatus.DONE else "Пункт отменён",
                         "conflict")
    if on > today or on < route.opened_on:
        if by_fact:
            return route, False  # a fact before the route (or not yet happened) did not happen for it
        if on > today:
            raise RouteError("on", "Дата выполнения не может быть в будущем")
        raise RouteError("on", "Пункт не может быть выполнен раньше открытия маршрута")
    return _replace_item(route, replace(item, status=ItemStatus.DONE, completed_on=on, by_fact=by_fact)), True


def set_status(route: Route, item_id: UUID, status: ItemStatus) -> Route:
    """Start (in progress), put back to planned or cancel an item; done only through complete()."""
    _open(route)
    item = _item(route, item_id)
    if status is ItemStatus.DONE:
        raise RouteError("status", "Выполнение отмечается отдельно (complete), с датой")
    if item.status not in OPEN_STATUSES:
        raise RouteError("status", "Выполненный или отменённый пункт больше не меняется", "conflict")
    return route if item.status is status else _replace_item(route, replace(item, status=status))


def plain(text: str) -> str:
    """Text compared loosely: spaces, case and ё/е do not matter."""
    return " ".join(text.split()).casefold().replace("ё", "е")


def matching_items(route: Route, kind: ItemKind, area: str | None, ref: str | None,
                   title: str | None = None) -> list[Item]:
    """Open items a fact of this kind completes: those naming the same thing (ref), else those without a ref
    whose title contains the fact's title (a course item «КПК „Современный урок“» and the programme «Современный
    урок»), else those of the fact's area."""
    candidates = [i for i in route.items if i.kind is kind and i.status in OPEN_STATUSES]
    if ref is not None:
        named = [i for i in candidates if i.ref == ref]
        if named:
            return named
    if title and plain(title):
        titled = [i for i in candidates if i.ref is None and plain(title) in plain(i.title)]
        if titled:
            return titled
    return [i for i in candidates if area is not None and i.area == area and i.ref in (None, ref)]


def all_done(route: Route) -> bool:
    """Nothing left to do: every item done or cancelled, at least one done."""
    return all(i.status not in OPEN_STATUSES for i in route.items) and \
        any(i.status is ItemStatus.DONE for i in route.items)


def rediagnosis(route: Route, base: Result, results: Iterable[Result]) -> Result | None:
    """The latest result of the base's instrument taken after the base and on or after the opening day."""
    later = [r for r in results if r.instrument == base.instrument and r.id != base.id
             and r.taken_on > base.taken_on and r.taken_on >= route.opened_on]
    return max(later, key=lambda r: r.taken_on) if later else None


def close(route: Route, closed_on: date, today: date, base: Result, results: Sequence[Result],
          note: str | None = None) -> Route:
    _open(route)
    if closed_on > today:
        raise RouteError("closedOn", "Дата закрытия не может быть в будущем")
    if closed_on < route.opened_on:
        raise RouteError("closedOn", "Маршрут не закрывается раньше, чем открыт")
    after = rediagnosis(route, base, [r for r in results if r.taken_on <= closed_on])
    if after is None:
        return _bump(route, closed_on=closed_on, outcome=Outcome.NOT_REDIAGNOSED, note=note)
    areas = route.area_codes()
    deltas = {a: after.scores[a] - base.scores[a] for a in areas if a in after.scores and a in base.scores}
    closed = [a for a in areas if after.deficit(a) is None]
    outcome = (Outcome.DEFICITS_CLOSED if len(closed) == len(areas) else
               Outcome.PARTIALLY_CLOSED if closed else Outcome.NOT_CLOSED)
    return _bump(route, closed_on=closed_on, outcome=outcome, deltas=deltas, rediagnosed_result_id=after.id,
                 note=note)


def closed_areas(route: Route, after: Result | None) -> list[str]:
    return [a for a in route.area_codes() if after is not None and after.deficit(a) is None]
