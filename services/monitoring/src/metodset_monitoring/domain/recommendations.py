"""Addressed recommendations: rules (data) that raise one when an indicator value crosses a threshold, the
recommendation's lifecycle (raised → assigned → in progress → closed with evidence, or cancelled), its due date,
and the overdue and closed-on-time shares per municipality and region. Pure: no I/O."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from string import Formatter
from uuid import UUID, uuid5

from metodset_contracts.recommendations import Addressee
from metodset_contracts.recommendations import RecommendationStatus as Status

from . import periods
from .errors import RuleError
from .values import IndicatorValueChange, Level

OPEN = (Status.RAISED, Status.ASSIGNED, Status.IN_PROGRESS)
PLACEHOLDERS = ("value", "threshold", "period")


class RecommendationError(RuleError):
    """A recommendation rule refused the change."""


class Direction(StrEnum):
    BELOW = "below"  # raised when the value falls below the threshold
    ABOVE = "above"  # raised when the value rises above it


DIRECTION_TITLES = {Direction.BELOW: "ниже порога", Direction.ABOVE: "выше порога"}


@dataclass(frozen=True)
class Rule:
    code: str
    indicator: str
    level: Level
    threshold: float
    direction: Direction
    addressee: Addressee
    template: str  # Russian text; {value}, {threshold}, {period} are filled in
    due_days: int
    active: bool = True


def check_rule(rule: Rule) -> None:
    """A rule that can address someone: an organisation only from organisation values, a municipality's
    service not from the region's value."""
    if rule.due_days < 1 or rule.due_days > 365:
        raise RecommendationError("dueDays", "Срок исполнения — от 1 до 365 дней")
    if rule.addressee is Addressee.ORGANISATION and rule.level is not Level.ORGANISATION:
        raise RecommendationError("addressee", "Организации адресуется рекомендация только по показателю организации")
    if rule.addressee is Addressee.METHODICAL_SERVICE and rule.level is Level.REGION:
        raise RecommendationError("addressee", "По показателю региона рекомендация адресуется региональному уровню")
    if not _plain_template(rule.template):
        raise RecommendationError("template", "Шаблон может подставлять только {value}, {threshold} и {period}")


