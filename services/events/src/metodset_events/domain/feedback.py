"""Aggregated feedback (pure)."""
from __future__ import annotations

from dataclasses import dataclass

RATINGS = range(1, 6)


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None
    distribution: dict[int, int]
    comments: list[str]


def summarise(answers: list[tuple[int, str]]) -> Summary:
    distribution = {r: 0 for r in RATINGS}
    for rating, _ in answers:
        distribution[rating] += 1
    count = len(answers)
    average = round(sum(r for r, _ in answers) / count, 2) if count else None
    return Summary(count, average, distribution, [c for _, c in answers if c])
