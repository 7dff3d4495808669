"""Computing indicator values from `facts`: set-based SQL per indicator and period (all levels at once),
stored with numerator and denominator; what changed goes to monitoring.indicators.v1 through the outbox and
to the hooks (recommendation rules), in the same transaction as the values."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date
from importlib import resources

import asyncpg

from metodset_contracts.indicators import IndicatorLevel, IndicatorThresholdCrossed, IndicatorValueChanged
from metodset_kit import outbox
from metodset_kit.events import Outgoing, now, outgoing

from .domain.catalogue import IndicatorDefinition, dump_definition, parse_definition
from .domain.computation import Total, Value, periods_to_recompute, stale, stored_totals, values
from .domain.formula import compile_query, totals_sql
from .domain.periods import Period, recent
from .domain.values import IndicatorValueChange, Level

SOURCE = "urn:metodset:monitoring"
HISTORY_YEARS = 3  # the current period and the two before it: dynamics across years

Hook = Callable[[asyncpg.Connection, list[IndicatorValueChange]], Awaitable[None]]


def shipped() -> dict:
    """The catalogue the service ships: indicators and rating weights (loaded into tables at start)."""
    return json.loads(resources.files(__package__).joinpath("indicators.json").read_text("utf-8"))


async def seed_catalogue(conn: asyncpg.Connection) -> None:
    """The shipped definitions, except those a coordinator has edited; weights only where none are set."""
    data = shipped()
    defs = [dump_definition(parse_definition(d, f"indicators.json[{i}]")) for i, d in enumerate(data["indicators"])]
    await conn.execute(
        "insert into indicators (code, definition) select c, d::jsonb from unnest($1::text[], $2::text[]) as t(c, d) "
        "on conflict (code) do update set definition = excluded.definition, updated_at = now() "
        "where not indicators.edited and indicators.definition <> excluded.definition",
        [d["code"] for d in defs], [json.dumps(d, ensure_ascii=False) for d in defs])
    weights = data.get("ratingWeights", {})
    await conn.execute("insert into rating_weights (code, weight) select * from unnest($1::text[], $2::float8[]) "
                       "on conflict do nothing", list(weights), [float(w) for w in weights.values()])


async def definitions(conn: asyncpg.Connection, codes: Iterable[str] | None = None) -> list[IndicatorDefinition]:
    rows = await conn.fetch("select definition from indicators where $1::text[] is null or code = any($1) "
                            "order by code", list(codes) if codes is not None else None)
    return [parse_definition(r["definition"]) for r in rows]


def periods_of(definition: IndicatorDefinition, today: date, years: int = HISTORY_YEARS) -> list[Period]:
    return recent(definition.period_kind, today, years)


async def _totals(conn: asyncpg.Connection, query, period: Period) -> list[Total]:
    compiled = compile_query(query, period)
    rows = await conn.fetch(totals_sql(compiled), *compiled.params)
    return [Total(r["municipality_oktmo"], r["organisation_id"] and str(r["organisation_id"]), r["gm"], r["go"],
                  float(r["v"])) for r in rows]


_STORED = ("select level, subject, municipality_oktmo, numerator, denominator, value from indicator_values "
           "where code = $1 and period = $2")


async def compute_values(conn: asyncpg.Connection, definition: IndicatorDefinition, period: Period,
                         dirty: dict[str, date | None] | None = None) -> list[Value]:
    """A part whose facts did not change is taken from the stored totals (when there are any)."""
    f = definition.formula
    stored = await conn.fetch(_STORED, definition.code, period.code) if dirty is not None else []
    parts = []
    for query, column in ((f.numerator, "numerator"), (f.denominator, "denominator")):
        if query is None:
            parts.append(None)
        elif stored and not stale(query, dirty):
            parts.append(stored_totals(stored, column))
        else:
            parts.append(await _totals(conn, query, period))
    return values(definition, parts[0], parts[1])
_WRITE = """
insert into indicator_values (code, period, level, subject, municipality_oktmo, numerator, denominator, value)
select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::float8[])
on conflict (code, period, level, subject) do update
   set municipality_oktmo = excluded.municipality_oktmo, numerator = excluded.numerator,
       denominator = excluded.denominator, value = excluded.value, computed_at = now()
