"""REST over the indicator catalogue, computed values, the records behind them and ratings."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import Forbidden, NotFound, visible_or_missing
from metodset_kit.pagination import Ordering, Page, decode_cursor, next_cursor

from .compute import definitions, recompute
from .domain.access import sees_persons, sees_records, sees_value
from .domain.catalogue import Direction, IndicatorDefinition, dump_definition, parse_definition
from .domain.formula import compile_query, records_sql
from .domain.periods import Period, PeriodKind, containing, parse
from .domain.ratings import COMPOSITE, composite, ranked, with_previous
from .domain.values import Level

router = APIRouter(tags=["indicators"])
_DRILL = Ordering("indicator-records", (("record_id", str),))


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class PeriodValue(_Model):
    period: str
    value: float | None


class IndicatorValue(_Model):
    code: str
    title: str
    unit: str
    direction: str
    target: float | None
    threshold: float | None
    period: str
    level: Level
    subject: str = Field(description="region, код ОКТМО или id организации")
    municipality_oktmo: str | None
    numerator: float
    denominator: float | None
    value: float | None
    dynamics: list[PeriodValue] = Field(description="Значения за предыдущие и текущий периоды, по возрастанию")


class IndicatorRecord(_Model):
    record_id: str
    person_id: str | None = Field(description="Работник, о котором запись; null — для аналитика или не о работнике")
    organisation_id: str | None
    municipality_oktmo: str | None


class RatingPlace(_Model):
    rank: int
    subject: str
    municipality_oktmo: str | None
    value: float
    previous_rank: int | None
    rank_change: int | None = Field(description="На сколько мест поднялся с прошлого года (отрицательно — опустился)")


def _missing(code: str) -> NotFound:
    return NotFound("code", f"Показатель {code[:64]} не найден", where="query")


async def _definition(conn, code: str) -> IndicatorDefinition:
    found = await definitions(conn, [code])
    visible_or_missing(bool(found), _missing(code))
    return found[0]


def _period(definition: IndicatorDefinition, period: str | None) -> Period:
    return parse(period) if period else containing(date.today(), definition.period_kind)


@router.get("/indicator-definitions", operation_id="indicatorDefinitions",
            summary="Каталог показателей: формулы, единицы, направление, пороги и цели")
async def list_definitions(request: Request, _: CurrentPrincipal) -> list[dict[str, Any]]:
    async with request.app.state.pool.acquire() as conn:
        return [dump_definition(d) for d in await definitions(conn)]


@router.put("/indicator-definitions/{code}", operation_id="putIndicatorDefinition",
            summary="Добавить или изменить показатель (региональный координатор); значения пересчитываются "
                    "за текущий и прошлые периоды")
async def put_definition(request: Request, principal: CurrentPrincipal, code: str,
                         definition: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    if not principal.may_manage_region():
        raise Forbidden("Изменять каталог показателей может только региональный координатор")
    parsed = parse_definition({**definition, "code": code}, "")
    dumped = dump_definition(parsed)
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        await conn.execute("insert into indicators (code, definition, edited) values ($1, $2::jsonb, true) "
                           "on conflict (code) do update set definition = excluded.definition, edited = true, "
                           "updated_at = now()", code, dumped)
        await recompute(conn, [parsed], date.today(), request.app.state.recomputer.hooks
                        if hasattr(request.app.state, "recomputer") else ())
    return dumped


_VALUES = """
select v.*, d.period_values from indicator_values v
  left join lateral (select json_agg(json_build_object('period', p.period, 'value', p.value) order by p.period)
                       as period_values
                       from indicator_values p where p.code = v.code and p.level = v.level and p.subject = v.subject
                        and p.period <= v.period) d on true
 where v.code = $1 and v.period = $2 and v.level = $3 and ($4::text is null or v.municipality_oktmo = $4)
 order by v.subject
