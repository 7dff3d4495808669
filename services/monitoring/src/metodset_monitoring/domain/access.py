"""Who sees which indicator values and the records behind them. An analyst sees aggregates and never a
person; a municipal methodist sees their municipality in full and other municipalities' aggregates only
where the region publishes the indicator; an organisation's administrator sees their organisation (and the
region's aggregate). Pure."""
from __future__ import annotations

from metodset_kit.scope import Principal, Role

from .values import Level

_REGION_WIDE = (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE)


def sees_value(p: Principal, level: Level, subject: str, municipality: str | None, published: bool) -> bool:
    if p.role in _REGION_WIDE or level is Level.REGION:
        return True
    if p.role is Role.MUNICIPAL_METHODIST:
        if municipality == p.municipality:
            return True
        return published and level is Level.MUNICIPALITY
    if p.role is Role.ORGANISATION_ADMIN:
        return level is Level.ORGANISATION and subject == p.organisation
    return False


def sees_records(p: Principal, level: Level, subject: str, municipality: str | None) -> bool:
    """The records behind a value: never through another municipality's publication."""
    if p.role in _REGION_WIDE:
        return True
    if level is Level.REGION:
        return False
    if p.role is Role.MUNICIPAL_METHODIST:
        return municipality == p.municipality
    return p.role is Role.ORGANISATION_ADMIN and level is Level.ORGANISATION and subject == p.organisation


def sees_persons(p: Principal) -> bool:
    return p.role is not Role.ANALYST
