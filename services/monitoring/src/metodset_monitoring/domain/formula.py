"""Formulas as data: an indicator's numerator and denominator are each a query over `facts`, written as JSON
by whoever keeps the catalogue. Parsed with Russian errors naming the place at fault, and compiled to one
set-based SQL statement per part and period (values for the region, every municipality and organisation at
once, by GROUPING SETS). Pure: no I/O.

A fact query:
    {"kind": "employment",                       # facts.kind
     "measure": "persons",                       # count | persons | organisations | sum (of facts.value)
     "when": "active_at_end",                    # any | active_at_end | active_during | started_in | period_attr
     "withinYears": 3,                           # optional: began within N years up to the period's end
     "where": [{"field": "attrs.group", "op": "eq", "value": "pedagogical"}],
     "exists": {"kind": "course", "when": "any", "withinYears": 3, "match": "person", "negate": false},
     "attribute": "own"}                         # own | employment: counted where the person's main job is
A value may be relative to the period: {"endYearMinus": 35}."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from metodset_kit.errors import DomainError

from .periods import Period


class Measure(StrEnum):
    COUNT = "count"
    PERSONS = "persons"
    ORGANISATIONS = "organisations"
    SUM = "sum"


class When(StrEnum):
    ANY = "any"
    ACTIVE_AT_END = "active_at_end"      # lasted on the period's last day
    ACTIVE_DURING = "active_during"      # overlapped the period
    STARTED_IN = "started_in"            # began within the period
    PERIOD_ATTR = "period_attr"          # attrs.period names the period (campaign values, plans)


class Attribute(StrEnum):
    OWN = "own"                # the fact's own organisation and municipality
    EMPLOYMENT = "employment"  # the person's main employment on the period's last day


OPS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "is_null", "not_null")
COLUMNS = ("value", "organisation_id", "municipality_oktmo", "person_id", "record_id")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ATTR = re.compile(r"^attrs\.([a-zA-Z][a-zA-Z0-9_]{0,63})$")


class BadFormula(DomainError):
    def __init__(self, where: str, message: str):
        where = where.lstrip(".")  # a definition parsed at the top of a request body has no prefix
        super().__init__(where, f"{where}: {message}", "invalid_formula")

    def as_detail(self) -> dict:
        """The place as a path, like FastAPI's own `loc` (the gateway names the field from it)."""
        return {**super().as_detail(), "loc": [self.where, *self.field.split(".")]}


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Exists:
    kind: str
    when: When = When.ANY
    within_years: int | None = None
    where: tuple[Condition, ...] = ()
    match: str = "person"
    negate: bool = False


def _dated(when: When, within_years: int | None) -> bool:
    """A fact dated after a period's end cannot change that period's value under this condition."""
    return when not in (When.ANY, When.PERIOD_ATTR) or within_years is not None


@dataclass(frozen=True)
class FactQuery:
    kind: str
    measure: Measure = Measure.COUNT
    when: When = When.ANY
    within_years: int | None = None
    where: tuple[Condition, ...] = ()
    exists: Exists | None = None
    attribute: Attribute = Attribute.OWN

    def dated(self) -> bool:
        return _dated(self.when, self.within_years) and (self.exists is None or _dated(self.exists.when,
                                                                                       self.exists.within_years))

    def kinds(self) -> set[str]:
        out = {self.kind}
        if self.exists:
            out.add(self.exists.kind)
        if self.attribute is Attribute.EMPLOYMENT:
            out.add("employment")
        return out


@dataclass(frozen=True)
class Formula:
    numerator: FactQuery
    denominator: FactQuery | None = None
    scale: float = 1.0  # 100 for "per 100 ..."

    def kinds(self) -> set[str]:
        return self.numerator.kinds() | (self.denominator.kinds() if self.denominator else set())

    def parts(self) -> list[FactQuery]:
        return [self.numerator, *([self.denominator] if self.denominator else [])]

    def value(self, numerator: float, denominator: float | None) -> float | None:
        """None when a ratio's denominator is zero: not computable, which is not the same as zero."""
        if self.denominator is None:
            return round(self.scale * numerator, 6)
        if not denominator:
            return None
        return round(self.scale * numerator / denominator, 6)


# --- parsing ----------------------------------------------------------------------------------------------