def _plain_template(template: str) -> bool:
    """Only the three names, without format specs, conversions or attribute access (no surprises in render)."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError:
        return False
    return all(name is None or (name in PLACEHOLDERS and not spec and not conversion)
               for _, name, spec, conversion in fields)


def _beyond(rule: Rule, value: float) -> bool:
    return value < rule.threshold if rule.direction is Direction.BELOW else value > rule.threshold


class Crossing(StrEnum):
    CROSSED = "crossed"    # the value went beyond the threshold: raise
    RETURNED = "returned"  # it came back: the open recommendation is marked «resolved by value»
    NONE = "none"


RECENT_DAYS = 92  # a period that ended longer ago is history: its values no longer raise recommendations


def current(period: str, today: date) -> bool:
    """The period is under way or ended within RECENT_DAYS (last year's results still count in autumn)."""
    try:
        return periods.parse(period).end >= today - timedelta(days=RECENT_DAYS)
    except periods.BadPeriod:
        return False


def crossing(rule: Rule, change: IndicatorValueChange, today: date) -> Crossing:
    """What a change means for a rule. A first value (no previous) beyond the threshold counts as a crossing;
    a value staying beyond it does not (one recommendation per crossing, not per recomputation). A value of a
    period long past (a new indicator computed for history, a replay) raises nothing; one that comes back still
    marks what was raised."""
    if not rule.active or change.code != rule.indicator or change.level != rule.level or change.value is None:
        return Crossing.NONE
    now_beyond = _beyond(rule, change.value)
    was_beyond = change.previous is not None and _beyond(rule, change.previous)
    if now_beyond and not was_beyond:
        return Crossing.CROSSED if current(change.period, today) else Crossing.NONE
    if was_beyond and not now_beyond:
        return Crossing.RETURNED
    return Crossing.NONE


def _number(value: float) -> str:
    return f"{value:.4g}".replace(".", ",")


def render(rule: Rule, value: float | None, period: str) -> str:
    return rule.template.format(value=_number(value) if value is not None else "—",
                                threshold=_number(rule.threshold), period=period)


@dataclass(frozen=True)
class Recommendation:
    id: UUID
    rule: str
    indicator: str
    period: str
    level: Level
    subject: str
    municipality_oktmo: str | None
    organisation_id: UUID | None
    addressee: Addressee
    text: str
    value: float | None
    threshold: float
    raised_on: date
    due_on: date
    status: Status = Status.RAISED
    assignee_id: UUID | None = None
    closed_on: date | None = None
    evidence_text: str | None = None
    evidence_link: str | None = None
    cancel_reason: str | None = None
    value_returned_on: date | None = None
    version: int = 1
    current_value: float | None = None  # the indicator's latest value (kept by the engine, not by an edit)


_RECOMMENDATIONS = UUID("5d0f7c8e-2b8a-4a7e-8f43-9e1b2c3d4e02")


def recommendation_id(rule_code: str, subject: str, period: str) -> UUID:
    """One recommendation per (rule, subject, period), with the same id whenever it is raised again (a replay)."""
    return uuid5(_RECOMMENDATIONS, f"{rule_code}|{subject}|{period}")


def raise_for(rule: Rule, change: IndicatorValueChange, rec_id: UUID, municipality_oktmo: str | None,
              organisation_id: UUID | None, today: date) -> Recommendation:
    return Recommendation(
        id=rec_id, rule=rule.code, indicator=rule.indicator, period=change.period, level=change.level,
        subject=change.subject, municipality_oktmo=municipality_oktmo, organisation_id=organisation_id,
        addressee=rule.addressee, text=render(rule, change.value, change.period), value=change.value,
        threshold=rule.threshold, raised_on=today, due_on=today + timedelta(days=rule.due_days),
        current_value=change.value)


def _open(r: Recommendation) -> None:
    if r.status not in OPEN:
        raise RecommendationError(None, "Рекомендация закрыта или отменена: изменить её нельзя", "closed")


def _next(r: Recommendation, **changes) -> Recommendation:
    return replace(r, version=r.version + 1, **changes)


def edit(r: Recommendation, text: str) -> Recommendation:
    _open(r)
    return _next(r, text=text)


def set_due(r: Recommendation, due_on: date) -> Recommendation:
    _open(r)
    if due_on < r.raised_on:
        raise RecommendationError("dueOn", "Срок не может быть раньше даты формирования рекомендации")
    return _next(r, due_on=due_on)


def assign(r: Recommendation, assignee_id: UUID) -> Recommendation:
    """Assign (or re-assign); work already started stays in progress."""
    _open(r)
    return _next(r, assignee_id=assignee_id,
                 status=Status.IN_PROGRESS if r.status is Status.IN_PROGRESS else Status.ASSIGNED)


def start(r: Recommendation) -> Recommendation:
    _open(r)
    if r.assignee_id is None:
        raise RecommendationError("assigneeId", "Взять в работу можно после назначения исполнителя", "not_assigned")
    return _next(r, status=Status.IN_PROGRESS)


def close(r: Recommendation, evidence_text: str, evidence_link: str | None, today: date) -> Recommendation:
    _open(r)
    if not evidence_text.strip():
        raise RecommendationError("evidenceText", "Закрыть рекомендацию можно только с подтверждением исполнения")
    return _next(r, status=Status.CLOSED, closed_on=today, evidence_text=evidence_text, evidence_link=evidence_link)


def cancel(r: Recommendation, reason: str, today: date) -> Recommendation:
    _open(r)
    return _next(r, status=Status.CANCELLED, closed_on=today, cancel_reason=reason)


def value_returned(r: Recommendation, today: date) -> Recommendation | None:
    """Mark an open recommendation whose value came back; None when there is nothing to mark. It stays open:
    the methodist closes it with evidence of what was done."""
    if r.status not in OPEN or r.value_returned_on is not None:
        return None
    return _next(r, value_returned_on=today)


def is_overdue(r: Recommendation, today: date) -> bool:
    return r.status in OPEN and today > r.due_on


def closed_on_time(r: Recommendation) -> bool:
    return r.status is Status.CLOSED and r.closed_on is not None and r.closed_on <= r.due_on


def fact_attrs(r: Recommendation) -> dict:
    """The attributes of the recommendation's row in `facts` (kind recommendation): what indicators filter on."""
    return {"status": r.status.value, "due_on": r.due_on.isoformat(), "closed_on_time": closed_on_time(r),
            "rule": r.rule, "indicator": r.indicator}


# ---- shares -------------------------------------------------------------------------------------------------

REGION = "region"


@dataclass(frozen=True)
class Shares:
    scope: str  # an ОКТМО or "region"
    total: int  # not cancelled
    open: int
    overdue: int
    closed: int
    closed_on_time: int

    @property
    def overdue_share(self) -> float | None:
        """Of the recommendations not cancelled, the share open past their due date."""
        return round(self.overdue / self.total, 4) if self.total else None

    @property
    def closed_on_time_share(self) -> float | None:
        """Of the closed ones, the share closed no later than their due date."""
        return round(self.closed_on_time / self.closed, 4) if self.closed else None


def _shares(scope: str, rs: list[Recommendation], today: date) -> Shares:
    counted = [r for r in rs if r.status is not Status.CANCELLED]
    return Shares(scope, len(counted), sum(r.status in OPEN for r in counted),
                  sum(is_overdue(r, today) for r in counted), sum(r.status is Status.CLOSED for r in counted),
                  sum(closed_on_time(r) for r in counted))


def shares(recommendations: Iterable[Recommendation], today: date) -> list[Shares]:
    """Per municipality (in code order), then the region over all (region-level ones count only there)."""
    everything = list(recommendations)
    by_municipality: dict[str, list[Recommendation]] = {}
    for r in everything:
        if r.municipality_oktmo is not None:
            by_municipality.setdefault(r.municipality_oktmo, []).append(r)
    return [*(_shares(m, by_municipality[m], today) for m in sorted(by_municipality)),
            _shares(REGION, everything, today)]
