"""An indicator as data: what it measures (formula over facts), how to read it (unit, direction, threshold,
target), where (levels) and when (period kind). Parsed from the catalogue's JSON with Russian errors."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .formula import BadFormula, Formula, dump_formula, parse_formula
from .formula import choice as _choice
from .periods import PeriodKind
from .values import Level

CODE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"


DIRECTION_TITLES = {Direction.HIGHER: "чем выше, тем лучше", Direction.LOWER: "чем ниже, тем лучше"}


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    title: str
    description: str
    unit: str
    direction: Direction
    formula: Formula
    levels: tuple[Level, ...]
    period_kind: PeriodKind
    threshold: float | None = None  # a value on the wrong side of it raises attention (recommendations)
    target: float | None = None
    published: bool = False  # municipalities' aggregates visible to other municipalities' methodists

    def on_wrong_side(self, value: float | None) -> bool:
        if value is None or self.threshold is None:
            return False
        return value < self.threshold if self.direction is Direction.HIGHER else value > self.threshold

    def crossed(self, previous: float | None, value: float | None) -> bool:
        """The value moved across the threshold (either way) — not merely changed on one side of it."""
        if self.threshold is None or value is None or previous is None:
            return False
        return self.on_wrong_side(previous) != self.on_wrong_side(value)


_FIELDS = {"code", "title", "description", "unit", "direction", "formula", "levels", "periodKind", "threshold",
           "target", "published"}


def parse_definition(data: Any, where: str = "indicator") -> IndicatorDefinition:
    if not isinstance(data, dict):
        raise BadFormula(where, "ожидается объект")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise BadFormula(f"{where}.{unknown[0]}", "неизвестное поле")
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise BadFormula(f"{where}.code", "код: латиница в нижнем регистре, цифры и _, от 3 до 64 знаков")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        raise BadFormula(f"{where}.title", "нужно наименование показателя (до 300 знаков)")
    levels = data.get("levels", [lv.value for lv in Level])
    if not isinstance(levels, list) or not levels:
        raise BadFormula(f"{where}.levels", "нужен непустой список уровней: region, municipality, organisation")
    return IndicatorDefinition(
        code=code, title=title.strip(), description=_text(data.get("description", ""), f"{where}.description"),
        unit=_text(data.get("unit", ""), f"{where}.unit"),
        direction=_choice(Direction, data.get("direction", "higher"), f"{where}.direction"),
        formula=parse_formula(data.get("formula"), f"{where}.formula"),
        levels=tuple(_choice(Level, lv, f"{where}.levels") for lv in levels),
        period_kind=_choice(PeriodKind, data.get("periodKind", "academic_year"), f"{where}.periodKind"),
        threshold=_optional_number(data.get("threshold"), f"{where}.threshold"),
        target=_optional_number(data.get("target"), f"{where}.target"),
        published=_flag(data.get("published", False), f"{where}.published"),
    )


def dump_definition(d: IndicatorDefinition) -> dict:
    return {"code": d.code, "title": d.title, "description": d.description, "unit": d.unit,
            "direction": d.direction.value, "formula": dump_formula(d.formula),
            "levels": [lv.value for lv in d.levels], "periodKind": d.period_kind.value, "threshold": d.threshold,
            "target": d.target, "published": d.published}


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 4000:
        raise BadFormula(where, "ожидается текст (до 4000 знаков)")
    return value


def _optional_number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadFormula(where, "ожидается число")
    return float(value)


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise BadFormula(where, "ожидается true или false")
    return value
