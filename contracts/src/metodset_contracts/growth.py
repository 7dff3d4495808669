"""Events of deficit diagnostics and individual educational routes (topic `registry.staff.v1`).

Identifiers, instrument, area, level and outcome codes and dates only: never a name and never a score (the
registry keeps scores; a subscriber counts deficits and routes, it does not need how a person scored)."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData

_CODE = r"^[a-z0-9_]{1,64}$"


class RouteItemKind(StrEnum):
    COURSE = "course"
    EVENT = "event"
    MENTORING = "mentoring"
    INTERNSHIP = "internship"
    SELF_STUDY = "self_study"


class RouteOutcome(StrEnum):
    DEFICITS_CLOSED = "deficits_closed"
    PARTIALLY_CLOSED = "partially_closed"
    NOT_CLOSED = "not_closed"
    NOT_REDIAGNOSED = "not_rediagnosed"


class DeficitFact(EventData):
    """A deficit: the area and its level (codes of the instrument)."""

    area: str = Field(pattern=_CODE, description="Код области компетенций инструмента")
    level: str = Field(pattern=_CODE, description="Код уровня дефицита инструмента")


class DeficitsDiagnosed(EventData):
    """Записан результат диагностики профессиональных дефицитов: выявленные дефициты (без баллов)."""

    result_id: UUID
    person_id: UUID
    instrument: str = Field(pattern=_CODE, description="Код инструмента диагностики")
    diagnosed_on: date
    deficits: list[DeficitFact] = Field(description="Дефициты по областям; пусто — дефицитов нет")


class RouteOpened(EventData):
    """Открыт индивидуальный образовательный маршрут по дефицитам."""

    route_id: UUID
    person_id: UUID
    opened_on: date
    base_result_id: UUID = Field(description="Результат диагностики, по которому построен маршрут")
    areas: list[str] = Field(description="Коды областей дефицитов маршрута")


class RouteItemCompleted(EventData):
    """Пункт маршрута выполнен: вручную или по факту (курс записан, мероприятие посещено)."""

    route_id: UUID
    item_id: UUID
    person_id: UUID
    kind: RouteItemKind
    area: str = Field(pattern=_CODE)
    completed_on: date
    by_fact: bool = Field(description="true — по факту (запись о курсе и т. п.), false — отмечен вручную")


class RouteClosed(EventData):
    """Маршрут закрыт с итогом; при повторной диагностике — какие дефициты маршрута закрыты."""

    route_id: UUID
    person_id: UUID
    opened_on: date
    closed_on: date
    outcome: RouteOutcome
    areas: list[str] = Field(description="Коды областей дефицитов маршрута")
    closed_areas: list[str] = Field(description="Области, где повторная диагностика дефицита не показала")
    item_kinds: list[RouteItemKind] = Field(description="Виды выполненных пунктов (без повторов)")
