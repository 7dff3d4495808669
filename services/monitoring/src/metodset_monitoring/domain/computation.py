"""Turning the totals of a numerator and a denominator into values per level and subject, and comparing
them with the stored ones: what changed, what crossed its threshold. Pure."""
from __future__ import annotations

from dataclasses import dataclass

from .catalogue import IndicatorDefinition
from .values import IndicatorValueChange, Level

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


def changes(code: str, period: str, stored: dict[tuple[Level, str], float | None],
            computed: list[Value]) -> list[IndicatorValueChange]:
    """Values that are new, differ, or vanished (a subject with no facts any more: its value becomes null)."""
    out = []
    seen = set()
    for v in computed:
        key = (v.level, v.subject)
        seen.add(key)
        if key not in stored or stored[key] != v.value:
            out.append(IndicatorValueChange(code, period, v.level, v.subject, v.value, stored.get(key)))
    for key, previous in stored.items():
        if key not in seen:
            out.append(IndicatorValueChange(code, period, key[0], key[1], None, previous))
    return out
