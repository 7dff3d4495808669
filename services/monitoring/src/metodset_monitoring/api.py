"""Indicators of municipalities, read from monitoring's own projections."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from metodset_kit.auth import CurrentPrincipal

from .domain.indicators import organisations_active

router = APIRouter(tags=["indicators"])


class IndicatorPublic(BaseModel):
    code: str
    value: float
    title: str


class MunicipalityIndicators(BaseModel):
    oktmo: str
    indicators: list[IndicatorPublic]


_COUNTS = """
select municipality_oktmo, kind, count(*) as n from organisation_facts
where active and municipality_oktmo = any($1) group by municipality_oktmo, kind
"""


@router.get("/indicators", operation_id="municipalityIndicators", response_model=list[MunicipalityIndicators],
            summary="Показатели муниципалитетов (по одному или нескольким кодам ОКТМО)")
async def indicators(request: Request, principal: CurrentPrincipal,
                     municipality: Annotated[list[str], Query(min_length=1, max_length=500)]):
    outside = [m for m in municipality if not principal.sees_municipality(m)]
    if outside:
        raise HTTPException(403, detail=f"Показатели муниципалитетов вне вашей области доступа: {', '.join(outside)}")
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(_COUNTS, municipality)
    counts: dict[str, dict[str, int]] = {m: {} for m in municipality}
    for r in rows:
        counts[r["municipality_oktmo"]][r["kind"]] = r["n"]
    return [
        MunicipalityIndicators(oktmo=m, indicators=[IndicatorPublic(**i.__dict__) for i in organisations_active(c)])
        for m, c in counts.items()
    ]