"""
_DELETE = ("delete from indicator_values where code = $1 and period = $2 and (level, subject) in "
           "(select * from unnest($3::text[], $4::text[]))")


def _same(row, v: Value) -> bool:
    den = None if row["denominator"] is None else float(row["denominator"])
    return float(row["numerator"]) == v.numerator and den == v.denominator and row["value"] == v.value


async def store(conn: asyncpg.Connection, definition: IndicatorDefinition, period: Period,
                computed: list[Value]) -> list[tuple[IndicatorValueChange, Value | None]]:
    """Write what differs, delete subjects with no facts any more; the value changes (numerator and
    denominator may move while the value stays: stored, not announced)."""
    stored = {(Level(r["level"]), r["subject"]): r for r in await conn.fetch(_STORED, definition.code, period.code)}
    written = [v for v in computed if (v.level, v.subject) not in stored or not _same(stored[(v.level, v.subject)], v)]
    if written:
        await conn.execute(_WRITE, definition.code, period.code, [v.level.value for v in written],
                           [v.subject for v in written], [v.municipality_oktmo for v in written],
                           [v.numerator for v in written], [v.denominator for v in written],
                           [v.value for v in written])
    gone = set(stored) - {(v.level, v.subject) for v in computed}
    if gone:
        await conn.execute(_DELETE, definition.code, period.code, [k[0].value for k in gone], [k[1] for k in gone])
    out = []
    for v in written:
        before = stored.get((v.level, v.subject))
        previous = before["value"] if before else None
        if before is None or previous != v.value:
            out.append((IndicatorValueChange(definition.code, period.code, v.level, v.subject, v.value, previous), v))
    for key in gone:
        if stored[key]["value"] is not None:
            out.append((IndicatorValueChange(definition.code, period.code, key[0], key[1], None,
                                             stored[key]["value"]), None))
    return out


def announcements(definition: IndicatorDefinition, changed: Sequence[tuple[IndicatorValueChange, Value | None]],
                  at: str) -> list[Outgoing]:
    """monitoring.indicators.v1: every value change, and a threshold crossing where the value moved across it."""
    out = []
    for change, v in changed:
        facts = dict(code=change.code, period=change.period, level=IndicatorLevel(change.level.value),
                     subject=change.subject, municipality_oktmo=v.municipality_oktmo if v else None,
                     value=change.value, previous=change.previous)
        key = f"{change.code}:{change.subject}"
        subject = f"indicators/{change.code}/{change.period}/{change.level.value}/{change.subject}"
        out.append(outgoing(IndicatorValueChanged(**facts, numerator=v.numerator if v else 0.0,
                                                  denominator=v.denominator if v else None),
                            source=SOURCE, subject=subject, key=key, time=at))
        if definition.crossed(change.previous, change.value):
            out.append(outgoing(IndicatorThresholdCrossed(**facts, threshold=definition.threshold,
                                                          direction=definition.direction.value,
                                                          unfavourable=definition.on_wrong_side(change.value)),
                                source=SOURCE, subject=subject, key=key, time=at))
    return out


async def recompute(conn: asyncpg.Connection, defs: list[IndicatorDefinition], today: date,
                    hooks: Sequence[Hook] = (), dirty: dict[str, date | None] | None = None,
                    ) -> list[IndicatorValueChange]:
    """Recompute the given indicators in one transaction and announce the changes: every recent period, or
    with `dirty` (fact kind → earliest day changed) only the periods and parts the changes can move."""
    at = now()
    all_changes: list[IndicatorValueChange] = []
    async with conn.transaction():
        # whole-table aggregates: a nested loop chosen on jsonb filters' guessed selectivity costs
        # tens of thousands of index probes where one hash join reads each table once
        await conn.execute("set local enable_nestloop = off")
        for definition in defs:
            for period in periods_to_recompute(definition, periods_of(definition, today), dirty):
                computed = await compute_values(conn, definition, period, dirty)
                changed = await store(conn, definition, period, computed)
                if changed:
                    await outbox.add(conn, announcements(definition, changed, at))
                    all_changes.extend(c for c, _ in changed)
        if all_changes:
            for hook in hooks:
                await hook(conn, all_changes)
    return all_changes


async def claim_dirty(conn: asyncpg.Connection) -> dict[str, date | None]:
    """Fact kinds changed since the last round, each with the earliest day changed (None: since ever)."""
    rows = await conn.fetch("delete from facts_dirty returning kind, "
                            "case when since = '-infinity' then null else since end as since")
    return {r["kind"]: r["since"] for r in rows}


def affected(defs: list[IndicatorDefinition], kinds: set[str]) -> list[IndicatorDefinition]:
    return [d for d in defs if d.formula.kinds() & kinds]