"""


def _value(d: IndicatorDefinition, row) -> IndicatorValue:
    return IndicatorValue(code=d.code, title=d.title, unit=d.unit, direction=d.direction.value, target=d.target,
                          threshold=d.threshold, period=row["period"], level=Level(row["level"]),
                          subject=row["subject"], municipality_oktmo=row["municipality_oktmo"],
                          numerator=float(row["numerator"]),
                          denominator=None if row["denominator"] is None else float(row["denominator"]),
                          value=row["value"],
                          dynamics=[PeriodValue(**p) for p in row["period_values"] or []])


@router.get("/indicator-values", operation_id="indicatorValues", response_model=list[IndicatorValue],
            summary="Значения показателей за период на уровне (регион, муниципалитеты, организации) с динамикой",
            description="Без code — все показатели каталога; без period — текущий период показателя. Видны только "
                        "значения в области доступа вызывающего (чужие муниципалитеты — если регион публикует "
                        "показатель).")
async def indicator_values(request: Request, principal: CurrentPrincipal, level: Level = Level.MUNICIPALITY,
                           code: str | None = None, period: str | None = None,
                           oktmo: Annotated[str | None, Query(description="Только этот муниципалитет")] = None):
    out = []
    async with request.app.state.pool.acquire() as conn:
        defs = [await _definition(conn, code)] if code else await definitions(conn)
        for d in defs:
            p = _period(d, period)
            for row in await conn.fetch(_VALUES, d.code, p.code, level.value, oktmo):
                if sees_value(principal, level, row["subject"], row["municipality_oktmo"], d.published):
                    out.append(_value(d, row))
    return out


async def _subject_municipality(conn, level: Level, subject: str) -> str | None:
    if level is Level.MUNICIPALITY:
        return subject
    if level is Level.ORGANISATION:
        return await conn.fetchval("select municipality_oktmo from facts where kind = 'organisation' "
                                   "and record_id = $1", subject)
    return None


@router.get("/indicator-values/{code}/records", operation_id="indicatorRecords",
            response_model=Page[IndicatorRecord],
            summary="Записи, стоящие за значением (числитель или знаменатель), страница по курсору",
            description="404, если показатель или субъект вне области доступа. Аналитику работники не "
                        "показываются (personId = null).")
async def indicator_records(request: Request, principal: CurrentPrincipal, code: str, period: str | None = None,
                            level: Level = Level.REGION, subject: str = "region",
                            part: Annotated[str, Query(pattern="^(numerator|denominator)$")] = "numerator",
                            first: Annotated[int, Query(ge=0, le=500)] = 50, after: str | None = None):
    async with request.app.state.pool.acquire() as conn:
        d = await _definition(conn, code)
        municipality = await _subject_municipality(conn, level, subject)
        visible_or_missing(sees_records(principal, level, subject, municipality),
                           NotFound("subject", "Значение показателя не найдено", where="query"))
        query = d.formula.numerator if part == "numerator" else d.formula.denominator
        if query is None:
            return Page[IndicatorRecord](items=[], next_cursor=None, total_count=0)
        compiled = compile_query(query, _period(d, period))
        params = list(compiled.params)
        scope = "true"
        if level is not Level.REGION:
            params.append(subject)
            column = "{municipality}" if level is Level.MUNICIPALITY else "{organisation}::text"
            scope = f"{column} = ${len(params)}"
        start = None
        if after:
            params.append(decode_cursor(_DRILL, after)[0])
            start = f"${len(params)}"
        params.append(first + 1)
        rows = await conn.fetch(records_sql(compiled, scope, start, f"${len(params)}"), *params)
        total = await conn.fetchval(f"select count(*) from ({records_sql(compiled, scope, None, 'all')}) r",
                                    *params[:len(compiled.params) + (level is not Level.REGION)])
    persons = sees_persons(principal)
    items = [IndicatorRecord(record_id=r["record_id"], person_id=str(r["person_id"]) if persons and r["person_id"]
                             else None, organisation_id=r["organisation_id"] and str(r["organisation_id"]),
                             municipality_oktmo=r["municipality_oktmo"]) for r in rows[:first]]
    return Page[IndicatorRecord](items=items, next_cursor=next_cursor(_DRILL, rows, first), total_count=total)


async def _level_values(conn, code: str, period: str, level: Level) -> dict[str, tuple[float | None, str | None]]:
    rows = await conn.fetch("select subject, value, municipality_oktmo from indicator_values "
                            "where code = $1 and period = $2 and level = $3", code, period, level.value)
    return {r["subject"]: (r["value"], r["municipality_oktmo"]) for r in rows}


async def _ranking(conn, code: str, period: Period, level: Level):
    if code != COMPOSITE:
        d = await _definition(conn, code)
        current = await _level_values(conn, code, period.code, level)
        before = await _level_values(conn, code, period.previous().code, level)
        places = with_previous(ranked({s: v for s, (v, _) in current.items()}, d.direction),
                               ranked({s: v for s, (v, _) in before.items()}, d.direction))
        return places, {s: m for s, (_, m) in current.items()}, d.published
    weights = {r["code"]: r["weight"] for r in await conn.fetch("select code, weight from rating_weights")}
    defs = {d.code: d for d in await definitions(conn, list(weights))}
    directions = {c: d.direction for c, d in defs.items()}
    scores, where = {}, {}
    for p in (period, period.previous()):
        by_code = {}
        for c in defs:
            vals = await _level_values(conn, c, p.code, level)
            by_code[c] = {s: v for s, (v, _) in vals.items()}
            if p is period:
                where.update({s: m for s, (_, m) in vals.items()})
        scores[p.code] = composite(by_code, directions, weights)
    places = with_previous(ranked(scores[period.code], Direction.HIGHER),
                           ranked(scores[period.previous().code], Direction.HIGHER))
    return places, where, all(d.published for d in defs.values())


@router.get("/ratings", operation_id="indicatorRating", response_model=list[RatingPlace],
            summary="Рейтинг муниципалитетов или организаций по показателю или по сводному индексу "
                    "(code=composite, веса — rating_weights) с изменением места за год")
async def rating(request: Request, principal: CurrentPrincipal, code: str, period: str | None = None,
                 level: Annotated[Level, Query(description="municipality или organisation")] = Level.MUNICIPALITY):
    if level is Level.REGION:
        raise NotFound("level", "Рейтинг строится по муниципалитетам или организациям", where="query")
    async with request.app.state.pool.acquire() as conn:
        kind = (await _definition(conn, code)).period_kind if code != COMPOSITE else None
        p = parse(period) if period else containing(date.today(), kind or PeriodKind.ACADEMIC_YEAR)
        places, where, published = await _ranking(conn, code, p, level)
    return [RatingPlace(rank=x.rank, subject=x.subject, municipality_oktmo=where.get(x.subject), value=x.value,
                        previous_rank=x.previous_rank, rank_change=x.rank_change)
            for x in places if sees_value(principal, level, x.subject, where.get(x.subject), published)]


class Weight(_Model):
    code: str
    weight: float = Field(gt=0)


@router.get("/rating-weights", operation_id="ratingWeights", response_model=list[Weight],
            summary="Веса показателей в сводном рейтинге")
async def get_weights(request: Request, _: CurrentPrincipal):
    rows = await request.app.state.pool.fetch("select code, weight from rating_weights order by code")
    return [Weight(code=r["code"], weight=r["weight"]) for r in rows]


@router.put("/rating-weights", operation_id="putRatingWeights", response_model=list[Weight],
            summary="Заменить веса сводного рейтинга (региональный координатор)")
async def put_weights(request: Request, principal: CurrentPrincipal, weights: list[Weight]):
    if not principal.may_manage_region():
        raise Forbidden("Изменять веса рейтинга может только региональный координатор")
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        known = {d.code for d in await definitions(conn, [w.code for w in weights])}
        for i, w in enumerate(weights):
            visible_or_missing(w.code in known, NotFound(f"{i}.code", f"Показатель {w.code[:64]} не найден"))
        await conn.execute("delete from rating_weights")
        await conn.executemany("insert into rating_weights (code, weight) values ($1, $2)",
                               [(w.code, w.weight) for w in weights])
    return weights