def parse_formula(data: Any, where: str = "formula") -> Formula:
    _object(data, where, {"numerator", "denominator", "scale"})
    if "numerator" not in data:
        raise BadFormula(where, "нужен числитель (numerator)")
    scale = data.get("scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or scale <= 0:
        raise BadFormula(f"{where}.scale", "множитель должен быть положительным числом")
    den = data.get("denominator")
    return Formula(parse_query(data["numerator"], f"{where}.numerator"),
                   parse_query(den, f"{where}.denominator") if den is not None else None, float(scale))


def parse_query(data: Any, where: str) -> FactQuery:
    _object(data, where, {"kind", "measure", "when", "withinYears", "where", "exists", "attribute"})
    return FactQuery(
        kind=_kind(data.get("kind"), f"{where}.kind"),
        measure=choice(Measure, data.get("measure", "count"), f"{where}.measure"),
        when=choice(When, data.get("when", "any"), f"{where}.when"),
        within_years=_years(data.get("withinYears"), f"{where}.withinYears"),
        where=_conditions(data.get("where", []), f"{where}.where"),
        exists=_exists(data["exists"], f"{where}.exists") if data.get("exists") is not None else None,
        attribute=choice(Attribute, data.get("attribute", "own"), f"{where}.attribute"),
    )


def _exists(data: Any, where: str) -> Exists:
    _object(data, where, {"kind", "when", "withinYears", "where", "match", "negate"})
    match = data.get("match", "person")
    if match not in ("person", "organisation"):
        raise BadFormula(f"{where}.match", "допустимо person или organisation")
    negate = data.get("negate", False)
    if not isinstance(negate, bool):
        raise BadFormula(f"{where}.negate", "ожидается true или false")
    return Exists(kind=_kind(data.get("kind"), f"{where}.kind"),
                  when=choice(When, data.get("when", "any"), f"{where}.when"),
                  within_years=_years(data.get("withinYears"), f"{where}.withinYears"),
                  where=_conditions(data.get("where", []), f"{where}.where"), match=match, negate=negate)


def _object(data: Any, where: str, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise BadFormula(where, "ожидается объект")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadFormula(f"{where}.{unknown[0]}", f"неизвестное поле; допустимы: {', '.join(sorted(allowed))}")


def _kind(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise BadFormula(where, "нужен вид фактов (латиница, цифры, _)")
    return value


def choice(cls, value: Any, where: str):
    """A member of the enum, or a BadFormula naming the place and the members allowed."""
    try:
        return cls(value)
    except ValueError:
        raise BadFormula(where, f"допустимо: {', '.join(m.value for m in cls)}") from None


def _years(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
        raise BadFormula(where, "число лет от 1 до 50")
    return value


def _conditions(data: Any, where: str) -> tuple[Condition, ...]:
    if not isinstance(data, list):
        raise BadFormula(where, "ожидается список условий")
    return tuple(_condition(c, f"{where}[{i}]") for i, c in enumerate(data))


def _condition(data: Any, where: str) -> Condition:
    _object(data, where, {"field", "op", "value"})
    name = data.get("field")
    if not isinstance(name, str) or not (name in COLUMNS or _ATTR.match(name)):
        raise BadFormula(f"{where}.field", f"поле: attrs.<имя> или одно из {', '.join(COLUMNS)}")
    op = data.get("op", "eq")
    if op not in OPS:
        raise BadFormula(f"{where}.op", f"допустимо: {', '.join(OPS)}")
    value = data.get("value")
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value or not all(_scalar(v) for v in value):
            raise BadFormula(f"{where}.value", "нужен непустой список значений")
    elif op in ("gt", "gte", "lt", "lte"):
        if not (_number(value) or _relative(value)):
            raise BadFormula(f"{where}.value", "нужно число или {\"endYearMinus\": N}")
    elif op in ("eq", "ne") and not _scalar(value):
        raise BadFormula(f"{where}.value", "нужно значение (строка, число или true/false)")
    return Condition(name, op, value)


def _scalar(v: Any) -> bool:
    return isinstance(v, str | int | float | bool)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _relative(v: Any) -> bool:
    return isinstance(v, dict) and set(v) == {"endYearMinus"} and _number(v["endYearMinus"])


def dump_formula(f: Formula) -> dict:
    """The JSON form parse_formula reads (what the catalogue stores)."""
    out: dict[str, Any] = {"numerator": dump_query(f.numerator)}
    if f.denominator:
        out["denominator"] = dump_query(f.denominator)
    if f.scale != 1:
        out["scale"] = f.scale
    return out


def dump_query(q: FactQuery | Exists) -> dict:
    out: dict[str, Any] = {"kind": q.kind, "when": q.when.value}
    if isinstance(q, FactQuery):
        out |= {"measure": q.measure.value, "attribute": q.attribute.value}
        if q.exists:
            out["exists"] = dump_query(q.exists)
    else:
        out |= {"match": q.match, "negate": q.negate}
    if q.within_years:
        out["withinYears"] = q.within_years
    if q.where:
        out["where"] = [{"field": c.field, "op": c.op, **({"value": c.value} if c.value is not None else {})}
                        for c in q.where]
    return out


# --- compiling --------------------------------------------------------------------------------------------

@dataclass
class Sql:
    """Parameters of one statement: $1 the period's first day, $2 its last day, $3 its code, then the rest."""

    period: Period
    params: list[Any] = field(default_factory=list)

    def __post_init__(self):
        self.params = [self.period.start, self.period.end, self.period.code]

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}"


def _when(a: str, when: When, within_years: int | None, sql: Sql) -> list[str]:
    begins = f"coalesce({a}.valid_from, '-infinity'::date)"
    out = {
        When.ANY: [],
        When.ACTIVE_AT_END: [f"{begins} <= $2", f"({a}.valid_to is null or {a}.valid_to >= $2)"],
        When.ACTIVE_DURING: [f"{begins} <= $2", f"({a}.valid_to is null or {a}.valid_to >= $1)"],
        When.STARTED_IN: [f"{a}.valid_from between $1 and $2"],
        When.PERIOD_ATTR: [f"{a}.attrs->>'period' = $3"],
    }[when]
    if within_years:
        since = sql.period.end.replace(year=sql.period.end.year - within_years)
        out.append(f"{a}.valid_from > {sql.param(since)}")
        out.append(f"{a}.valid_from <= $2")
    return out


def _value(v: Any, period: Period) -> Any:
    if isinstance(v, dict):
        return period.end_year - v["endYearMinus"]
    return v


def _text(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _condition_sql(a: str, c: Condition, sql: Sql) -> str:
    attr = _ATTR.match(c.field)
    column = f"{a}.attrs->>'{attr[1]}'" if attr else f"{a}.{c.field}::text"
    if c.op == "is_null":
        return f"{column} is null"
    if c.op == "not_null":
        return f"{column} is not null"
    if c.op in ("gt", "gte", "lt", "lte"):
        numeric = f"({column})::numeric" if attr else f"{a}.{c.field}"
        sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[c.op]
        return f"{numeric} {sign} {sql.param(_value(c.value, sql.period))}"
    values = c.value if c.op in ("in", "not_in") else [c.value]
    p = sql.param([_text(v) for v in values])
    if c.op in ("ne", "not_in"):
        return f"({column} is null or not {column} = any({p}::text[]))"
    return f"{column} = any({p}::text[])"


def _exists_sql(e: Exists, sql: Sql) -> str:
    on = "x.person_id = f.person_id" if e.match == "person" else "x.organisation_id = f.organisation_id"
    parts = [f"x.kind = {sql.param(e.kind)}", on, *_when("x", e.when, e.within_years, sql),
             *(_condition_sql("x", c, sql) for c in e.where)]
    return f"{'not ' if e.negate else ''}exists (select 1 from facts x where {' and '.join(parts)})"


@dataclass(frozen=True)
class Compiled:
    source: str  # from ... where ...
    organisation: str
    municipality: str
    measure: str
    params: list[Any]


_EMPLOYMENT_JOIN = ("join facts e on e.kind = 'employment' and e.person_id = f.person_id "
                    "and e.attrs->>'main' = 'true' and coalesce(e.valid_from, '-infinity'::date) <= $2 "
                    "and (e.valid_to is null or e.valid_to >= $2)")


def compile_query(q: FactQuery, period: Period) -> Compiled:
    sql = Sql(period)
    # the period's parameters typed once, whether or not a condition reads them
    parts = ["$1::date <= $2::date and $3::text is not null", f"f.kind = {sql.param(q.kind)}",
             *_when("f", q.when, q.within_years, sql),
             *(_condition_sql("f", c, sql) for c in q.where)]
    if q.exists:
        parts.append(_exists_sql(q.exists, sql))
    by_employment = q.attribute is Attribute.EMPLOYMENT
    a = "e" if by_employment else "f"
    source = f"from facts f {_EMPLOYMENT_JOIN if by_employment else ''} where {' and '.join(parts)}"
    measure = {
        Measure.COUNT: "count(distinct f.record_id)",
        Measure.PERSONS: "count(distinct f.person_id)",
        Measure.ORGANISATIONS: f"count(distinct {a}.organisation_id)",
        Measure.SUM: "coalesce(sum(f.value), 0)",
    }[q.measure]
    return Compiled(source, f"{a}.organisation_id", f"{a}.municipality_oktmo", measure, sql.params)


def totals_sql(c: Compiled) -> str:
    """The measure for the region, each municipality and each organisation, in one pass."""
    m, o = c.municipality, c.organisation
    return (f"select {m} as municipality_oktmo, {o} as organisation_id, grouping({m}) as gm, grouping({o}) as go, "
            f"{c.measure} as v {c.source} group by grouping sets ((), ({m}), ({m}, {o}))")


def records_sql(c: Compiled, scope: str, after: str | None, limit: str) -> str:
    """The records behind a value (drill-down), ordered by record id; scope is a condition on the columns
    {municipality} / {organisation}, formatted in."""
    where = scope.format(municipality=c.municipality, organisation=c.organisation)
    keyset = f" and f.record_id > {after}" if after else ""
    return (f"select distinct f.record_id, f.person_id, {c.organisation} as organisation_id, "
            f"{c.municipality} as municipality_oktmo {c.source} and {where}{keyset} "
            f"order by f.record_id limit {limit}")
