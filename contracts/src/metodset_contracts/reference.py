"""Reference catalogues (positions, subjects, kinds of methodical bodies, forms of mentoring, qualification
categories) as data a region can extend.

The JSON files in `reference/` are the starting data; services keep their own copy in their database and
a region adds items there. Events carry the stable `code`, people see the Russian `title`."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    extra: dict = field(default_factory=dict)  # group, level, olympiad, ...


@dataclass(frozen=True)
class Catalogue:
    name: str
    title: str
    source: str
    items: tuple[Item, ...]

    def codes(self) -> list[str]:
        return [i.code for i in self.items]

    def titles(self) -> dict[str, str]:
        return {i.code: i.title for i in self.items}

    def by_title(self) -> dict[str, str]:
        """Russian title (lower case) → code, for spreadsheets where people write titles."""
        return {i.title.lower(): i.code for i in self.items}


NAMES = ("positions", "subjects", "body_kinds", "mentoring_forms", "categories")  # seeded by the registry
EVENTS_NAMES = ("event_forms", "plan_directions")  # the events service's


@cache
def catalogue(name: str) -> Catalogue:
    if name not in NAMES + EVENTS_NAMES:
        raise KeyError(name)
    raw = json.loads(resources.files(__package__).joinpath("reference", f"{name}.json").read_text("utf-8"))
    items = tuple(Item(i["code"], i["title"], {k: v for k, v in i.items() if k not in ("code", "title")})
                  for i in raw["items"])
    return Catalogue(raw["catalogue"], raw["title"], raw["source"], items)


@cache
def diagnostic_instruments() -> tuple[dict, ...]:
    """The starting instruments of deficit diagnostics (code, name, maxScore, levels, areas with thresholds),
    as the JSON file has them; the registry seeds its table from it and a region adds its own."""
    raw = json.loads(resources.files(__package__).joinpath("reference", "diagnostic_instruments.json")
                     .read_text("utf-8"))
    return tuple(raw["items"])


@cache
def olympiad_stages() -> dict:
    """The olympiad's stages with the grades each admits, the ranking groups inside a subject and the default
    rule for winners and prize-winners, as the JSON file has them (the events service reads it as data)."""
    return json.loads(resources.files(__package__).joinpath("reference", "olympiad_stages.json").read_text("utf-8"))
