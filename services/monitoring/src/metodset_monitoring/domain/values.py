"""An indicator value as it changed: what the indicator computation hands to whatever reacts to it
(the topic monitoring.indicators.v1, recommendation rules)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class IndicatorValueChange:
    code: str             # indicator code, e.g. staff_upgraded_3y_share
    period: str           # e.g. 2025/2026 (academic year), 2026 (calendar year), 2026-Q1
    level: Level
    subject: str          # "region", an ОКТМО, or an organisation id
    value: float | None   # None: not computable (denominator zero)
    previous: float | None
