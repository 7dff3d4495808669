"""What the monitoring reports show, built from values without I/O: the indicator table per municipality with
its dynamics (the previous periods next to the current one and the change), the rating with rank changes, and
the series the charts draw. Pure."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .catalogue import Direction, IndicatorDefinition
from .periods import Period, PeriodKind
from .ratings import Place

REPORT_TITLE = "Показатели эффективности методической работы"
REGION = "region"
REGION_LABEL = "Регион"


def period_title(p: Period) -> str:
    """«2025/2026 учебный год», «2026 год», «1 квартал 2026 года»."""
    if p.kind is PeriodKind.ACADEMIC_YEAR:
        return f"{p.code} учебный год"
    if p.kind is PeriodKind.CALENDAR_YEAR:
        return f"{p.code} год"
    return f"{(p.start.month + 2) // 3} квартал {p.start.year} года"


def history(current: Period, years: int) -> list[Period]:
    """The current period and the same periods of the `years - 1` years before it, oldest first."""
    out = [current]
    for _ in range(years - 1):
        out.append(out[-1].previous())
    return out[::-1]


@dataclass(frozen=True)
class TableRow:
    subject: str               # an ОКТМО or "region"
    values: list[float | None]  # one per period of the table, oldest first
    change: float | None        # the current value less the previous period's
    target_met: bool | None     # None: no target or no current value
    name: str | None = None     # the municipality's name, when the registry announced it

    @property
    def label(self) -> str:
        return REGION_LABEL if self.subject == REGION else self.name or self.subject

    @property
    def code(self) -> str | None:
        return None if self.subject == REGION else self.subject


@dataclass(frozen=True)
class IndicatorTable:
    definition: IndicatorDefinition
    periods: list[Period]
    rows: list[TableRow]      # municipalities by ОКТМО
    region: TableRow | None   # None: the region has no value in any period


def _row(d: IndicatorDefinition, subject: str, periods: list[Period],
         values: dict[tuple[str, str], float | None], names: Mapping[str, str]) -> TableRow:
    series = [values.get((subject, p.code)) for p in periods]
    current = series[-1]
    before = series[-2] if len(series) > 1 else None
    change = None if current is None or before is None else round(current - before, 6)
    met = None
    if d.target is not None and current is not None:
        met = current <= d.target if d.direction is Direction.LOWER else current >= d.target
    return TableRow(subject, series, change, met, names.get(subject))


def indicator_table(d: IndicatorDefinition, periods: list[Period],
                    values: dict[tuple[str, str], float | None], visible: set[str],
                    names: Mapping[str, str] | None = None) -> IndicatorTable:
    """`values` by (subject, period code) for municipalities (ОКТМО) and the region ("region"); only the
    municipalities in `visible` become rows (the caller's scope), each once, whatever periods it has values in."""
    names = names or {}
    municipalities = sorted({s for s, _ in values if s != REGION and s in visible})
    region = _row(d, REGION, periods, values, names) if any((REGION, p.code) in values for p in periods) else None
    return IndicatorTable(d, periods, [_row(d, s, periods, values, names) for s in municipalities], region)


@dataclass(frozen=True)
class RatingRow:
    rank: int
    subject: str
    municipality_oktmo: str | None
    value: float
    previous_rank: int | None
    rank_change: int | None
    name: str | None = None               # the municipality's or organisation's name
    municipality_name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.subject

    @property
    def movement(self) -> str:
        """In words for the xlsx: «↑ 2», «↓ 1», «=», «новый»."""
        if self.rank_change is None:
            return "новый"
        if self.rank_change == 0:
            return "="
        return f"↑ {self.rank_change}" if self.rank_change > 0 else f"↓ {-self.rank_change}"


def rating_rows(places: list[Place], where: dict[str, str | None], visible: set[str],
                names: Mapping[str, str] | None = None) -> list[RatingRow]:
    """Places as ranked over every subject (ranks are not renumbered when some are out of the caller's scope)."""
    names = names or {}
    return [RatingRow(p.rank, p.subject, where.get(p.subject), p.value, p.previous_rank, p.rank_change,
                      names.get(p.subject), names.get(where.get(p.subject) or ""))
            for p in places if p.subject in visible]


def bars(rows: list[RatingRow]) -> list[tuple[str, float]]:
    """The rating chart's bars, best first (as ranked), labelled by name where known."""
    return [(r.label, r.value) for r in sorted(rows, key=lambda r: (r.rank, r.subject))]


def series(periods: list[Period], values: dict[str, float | None]) -> tuple[list[str], list[float | None]]:
    """A line of the dynamics chart: period codes and values (None where a period has no value)."""
    return [p.code for p in periods], [values.get(p.code) for p in periods]
