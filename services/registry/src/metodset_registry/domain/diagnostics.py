"""Deficit diagnostics as data, without I/O: an instrument (competence areas with Russian titles, levels of
deficit, per-area thresholds) and a result (date, score per area); the deficits follow from the thresholds.

A score strictly below an area's threshold is a deficit of that threshold's level; with several thresholds the
lowest one the score is below names the level (thresholds 40 «критический», 55 «выраженный», 70 «умеренный»:
39 is critical, 40 significant, 69 moderate, 70 no deficit)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from .staff import StaffRuleError

_CODE = re.compile(r"^[a-z0-9_]{1,64}$")


class DiagnosticsError(StaffRuleError):
    """An instrument or a result the rules refuse; `field` names the value at fault."""


@dataclass(frozen=True)
class Threshold:
    below: Decimal
    level: str


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    thresholds: tuple[Threshold, ...]  # ascending by `below`
    keywords: tuple[str, ...] = ()  # words of a site's or an event's topic that address the area


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    max_score: Decimal
    levels: tuple[tuple[str, str], ...]  # (code, title), most severe first
    areas: tuple[Area, ...]

    def area(self, code: str) -> Area | None:
        return next((a for a in self.areas if a.code == code), None)

    def level_title(self, code: str) -> str:
        return dict(self.levels).get(code, code)


@dataclass(frozen=True)
class Deficit:
    area: str
    level: str


@dataclass(frozen=True)
class Result:
    id: UUID
    person_id: UUID
    instrument: str
    taken_on: date
    scores: Mapping[str, Decimal]
    deficits: tuple[Deficit, ...]

    def deficit(self, area: str) -> Deficit | None:
        return next((d for d in self.deficits if d.area == area), None)


def instrument_from(raw: Mapping) -> Instrument:
    """An instrument from its JSON shape (the reference file, the REST body, the table's row), checked:
    codes, at least one area and level, thresholds within the score range, ascending, of known levels."""
    code = str(raw.get("code") or "")
    if not _CODE.fullmatch(code):
        raise DiagnosticsError("code", "Код инструмента: латинские строчные буквы, цифры и «_», до 64 символов")
    name = " ".join(str(raw.get("name") or "").split())
    if not 1 <= len(name) <= 300:
        raise DiagnosticsError("name", "Название инструмента: от 1 до 300 символов")
    max_score = Decimal(str(raw.get("maxScore", raw.get("max_score", 100))))
    if max_score <= 0:
        raise DiagnosticsError("maxScore", "Наибольший балл должен быть больше нуля")
    levels = tuple((str(lv["code"]), str(lv["title"])) for lv in raw.get("levels") or ())
    if not levels or len({c for c, _ in levels}) != len(levels) or not all(_CODE.fullmatch(c) for c, _ in levels):
        raise DiagnosticsError("levels", "Уровни дефицита: хотя бы один, коды различны")
    areas = tuple(_area(a, max_score, {c for c, _ in levels}) for a in raw.get("areas") or ())
    if not areas or len({a.code for a in areas}) != len(areas):
        raise DiagnosticsError("areas", "Области компетенций: хотя бы одна, коды различны")
    return Instrument(code, name, max_score, levels, areas)


def _area(raw: Mapping, max_score: Decimal, levels: set[str]) -> Area:
    code = str(raw.get("code") or "")
    if not _CODE.fullmatch(code):
        raise DiagnosticsError("areas", f"Код области «{code}»: латинские строчные буквы, цифры и «_»")
    title = " ".join(str(raw.get("title") or "").split())
    if not title:
        raise DiagnosticsError("areas", f"У области {code} нет названия")
    thresholds = tuple(Threshold(Decimal(str(t["below"])), str(t["level"])) for t in raw.get("thresholds") or ())
    if not thresholds:
        raise DiagnosticsError("areas", f"У области {code} нет порогов")
    belows = [t.below for t in thresholds]
    if belows != sorted(set(belows)) or belows[0] <= 0 or belows[-1] > max_score:
        raise DiagnosticsError("areas", f"Пороги области {code}: по возрастанию, больше 0 и не больше "
                                        f"наибольшего балла {max_score}")
    unknown = [t.level for t in thresholds if t.level not in levels]
    if unknown:
        raise DiagnosticsError("areas", f"Порог области {code} называет неизвестный уровень {unknown[0]}")
    keywords = tuple(str(k) for k in raw.get("keywords") or () if str(k).strip())
    return Area(code, title, thresholds, keywords)


def instrument_json(i: Instrument) -> dict:
    """The instrument as stored and answered (the shape instrument_from reads)."""
    return {"code": i.code, "name": i.name, "maxScore": float(i.max_score),
            "levels": [{"code": c, "title": t} for c, t in i.levels],
            "areas": [{"code": a.code, "title": a.title,
                       "thresholds": [{"below": float(t.below), "level": t.level} for t in a.thresholds],
                       "keywords": list(a.keywords)}
                      for a in i.areas]}


def deficit_of(area: Area, score: Decimal) -> Deficit | None:
    """The deficit a score shows in an area: the level of the lowest threshold the score is strictly below."""
    for t in area.thresholds:
        if score < t.below:
            return Deficit(area.code, t.level)
    return None


def check_scores(instrument: Instrument, scores: Mapping[str, Decimal | float | int | str]) -> dict[str, Decimal]:
    """Every area of the instrument scored once, within 0..maxScore; nothing else."""
    unknown = sorted(set(scores) - {a.code for a in instrument.areas})
    if unknown:
        raise DiagnosticsError("scores", f"В инструменте «{instrument.name}» нет областей: {', '.join(unknown)}")
    missing = [a.title for a in instrument.areas if a.code not in scores]
    if missing:
        raise DiagnosticsError("scores", f"Нет балла по областям: {', '.join(missing)}")
    out = {}
    for code, value in scores.items():
        score = Decimal(str(value))
        if not 0 <= score <= instrument.max_score:
            raise DiagnosticsError("scores", f"Балл по области «{instrument.area(code).title}» — от 0 до "
                                             f"{instrument.max_score}")
        out[code] = score
    return out


def diagnose(result_id: UUID, person_id: UUID, instrument: Instrument, taken_on: date, scores: Mapping,
             today: date) -> Result:
    """A checked result with its deficits (in the instrument's order of areas)."""
    if taken_on > today:
        raise DiagnosticsError("date", "Дата диагностики не может быть в будущем")
    checked = check_scores(instrument, scores)
    deficits = tuple(d for d in (deficit_of(a, checked[a.code]) for a in instrument.areas) if d)
    return Result(result_id, person_id, instrument.code, taken_on, checked, deficits)


def latest(results: Iterable[Result], as_of: date | None = None) -> Result | None:
    """The latest result taken on or before `as_of` (of any instrument); ties go to the later recorded (the
    caller passes results in the order they were recorded)."""
    best = None
    for r in results:
        if (as_of is None or r.taken_on <= as_of) and (best is None or r.taken_on >= best.taken_on):
            best = r
    return best
