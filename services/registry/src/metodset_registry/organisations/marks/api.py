"""REST entry points of the marks on organisations (flags, site statuses)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from metodset_contracts.organisations import FLAG_TITLES, SITE_LEVEL_TITLES, SITE_TITLES
from metodset_kit.auth import CurrentPrincipal

from ...deps import Pool
from ...domain.flags import Flag
from ...domain.sites import Site
from ..schemas import FlagClear, FlagPublic, FlagSet, SiteEnd, SiteGrant, SiteOrder, SitePublic
from . import handlers as marks

router = APIRouter()
AsOf = Annotated[date | None, Query(alias="asOf", description="Действующие на эту дату; без неё — вся история")]


def flag_public(flag: Flag) -> FlagPublic:
    return FlagPublic(id=flag.id, kind=flag.kind, kind_title=FLAG_TITLES[flag.kind], from_=flag.period.start,
                      to=flag.period.end, set_to=flag.set_to, cleared=flag.cleared, source=flag.source)


@router.post("/organisations/{org_id}/flags", status_code=201, operation_id="setOrganisationFlag",
             tags=["organisations"], summary="Установить признак организации на период",
             response_model=FlagPublic, response_model_by_alias=True)
async def set_flag(org_id: UUID, data: FlagSet, principal: CurrentPrincipal, pool: Pool):
    return flag_public(await marks.set_flag(pool, principal, org_id, data))


@router.post("/organisations/{org_id}/flags/{flag_id}/clear", operation_id="clearOrganisationFlag",
             tags=["organisations"], summary="Снять признак: последний день его действия",
             response_model=FlagPublic, response_model_by_alias=True)
async def clear_flag(org_id: UUID, flag_id: UUID, data: FlagClear, principal: CurrentPrincipal, pool: Pool):
    return flag_public(await marks.clear_flag(pool, principal, org_id, flag_id, data.to))


@router.get("/organisations/{org_id}/flags", operation_id="listOrganisationFlags", tags=["organisations"],
            summary="Признаки организации: действующие на дату asOf или вся история",
            response_model=list[FlagPublic], response_model_by_alias=True)
async def list_flags(org_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf = None):
    return [flag_public(f) for f in await marks.flags(pool, org_id, as_of)]


def site_public(site: Site) -> SitePublic:
    return SitePublic(id=site.id, kind=site.kind, kind_title=SITE_TITLES[site.kind], level=site.level,
                      level_title=SITE_LEVEL_TITLES[site.level] if site.level else None, title=site.title,
                      from_=site.period.start, to=site.period.end, granted_to=site.granted_to, ended=site.ended,
                      topic=site.topic, order=SiteOrder(number=site.order_number, date_=site.order_date))


@router.post("/organisations/{org_id}/sites", status_code=201, operation_id="grantSiteStatus",
             tags=["organisations"], summary="Присвоить организации статус площадки на срок",
             response_model=SitePublic, response_model_by_alias=True)
async def grant_site(org_id: UUID, data: SiteGrant, principal: CurrentPrincipal, pool: Pool):
    return site_public(await marks.grant_site(pool, principal, org_id, data))


@router.post("/organisations/{org_id}/sites/{site_id}/end", operation_id="endSiteStatus", tags=["organisations"],
             summary="Прекратить статус площадки: последний день его действия",
             response_model=SitePublic, response_model_by_alias=True)
async def end_site(org_id: UUID, site_id: UUID, data: SiteEnd, principal: CurrentPrincipal, pool: Pool):
    return site_public(await marks.end_site(pool, principal, org_id, site_id, data.to))


@router.get("/organisations/{org_id}/sites", operation_id="listSiteStatuses", tags=["organisations"],
            summary="Статусы площадок организации: действующие на дату asOf или вся история",
            response_model=list[SitePublic], response_model_by_alias=True)
async def list_sites(org_id: UUID, principal: CurrentPrincipal, pool: Pool, as_of: AsOf = None):
    return [site_public(s) for s in await marks.sites(pool, org_id, as_of)]
