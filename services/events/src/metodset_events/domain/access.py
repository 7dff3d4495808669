"""Who may manage an event and act for a person, from the principal's scope and the registry's projection."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from metodset_kit.scope import Principal, Role

from .rules import Job

READ_ALL = (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE)


@dataclass(frozen=True)
class Organiser:
    """Whose event it is: an organisation (with its municipality) or a methodical body (its level and owner)."""

    organisation_id: UUID | None = None
    body_id: UUID | None = None
    municipality_oktmo: str | None = None  # the organisation's, the municipal body's or its organisation's
    body_level: str | None = None  # regional, municipal, organisation
    body_organisation_id: UUID | None = None


def may_manage(principal: Principal, organiser: Organiser) -> bool:
    """Schedule, change, cancel, approve, mark attendance: the region; the organiser's municipality's methodist;
    the organiser organisation's administrator (or the owner organisation's of an organisation's body)."""
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    if organiser.body_id is not None and organiser.body_level == "regional":
        return False
    if principal.role is Role.MUNICIPAL_METHODIST:
        return organiser.municipality_oktmo is not None and principal.municipality == organiser.municipality_oktmo
    own = organiser.organisation_id or organiser.body_organisation_id
    return principal.role is Role.ORGANISATION_ADMIN and own is not None and principal.organisation == str(own)


def jobs_in_reach(principal: Principal, jobs: Sequence[Job]) -> list[Job]:
    """The person's current jobs through which the caller acts for them (register, check in, read)."""
    if principal.role in READ_ALL:
        return list(jobs)
    if principal.role is Role.MUNICIPAL_METHODIST:
        return [j for j in jobs if j.municipality_oktmo == principal.municipality]
    if principal.role is Role.ORGANISATION_ADMIN:
        return [j for j in jobs if str(j.organisation_id) == principal.organisation]
    return []


def jobs_for(principal: Principal, person_id: UUID, jobs: Sequence[Job]) -> list[Job]:
    """The jobs through which the caller acts for this person: a pedagogue acts for themselves only."""
    if principal.role is Role.PEDAGOGUE:
        return list(jobs) if principal.is_person(person_id) else []
    return jobs_in_reach(principal, jobs)


def may_register(principal: Principal) -> bool:
    return principal.role in (Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_METHODIST, Role.ORGANISATION_ADMIN,
                              Role.PEDAGOGUE)
