"""REST reports over indicator values: the indicator table and the rating in xlsx, the rating and dynamics
charts in PNG. The same scope as the indicator endpoints: other municipalities only where the indicator is
published; a chart of what the caller may not see answers 404, as a missing one. Aggregates only: no persons."""
from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.scope import Principal
from metodset_kit.tabular.api import xlsx_response

from . import charts
from .compute import HISTORY_YEARS, definitions
from .domain.access import sees_value
from .domain.catalogue import IndicatorDefinition
from .domain.periods import Period, PeriodKind, containing, parse
from .domain.ratings import COMPOSITE
from .domain.reports import REGION, REPORT_TITLE, bars, history, indicator_table, rating_rows, series
from .domain.values import Level
from .indicators_api import _definition, _period, _ranking
from .indicators_report import indicators_workbook, rating_workbook
from .names import names

router = APIRouter(tags=["reports"])
COMPOSITE_TITLE = "Сводный рейтинг (взвешенный индекс показателей, 0–1)"
Oktmo = Annotated[str, Query(pattern=r"^\d{8}(\d{3})?$", description="Код ОКТМО муниципалитета")]
Code = Annotated[str, Query(max_length=64, description="Код показателя; composite — сводный рейтинг")]
PeriodParam = Annotated[str | None, Query(max_length=16, description="2025/2026, 2026 или 2026-Q1; без него — "
                                                                     "текущий период")]


def _png(data: bytes) -> Response:
    return Response(data, media_type="image/png")


def _file_part(period: Period) -> str:
    return period.code.replace("/", "-")


_VALUES = ("select subject, period, value from indicator_values where code = $1 and period = any($2) "
           "and level in ('municipality', 'region')")


async def _series(conn, code: str, periods: list[Period]) -> dict[tuple[str, str], float | None]:
    rows = await conn.fetch(_VALUES, code, [p.code for p in periods])
    return {(r["subject"], r["period"]): r["value"] for r in rows}


def _visible(principal: Principal, published: bool, subjects) -> set[str]:
    return {s for s in subjects if s != REGION and sees_value(principal, Level.MUNICIPALITY, s, s, published)}


@router.get("/reports/indicators.xlsx", operation_id="indicatorsReport",
            summary="«Показатели эффективности методической работы» в xlsx: по муниципалитетам с динамикой за три "
                    "года, изменением, целью и строкой региона (без code — все показатели периода, лист на каждый)")
async def indicators_report(request: Request, principal: CurrentPrincipal, code: Annotated[
        str | None, Query(max_length=64)] = None, period: PeriodParam = None) -> Response:
    today = date.today()
    async with request.app.state.pool.acquire() as conn:
        if code:
            defs = [await _definition(conn, code)]
            current = _period(defs[0], period)
        else:
            current = parse(period) if period else containing(today, PeriodKind.ACADEMIC_YEAR)
            defs = [d for d in await definitions(conn) if d.period_kind is current.kind]
        periods = history(current, HISTORY_YEARS)
        tables = []
        for d in defs:
            values = await _series(conn, d.code, periods)
            tables.append(indicator_table(d, periods, values, _visible(principal, d.published, {s for s, _ in values}),
                                          await names(conn, {s for s, _ in values})))
    data = await asyncio.to_thread(indicators_workbook, tables, current, today)
    name = f"{REPORT_TITLE} {code + ' ' if code else ''}{_file_part(current)}.xlsx"
    return xlsx_response(data, name)


async def _rating(conn, principal: Principal, code: str, period: str | None, level: Level):
    if level is Level.REGION:
        raise NotFound("level", "Рейтинг строится по муниципалитетам или организациям", where="query")
    d: IndicatorDefinition | None = None if code == COMPOSITE else await _definition(conn, code)
    p = parse(period) if period else containing(date.today(), d.period_kind if d else PeriodKind.ACADEMIC_YEAR)
    places, where, published = await _ranking(conn, code, p, level)
    visible = {x.subject for x in places if sees_value(principal, level, x.subject, where.get(x.subject), published)}
    known = await names(conn, visible | {m for s, m in where.items() if s in visible and m})
    return d, p, rating_rows(places, where, visible, known)


@router.get("/reports/ratings.xlsx", operation_id="ratingReport",
            summary="Рейтинг муниципалитетов (или организаций) по показателю или сводный в xlsx: место, значение, "
                    "место за прошлый год и его изменение")
async def rating_report(request: Request, principal: CurrentPrincipal, code: Code, period: PeriodParam = None,
                        level: Annotated[Level, Query(description="municipality или organisation")]
                        = Level.MUNICIPALITY) -> Response:
    async with request.app.state.pool.acquire() as conn:
        d, p, rows = await _rating(conn, principal, code, period, level)
    data = await asyncio.to_thread(rating_workbook, d.title if d else COMPOSITE_TITLE, d.unit if d else "", p, rows,
                                   level is Level.ORGANISATION, date.today())
    return xlsx_response(data, f"Рейтинг {code} {_file_part(p)}.xlsx")


@router.get("/reports/charts/rating.png", operation_id="ratingChart", response_class=Response,
            responses={200: {"content": {"image/png": {}}}},
            summary="Рейтинг муниципалитетов по показателю (или сводный) — горизонтальная диаграмма, PNG")
async def rating_chart(request: Request, principal: CurrentPrincipal, code: Code,
                       period: PeriodParam = None) -> Response:
    async with request.app.state.pool.acquire() as conn:
        d, p, rows = await _rating(conn, principal, code, period, Level.MUNICIPALITY)
    title = f"{d.title if d else COMPOSITE_TITLE}, {p.code}"
    data = await asyncio.to_thread(charts.rating_png, title, d.unit if d else "", bars(rows), d and d.target)
    return _png(data)


@router.get("/reports/charts/dynamics.png", operation_id="dynamicsChart", response_class=Response,
            responses={200: {"content": {"image/png": {}}}},
            summary="Динамика показателя муниципалитета и региона по периодам — линейная диаграмма, PNG",
            description="404, если у муниципалитета нет значений за эти периоды или он вне области доступа.")
async def dynamics_chart(request: Request, principal: CurrentPrincipal, code: Annotated[str, Query(max_length=64)],
                         oktmo: Oktmo, period: PeriodParam = None) -> Response:
    async with request.app.state.pool.acquire() as conn:
        d = await _definition(conn, code)
        periods = history(_period(d, period), HISTORY_YEARS)
        values = await _series(conn, d.code, periods)
        known = await names(conn, [oktmo])
    mine = {pc: v for (s, pc), v in values.items() if s == oktmo}
    visible_or_missing(bool(mine) and sees_value(principal, Level.MUNICIPALITY, oktmo, oktmo, d.published),
                       NotFound("oktmo", "Значения показателя муниципалитета не найдены", where="query"))
    region = {pc: v for (s, pc), v in values.items() if s == REGION}
    codes, own = series(periods, mine)
    lines = [(known.get(oktmo, f"Муниципалитет {oktmo}"), own), ("Регион", series(periods, region)[1])]
    data = await asyncio.to_thread(charts.dynamics_png, d.title, d.unit, codes, lines, d.target)
    return _png(data)
