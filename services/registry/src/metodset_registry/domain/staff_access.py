"""Who may read and change which persons: pure rules over the caller's scope and the person's employments.

A municipal methodist reaches the persons employed, on the day read, in an organisation of their
municipality, and the persons their municipality registered who have no employment yet; an organisation
administrator those employed in their organisation, and the persons they registered with no employment
yet. The regional coordinator reaches everyone; an analyst and a service account no person (counts only)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from metodset_kit.scope import Principal, Role

PERSON_READERS = (Role.REGIONAL_COORDINATOR, Role.MUNICIPAL_METHODIST, Role.ORGANISATION_ADMIN)


@dataclass(frozen=True)
class Place:
    """Where an employment is and when: enough to decide scope."""

    organisation_id: UUID
    municipality_oktmo: str
    start: date
    end: date | None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def may_reach_person(principal: Principal, places: Sequence[Place], registered_municipality: str | None,
                     registered_by: str, day: date) -> bool:
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    if principal.role not in PERSON_READERS:
        return False
    if not places and (registered_municipality == principal.municipality if principal.municipality
                       else registered_by == principal.subject):
        return True
    return any(may_reach_place(principal, p.organisation_id, p.municipality_oktmo) for p in places if p.active_on(day))


def may_reach_place(principal: Principal, organisation_id: UUID, municipality_oktmo: str) -> bool:
    """Staff of this organisation: read them, hire into it, transfer and dismiss its employees."""
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    if principal.role is Role.MUNICIPAL_METHODIST:
        return principal.municipality == municipality_oktmo
    return principal.role is Role.ORGANISATION_ADMIN and principal.organisation == str(organisation_id)


def may_count(principal: Principal, municipality: str | None) -> bool:
    """Counts of staff (never persons): the whole region for the coordinator, analysts and services; a
    methodist their municipality; an organisation administrator their organisation (the list filter says)."""
    if principal.role in (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE):
        return True
    if principal.role is Role.MUNICIPAL_METHODIST:
        return municipality == principal.municipality
    return principal.role is Role.ORGANISATION_ADMIN
