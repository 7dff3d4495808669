"""REST entry points of deficit diagnostics: instruments, a person's results and deficits."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.pagination import Ordering

from ...deps import Pool
from ...domain.diagnostics import Instrument, Result, instrument_json
from ...staff.api import Cursor
from . import handlers
from .schemas import (
    AreaScore,
    DeficitList,
    DeficitPublic,
    DiagnosticCreate,
    DiagnosticPage,
    DiagnosticPublic,
    InstrumentPage,
    InstrumentShape,
    page,
)

router = APIRouter()
TAGS = ["diagnostics"]
INSTRUMENTS = Ordering("diagnostic_instruments", (("code", str),))
RESULTS = Ordering("diagnostic_results", (("date", str), ("id", str)))
Limit = Annotated[int, Query(ge=1, le=1000)]


def deficits_public(r: Result, instrument: Instrument | None) -> list[DeficitPublic]:
    def area_title(code: str) -> str:
        area = instrument.area(code) if instrument else None
        return area.title if area else code
    return [DeficitPublic(area=d.area, area_title=area_title(d.area), level=d.level,
                          level_title=instrument.level_title(d.level) if instrument else d.level,
                          diagnosed_on=r.taken_on, instrument=r.instrument) for d in r.deficits]


def diagnostic_public(r: Result, instrument: Instrument | None) -> DiagnosticPublic:
    order = [a.code for a in instrument.areas] if instrument else sorted(r.scores)
    titles = {a.code: a.title for a in instrument.areas} if instrument else {}
    return DiagnosticPublic(id=r.id, person_id=r.person_id, instrument=r.instrument,
                            instrument_name=instrument.name if instrument else r.instrument, date=r.taken_on,
                            scores=[AreaScore(area=a, area_title=titles.get(a, a), score=float(r.scores[a]))
                                    for a in order if a in r.scores],
                            deficits=deficits_public(r, instrument))


@router.get("/diagnostics/instruments", operation_id="listDiagnosticInstruments", tags=TAGS,
            summary="Инструменты диагностики профессиональных дефицитов (области, уровни, пороги)",
            response_model=InstrumentPage, response_model_by_alias=True)
async def list_instruments(principal: CurrentPrincipal, pool: Pool, limit: Limit = 50, after: Cursor = None):
    found = await handlers.instruments(pool)
    items, cursor, total = page(found, lambda i: (i.code,), INSTRUMENTS, after, limit)
    return InstrumentPage(items=[InstrumentShape.model_validate(instrument_json(i)) for i in items],
                          next_cursor=cursor, total_count=total)


@router.post("/diagnostics/instruments", status_code=201, operation_id="addDiagnosticInstrument", tags=TAGS,
             summary="Добавить инструмент диагностики (региональный координатор)",
             response_model=InstrumentShape, response_model_by_alias=True)
async def add_instrument(data: InstrumentShape, principal: CurrentPrincipal, pool: Pool):
    raw = data.model_dump(by_alias=True, mode="json")
    return InstrumentShape.model_validate(instrument_json(await handlers.add_instrument(pool, principal, raw)))


@router.post("/persons/{person_id}/diagnostics", status_code=201, operation_id="recordDiagnostic", tags=TAGS,
             summary="Записать результат диагностики работника: балл по каждой области; дефициты — по порогам",
             response_model=DiagnosticPublic, response_model_by_alias=True)
async def record_diagnostic(person_id: UUID, data: DiagnosticCreate, principal: CurrentPrincipal, pool: Pool):
    result, instrument = await handlers.record(pool, principal, person_id, data.instrument, data.date, data.scores)
    return diagnostic_public(result, instrument)


@router.get("/persons/{person_id}/diagnostics", operation_id="listDiagnostics", tags=TAGS,
            summary="Результаты диагностики работника, от ранних к поздним (чтение записывается в журнал)",
            response_model=DiagnosticPage, response_model_by_alias=True)
async def list_diagnostics(person_id: UUID, principal: CurrentPrincipal, pool: Pool, limit: Limit = 50,
                           after: Cursor = None):
    found = await handlers.read(pool, principal, person_id, "diagnostics.list")
    items, cursor, total = page(found.results, lambda r: (r.taken_on.isoformat(), str(r.id)), RESULTS, after, limit)
    return DiagnosticPage(items=[diagnostic_public(r, found.instruments.get(r.instrument)) for r in items],
                          next_cursor=cursor, total_count=total)


@router.get("/persons/{person_id}/deficits", operation_id="getDeficits", tags=TAGS,
            summary="Дефициты работника на дату: по последнему результату диагностики на эту дату",
            response_model=DeficitList, response_model_by_alias=True)
async def get_deficits(person_id: UUID, principal: CurrentPrincipal, pool: Pool,
                       as_of: Annotated[date | None, Query(alias="asOf")] = None):
    last, instrument = await handlers.deficits(pool, principal, person_id, as_of)
    return DeficitList(person_id=person_id, as_of=as_of or date.today(), result_id=last.id if last else None,
                       items=deficits_public(last, instrument) if last else [])
