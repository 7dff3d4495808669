"""Effectiveness indicators (показатели) and how they are derived from projected facts."""
from __future__ import annotations

from dataclasses import dataclass

from metodset_contracts.organisations import OrganisationKind

ORGANISATIONS_ACTIVE = "organisations_active"

TITLES = {
    ORGANISATIONS_ACTIVE: "Действующие организации",
    **{f"{ORGANISATIONS_ACTIVE}.{k.value}": f"Действующие организации: {k.value}" for k in OrganisationKind},
}


@dataclass(frozen=True)
class Indicator:
    code: str
    value: float
    title: str


def organisations_active(counts_by_kind: dict[str, int]) -> list[Indicator]:
    """The active total first, then one indicator per kind (zero for kinds with none)."""
    total = sum(counts_by_kind.values())
    out = [Indicator(ORGANISATIONS_ACTIVE, total, TITLES[ORGANISATIONS_ACTIVE])]
    for kind in OrganisationKind:
        code = f"{ORGANISATIONS_ACTIVE}.{kind.value}"
        out.append(Indicator(code, counts_by_kind.get(kind.value, 0), TITLES[code]))
    return out
