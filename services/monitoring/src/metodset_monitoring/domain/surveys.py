"""Needs surveys of staff (мониторинг потребностей): anonymous responses to a form, shown only as aggregates per
organisation, municipality and region, never a response or a person. Pure.

A group with fewer responses than the minimum group size is suppressed (its count and answers withheld). So
that a suppressed group cannot be recovered as its parent minus its shown siblings, when exactly one group
under a shown parent is suppressed the smallest of its siblings is suppressed too, and the organisations of
a suppressed municipality with it. Numbers give a count and a mean (never a minimum or maximum: an extreme
is one person's answer); choices give counts per option; texts, dates and files only how many answered."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from .forms import FieldType, Form

DEFAULT_MIN_GROUP = 5
LEVELS = ("region", "municipality", "organisation")


@dataclass(frozen=True)
class SurveyResponse:
    organisation_id: UUID
    municipality_oktmo: str
    values: dict[str, Any]


@dataclass(frozen=True)
class FieldSummary:
    field: str
    answered: int
    mean: float | None = None  # numbers
    options: dict[str, int] = field(default_factory=dict)  # choices: option code → how many chose it


@dataclass(frozen=True)
class GroupSummary:
    level: str  # region, municipality, organisation
    key: str  # "region", an ОКТМО, an organisation id
    municipality_oktmo: str | None
    responses: int | None  # None when suppressed
    suppressed: bool
    fields: list[FieldSummary]


def summarise_field(form_field, responses: Sequence[SurveyResponse]) -> FieldSummary:
    answers = [r.values[form_field.code] for r in responses if r.values.get(form_field.code) not in (None, "", [])]
    if form_field.type is FieldType.NUMBER:
        mean = round(sum(float(a) for a in answers) / len(answers), 2) if answers else None
        return FieldSummary(form_field.code, len(answers), mean=mean)
    if form_field.type is FieldType.CHOICE:
        counts = {o.code: 0 for o in form_field.options}
        for a in answers:
            for code in a if isinstance(a, list) else [a]:
                counts[code] = counts.get(code, 0) + 1
        return FieldSummary(form_field.code, len(answers), options=counts)
    return FieldSummary(form_field.code, len(answers))


def _group(form: Form, level: str, key: str, oktmo: str | None, responses: Sequence[SurveyResponse],
           min_group: int) -> GroupSummary:
    if len(responses) < min_group:
        return GroupSummary(level, key, oktmo, None, True, [])
    return GroupSummary(level, key, oktmo, len(responses), False, [summarise_field(f, responses) for f in form.fields])


def _hidden(g: GroupSummary) -> GroupSummary:
    return replace(g, responses=None, suppressed=True, fields=[])


def _protect_siblings(groups: list[GroupSummary], sizes: dict[str, int], parent_shown: bool) -> list[GroupSummary]:
    """Secondary suppression: one suppressed child under a shown parent takes its smallest sibling with it."""
    if not parent_shown or sum(g.suppressed for g in groups) != 1:
        return groups
    shown = [g for g in groups if not g.suppressed]
    if not shown:
        return groups
    smallest = min(shown, key=lambda g: (sizes[g.key], g.key))
    return [_hidden(g) if g is smallest else g for g in groups]


def aggregate(form: Form, responses: Iterable[SurveyResponse],
              min_group: int = DEFAULT_MIN_GROUP) -> list[GroupSummary]:
    """The region, each municipality, each organisation (in that order, by code); suppressed where too small."""
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    rs = list(responses)
    by_oktmo: dict[str, list[SurveyResponse]] = {}
    for r in rs:
        by_oktmo.setdefault(r.municipality_oktmo, []).append(r)
    region = _group(form, "region", "region", None, rs, min_group)
    municipalities = [_group(form, "municipality", m, m, by_oktmo[m], min_group) for m in sorted(by_oktmo)]
    municipalities = _protect_siblings(municipalities, {m: len(v) for m, v in by_oktmo.items()}, not region.suppressed)
    out = [region, *municipalities]
    for m in municipalities:
        by_org: dict[str, list[SurveyResponse]] = {}
        for r in by_oktmo[m.key]:
            by_org.setdefault(str(r.organisation_id), []).append(r)
        orgs = [_group(form, "organisation", o, m.key, by_org[o], min_group) for o in sorted(by_org)]
        if m.suppressed:  # its organisations add up to it
            orgs = [_hidden(g) for g in orgs]
        out += _protect_siblings(orgs, {o: len(v) for o, v in by_org.items()}, not m.suppressed)
    return out
