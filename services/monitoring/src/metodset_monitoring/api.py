"""Indicators of municipalities, read from monitoring's own projections."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.hostile import prefix

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


_OKTMO = re.compile(r"^[0-9]{8}([0-9]{3})?$")


def is_municipality_code(oktmo: str) -> bool:
    """Whether a code can name a municipality (ОКТМО, 8 or 11 ASCII digits). Monitoring holds facts, not the
    directory: a well-formed code with no facts has zero indicators; any other code names no municipality."""
    return bool(_OKTMO.match(oktmo))


def _missing(oktmo: str) -> NotFound:
    return NotFound("municipality", f"Показатели муниципалитета {prefix(oktmo)} не найдены", where="query")


@router.get("/indicators", operation_id="municipalityIndicators", response_model=list[MunicipalityIndicators],
            summary="Показатели муниципалитетов (по одному или нескольким кодам ОКТМО)",
            description="404 not_found, если муниципалитет неизвестен или вне области доступа вызывающего "
                        "(оба случая отвечают одинаково).",
            responses={404: {"description": "Муниципалитет неизвестен или вне области доступа"}})
async def indicators(request: Request, principal: CurrentPrincipal,
                     municipality: Annotated[list[str], Query(min_length=1, max_length=500)]):
    for m in municipality:  # outside the caller's scope answers exactly like a code that names no municipality
        visible_or_missing(principal.sees_municipality(m) and is_municipality_code(m), _missing(m))
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(_COUNTS, municipality)
    counts: dict[str, dict[str, int]] = {m: {} for m in municipality}
    for r in rows:
        counts[r["municipality_oktmo"]][r["kind"]] = r["n"]
    return [
        MunicipalityIndicators(oktmo=m, indicators=[IndicatorPublic(**i.__dict__) for i in organisations_active(c)])
        for m, c in counts.items()
    ]
