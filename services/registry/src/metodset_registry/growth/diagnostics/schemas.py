"""Request and response shapes of deficit diagnostics and individual routes (camelCase JSON)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar
from uuid import UUID

from pydantic import Field

from metodset_kit.pagination import Ordering, Page, decode_cursor, encode_cursor

from ...domain.routes import ItemKind, ItemStatus, Outcome
from ...shapes import Shape, _text
from ...staff.schemas import Code

T = TypeVar("T")
Score = Annotated[float, Field(ge=0, le=10000)]


def page(items: Sequence[T], key: Callable[[T], tuple], ordering: Ordering, after: str | None,
         limit: int) -> tuple[list[T], str | None, int]:
    """A page of a small list kept in memory (a person's results, routes): the same cursors as the lists
    read from the database (ordering's keys, ascending)."""
    ordered = sorted(items, key=key)
    seek = decode_cursor(ordering, after) if after is not None else None
    rest = ordered if seek is None else [i for i in ordered if key(i) > seek]
    shown = rest[:limit]
    cursor = encode_cursor(ordering, key(shown[-1])) if len(rest) > limit else None
    return shown, cursor, len(items)


class LevelShape(Shape):
    code: Code
    title: _text(300)


class ThresholdShape(Shape):
    below: Score = Field(description="Балл строго ниже порога — дефицит этого уровня")
    level: Code


class AreaShape(Shape):
    code: Code
    title: _text(300)
    thresholds: list[ThresholdShape] = Field(min_length=1, max_length=10)
    keywords: list[_text(100)] = Field(default_factory=list, max_length=20,
                                       description="Слова темы площадки или мероприятия, адресующей область")


class InstrumentShape(Shape):
    """Инструмент диагностики: области компетенций, уровни дефицита, пороги по областям."""

    code: Code
    name: _text(300)
    max_score: Score = Field(default=100, description="Наибольший балл по области")
    levels: list[LevelShape] = Field(min_length=1, max_length=10, description="Уровни дефицита, от тяжёлого")
    areas: list[AreaShape] = Field(min_length=1, max_length=50)


class InstrumentPage(Page[InstrumentShape]):
    pass


class DiagnosticCreate(Shape):
    instrument: Code = Field(description="Код инструмента")
    date: dt.date = Field(description="Дата диагностики")
    scores: dict[Code, Score] = Field(description="Балл по каждой области инструмента (код → балл)",
                                      max_length=50)


class DeficitPublic(Shape):
    area: str
    area_title: str
    level: str
    level_title: str
    diagnosed_on: dt.date
    instrument: str


class AreaScore(Shape):
    area: str
    area_title: str
    score: float


class DiagnosticPublic(Shape):
    id: UUID
    person_id: UUID
    instrument: str
    instrument_name: str
    date: dt.date
    scores: list[AreaScore]
    deficits: list[DeficitPublic]


class DiagnosticPage(Page[DiagnosticPublic]):
    pass


class DeficitList(Shape):
    person_id: UUID
    as_of: dt.date
    result_id: UUID | None = Field(description="Результат, по которому определены дефициты; null — диагностики нет")
    items: list[DeficitPublic]


class RouteOpen(Shape):
    opened_on: dt.date | None = Field(default=None, description="Дата открытия; по умолчанию сегодня")
    items: list[RouteItemCreate] = Field(default_factory=list, max_length=100,
                                         description="Пункты сразу при открытии (например, из предложений)")


class RouteItemCreate(Shape):
    kind: ItemKind
    area: Code = Field(description="Код области дефицита маршрута, на который направлен пункт")
    title: _text(500)
    due_date: dt.date | None = None
    ref: _text(200) | None = Field(default=None, description="Что пункт называет: id организации, наставника, "
                                                              "курса, мероприятия")


class RouteItemComplete(Shape):
    on: dt.date | None = Field(default=None, description="Дата выполнения; по умолчанию сегодня")


class RouteItemStatusChange(Shape):
    status: ItemStatus = Field(description="planned, in_progress или cancelled (выполнение — /complete)")


class RouteClose(Shape):
    closed_on: dt.date | None = Field(default=None, description="Дата закрытия; по умолчанию сегодня")
    note: _text(2000) | None = None


class RouteItemPublic(Shape):
    id: UUID
    kind: ItemKind
    kind_title: str
    area: str
    area_title: str
    title: str
    due_date: dt.date | None
    status: ItemStatus
    ref: str | None
    completed_on: dt.date | None
    by_fact: bool


class AreaDelta(Shape):
    area: str
    area_title: str
    delta: float = Field(description="Изменение балла: повторная диагностика минус исходная")


class RoutePublic(Shape):
    id: UUID
    person_id: UUID
    version: int
    status: str = Field(description="open или closed")
    opened_on: dt.date
    base_result_id: UUID
    areas: list[DeficitPublic]
    items: list[RouteItemPublic]
    closed_on: dt.date | None
    outcome: Outcome | None
    deltas: list[AreaDelta]
    rediagnosed_result_id: UUID | None
    note: str | None


class RoutePage(Page[RoutePublic]):
    pass


class SuggestionPublic(Shape):
    kind: ItemKind
    kind_title: str
    area: str
    area_title: str
    title: str
    ref: str | None
    reason: str


class SuggestionList(Shape):
    person_id: UUID
    items: list[SuggestionPublic]


RouteOpen.model_rebuild()
