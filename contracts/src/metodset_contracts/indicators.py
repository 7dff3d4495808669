"""Events of computed indicators (topic `monitoring.indicators.v1`): a value changed, a value crossed its
threshold. Codes, periods, levels, subjects (the region, an ОКТМО or an organisation id) and numbers only —
never a person."""
from enum import StrEnum

from pydantic import Field

from .base import EventData


class IndicatorLevel(StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    ORGANISATION = "organisation"


class IndicatorValueFacts(EventData):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{2,63}$", description="Код показателя")
    period: str = Field(pattern=r"^\d{4}(/\d{4}|-Q[1-4])?$", description="Период: 2025/2026, 2026 или 2026-Q1")
    level: IndicatorLevel
    subject: str = Field(max_length=64, description="region, код ОКТМО или id организации")
    municipality_oktmo: str | None = Field(default=None, description="Муниципалитет значения (кроме региона)")
    value: float | None = Field(description="Новое значение; null — не вычисляется (знаменатель 0)")
    previous: float | None = Field(description="Прежнее значение; null — не было или не вычислялось")


class IndicatorValueChanged(IndicatorValueFacts):
    """Значение показателя изменилось."""
    numerator: float
    denominator: float | None = None


class IndicatorThresholdCrossed(IndicatorValueFacts):
    """Значение показателя пересекло пороговое: unfavourable — теперь на неблагоприятной стороне."""
    threshold: float
    direction: str = Field(description="higher — чем выше, тем лучше; lower — чем ниже, тем лучше")
    unfavourable: bool = Field(description="true — значение перешло на неблагоприятную сторону порога")
