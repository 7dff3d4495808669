"""Turning the totals of a numerator and a denominator into values per level and subject, and comparing
them with the stored ones: what changed, what crossed its threshold. Pure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalogue import IndicatorDefinition
from .formula import FactQuery
from .periods import Period
from .values import Level

REGION = "region"


@dataclass(frozen=True)
class Total:
    """One row of formula.totals_sql: gm/go are GROUPING() flags (1 — rolled up)."""
    municipality_oktmo: str | None
    organisation_id: str | None
    gm: int
    go: int
    v: float


@dataclass(frozen=True)
class Value:
    level: Level
    subject: str
    municipality_oktmo: str | None
    numerator: float
    denominator: float | None
    value: float | None


def _key(t: Total) -> tuple[Level, str, str | None] | None:
    if t.gm and t.go:
        return Level.REGION, REGION, None
    if t.municipality_oktmo is None:
        return None  # facts without a municipality count for the region only
    if t.go:
        return Level.MUNICIPALITY, t.municipality_oktmo, t.municipality_oktmo
    if t.organisation_id is None:
        return None
    return Level.ORGANISATION, str(t.organisation_id), t.municipality_oktmo


def values(definition: IndicatorDefinition, numerators: list[Total], denominators: list[Total] | None) -> list[Value]:
    nums: dict[tuple[Level, str], float] = {}
    dens: dict[tuple[Level, str], float] = {}
    where: dict[tuple[Level, str], str | None] = {}
    for source, target in ((numerators, nums), (denominators or [], dens)):
        for t in source:
            key = _key(t)
            if key is None or key[0] not in definition.levels:
                continue
            target[key[:2]] = float(t.v)
            where[key[:2]] = key[2]
    has_denominator = definition.formula.denominator is not None
    out = []
    for key in sorted(where):
        num = nums.get(key, 0.0)
        den = dens.get(key, 0.0) if has_denominator else None
        out.append(Value(key[0], key[1], where[key], num, den, definition.formula.value(num, den)))
    return out


def periods_to_recompute(definition: IndicatorDefinition, periods: list[Period],
                         dirty: dict[str, date | None] | None) -> list[Period]:
    """The periods a change can have moved: all of them for a full recomputation or a formula not bounded
    by dates; else those ending on or after the earliest day the changed facts spoke of."""
    if dirty is None:
        return periods
    days = [dirty[k] for k in definition.formula.kinds() if k in dirty]
    if not days:
        return []
    if any(d is None for d in days) or not all(q.dated() for q in definition.formula.parts()):
        return periods
    since = min(days)
    return [p for p in periods if p.end >= since]


def stale(query: FactQuery | None, dirty: dict[str, date | None] | None) -> bool:
    """Whether a part must be computed again (not taken from the stored totals)."""
    return query is not None and (dirty is None or bool(query.kinds() & set(dirty)))


def stored_totals(rows, part: str) -> list[Total]:
    """Stored values' numerators or denominators as totals (what values() reads), for a part not recomputed."""
    out = []
    for r in rows:
        level = Level(r["level"])
        if r[part] is None:
            continue
        gm, go = (1, 1) if level is Level.REGION else (0, 1) if level is Level.MUNICIPALITY else (0, 0)
        org = r["subject"] if level is Level.ORGANISATION else None
        out.append(Total(r["municipality_oktmo"], org, gm, go, float(r[part])))
    return out
