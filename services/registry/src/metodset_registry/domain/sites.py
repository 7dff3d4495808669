"""Site statuses of an organisation (инновационная, базовая, стажировочная, опорная площадка): each for a
term, with its level, theme and the order that granted it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from metodset_contracts.organisations import (
    SITE_LEVEL_TITLES,
    SITE_TITLES,
    OrganisationSiteStatusEnded,
    OrganisationSiteStatusGranted,
    SiteKind,
    SiteLevel,
)

from .periods import Period, PeriodError, PeriodOverlap, check_period, describe, ended, first_overlap

LEVELLED = frozenset({SiteKind.INNOVATION})  # an innovation site is always federal, regional or municipal


@dataclass(frozen=True)
class Site:
    id: UUID
    organisation_id: UUID
    kind: SiteKind
    level: SiteLevel | None
    period: Period  # as in force now: cut when ended
    order_number: str
    order_date: date
    topic: str | None = None
    granted_to: date | None = None  # the term granted, kept when ended early
    ended: bool = False

    @property
    def title(self) -> str:
        level = f" ({SITE_LEVEL_TITLES[self.level].lower()} уровень)" if self.level else ""
        return SITE_TITLES[self.kind] + level


def active_on(sites: Iterable[Site], day: date) -> list[Site]:
    return [s for s in sites if s.period.covers(day)]


def check_new(site: Site, existing: Iterable[Site]) -> None:
    if site.kind in LEVELLED and site.level is None:
        raise PeriodError("level", f"Для статуса «{SITE_TITLES[site.kind]}» укажите уровень: "
                                   "федеральный, региональный или муниципальный")
    check_period(site.period)
    same = (s.period for s in existing if (s.kind, s.level) == (site.kind, site.level) and s.id != site.id)
    clash = first_overlap(site.period, same)
    if clash is not None:
        raise PeriodOverlap("from", f"Статус «{site.title}» уже присвоен на срок {describe(clash)}; "
                                    "сроки одного статуса не могут пересекаться")


def _facts(site: Site, municipality_oktmo: str) -> dict:
    return dict(organisation_id=site.organisation_id, municipality_oktmo=municipality_oktmo, site_id=site.id,
                kind=site.kind, level=site.level, valid_from=site.period.start)


def grant(site: Site, existing: Iterable[Site], municipality_oktmo: str) -> OrganisationSiteStatusGranted:
    check_new(site, existing)
    return OrganisationSiteStatusGranted(**_facts(site, municipality_oktmo), valid_to=site.period.end,
                                         order_date=site.order_date)


def end(site: Site, last_day: date, municipality_oktmo: str) -> tuple[Site, OrganisationSiteStatusEnded]:
    new = replace(site, period=ended(site.period, last_day), ended=True)
    return new, OrganisationSiteStatusEnded(**_facts(new, municipality_oktmo), valid_to=last_day)
