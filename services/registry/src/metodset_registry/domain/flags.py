"""Flags of an organisation (ШНОР, признаки необъективности, сложные условия): each for a period, with the
document it comes from."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from metodset_contracts.organisations import FLAG_TITLES, FlagKind, OrganisationFlagCleared, OrganisationFlagSet

from .periods import Period, PeriodOverlap, check_period, describe, ended, first_overlap


@dataclass(frozen=True)
class Flag:
    id: UUID
    organisation_id: UUID
    kind: FlagKind
    period: Period  # as in force now: cut by clearing
    source: str
    set_to: date | None = None  # the end it was set with, kept when cleared
    cleared: bool = False


def active_on(flags: Iterable[Flag], day: date) -> list[Flag]:
    return [f for f in flags if f.period.covers(day)]


def check_new(flag: Flag, existing: Iterable[Flag]) -> None:
    """A new flag: a sane period, not overlapping another flag of the same kind."""
    check_period(flag.period)
    clash = first_overlap(flag.period, (f.period for f in existing if f.kind == flag.kind and f.id != flag.id))
    if clash is not None:
        raise PeriodOverlap("from", f"Признак «{FLAG_TITLES[flag.kind]}» уже установлен на период "
                                  f"{describe(clash)}; периоды одного признака не могут пересекаться")


def set_flag(flag: Flag, existing: Iterable[Flag], municipality_oktmo: str) -> OrganisationFlagSet:
    check_new(flag, existing)
    return OrganisationFlagSet(organisation_id=flag.organisation_id, municipality_oktmo=municipality_oktmo,
                               flag_id=flag.id, kind=flag.kind, valid_from=flag.period.start,
                               valid_to=flag.period.end)


def clear_flag(flag: Flag, last_day: date, municipality_oktmo: str) -> tuple[Flag, OrganisationFlagCleared]:
    new = replace(flag, period=ended(flag.period, last_day), cleared=True)
    return new, OrganisationFlagCleared(organisation_id=flag.organisation_id, municipality_oktmo=municipality_oktmo,
                                        flag_id=flag.id, kind=flag.kind, valid_from=new.period.start,
                                        valid_to=last_day)
