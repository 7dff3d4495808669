"""Ratings: subjects ranked by an indicator (by its direction) or by a weighted composite of indicators
(weights are data), with the rank a year earlier. Pure."""
from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Direction

COMPOSITE = "composite"


@dataclass(frozen=True)
class Place:
    subject: str
    value: float
    rank: int
    previous_rank: int | None = None

    @property
    def rank_change(self) -> int | None:
        """Positive: moved up (a smaller rank number) since the previous period."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def ranked(values: dict[str, float | None], direction: Direction) -> list[Place]:
    """Competition ranking (1, 2, 2, 4): equal values share a place; subjects without a value are left out."""
    known = [(s, v) for s, v in values.items() if v is not None]
    known.sort(key=lambda sv: (-sv[1] if direction is Direction.HIGHER else sv[1], sv[0]))
    out: list[Place] = []
    for i, (subject, value) in enumerate(known):
        rank = out[-1].rank if out and out[-1].value == value else i + 1
        out.append(Place(subject, value, rank))
    return out


def with_previous(current: list[Place], previous: list[Place]) -> list[Place]:
    before = {p.subject: p.rank for p in previous}
    return [Place(p.subject, p.value, p.rank, before.get(p.subject)) for p in current]


def composite(by_code: dict[str, dict[str, float | None]], directions: dict[str, Direction],
              weights: dict[str, float]) -> dict[str, float | None]:
    """A weighted mean of min–max normalised values (1 — the best subject of an indicator, 0 — the worst);
    an indicator a subject has no value for is left out of its mean, not counted as zero."""
    sums: dict[str, float] = {}
    total_weight: dict[str, float] = {}
    for code, weight in weights.items():
        values = {s: v for s, v in by_code.get(code, {}).items() if v is not None}
        if not values or code not in directions:
            continue
        low, high = min(values.values()), max(values.values())
        for subject, v in values.items():
            norm = 1.0 if high == low else (v - low) / (high - low)
            if directions[code] is Direction.LOWER:
                norm = 1.0 - norm if high != low else 1.0
            sums[subject] = sums.get(subject, 0.0) + weight * norm
            total_weight[subject] = total_weight.get(subject, 0.0) + weight
    return {s: round(sums[s] / total_weight[s], 6) for s in sums}
