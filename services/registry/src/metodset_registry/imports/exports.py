"""REST exports of the staff and bodies lists to xlsx, in their import templates' layout (they import back
unchanged). Registered before the routers holding /bodies/{id}, so that /bodies/export.xlsx is this route."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from metodset_contracts.bodies import BodyLevel
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.tabular.api import export
from metodset_kit.tabular.writing import XLSX_MEDIA_TYPE

from ..bodies import export as bodies_export
from ..deps import AsOf, Pool
from ..staff import handlers as staff_handlers
from ..staff.api import _filter
from .bodies import BODIES
from .staff import STAFF

router = APIRouter()
XLSX = {200: {"content": {XLSX_MEDIA_TYPE: {}}}}


@router.get("/staff/export.xlsx", operation_id="exportStaff", tags=["staff"], response_class=Response,
            responses=XLSX, summary="Работники в xlsx по шаблону staff: те же фильтры и область доступа, что у "
                                    "GET /staff (и asOf); файл загружается обратно без изменений",
            description="Строка на каждое место работы, действующее на дату. Чтение записывается в журнал доступа "
                        "к персональным данным (staff.export); аналитику и служебной учётной записи — 403.")
async def export_staff(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf, request: Request,
    municipality: Annotated[str | None, Query(max_length=11)] = None, organisation: UUID | None = None,
    position: Annotated[str | None, Query(max_length=64)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    young_specialist: Annotated[bool | None, Query(alias="youngSpecialist")] = None,
):
    f = _filter(request, as_of, municipality, organisation, position, subject, young_specialist)
    return await export(STAFF, await staff_handlers.export_staff(pool, principal, f), "Работники.xlsx")


@router.get("/bodies/export.xlsx", operation_id="exportBodies", tags=["bodies"], response_class=Response,
            responses=XLSX, summary="Методические объединения с участниками в xlsx по шаблону bodies: те же фильтры, "
                                    "что у GET /bodies (и asOf); файл загружается обратно без изменений",
            description="Строка на каждого участника на дату (объединение без участников — одна строка). Только "
                        "объединения, которыми вызывающий руководит; чтение ФИО записывается в журнал "
                        "(bodies.export); аналитику и служебной учётной записи — 403.")
async def export_bodies(
    principal: CurrentPrincipal, pool: Pool, as_of: AsOf,
    municipality: Annotated[list[str] | None, Query(description="Коды ОКТМО", max_length=500)] = None,
    organisation: UUID | None = None, kind: Annotated[str | None, Query(max_length=64)] = None,
    level: BodyLevel | None = None, active: bool | None = None,
):
    rows = await bodies_export.export_bodies(pool, principal, as_of or date.today(), municipalities=municipality,
                                             organisation=organisation, kind=kind,
                                             level=level.value if level else None, active=active, as_of=as_of)
    return await export(BODIES, rows, "Методические объединения.xlsx")
