"""Who may do what: roles and scope claims, as pure rules every service applies itself."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    REGIONAL_COORDINATOR = "regional_coordinator"  # региональный координатор: the whole region
    MUNICIPAL_METHODIST = "municipal_methodist"  # методист ММС: one municipality
    ORGANISATION_ADMIN = "organisation_admin"  # администратор ОО: one organisation
    ANALYST = "analyst"  # аналитик: reads, never writes
    SERVICE = "service"  # service account of a subscribing system
    PEDAGOGUE = "pedagogue"  # педагог: acts for themselves only (registers for events, checks in)


class ScopeError(ValueError):
    """A token whose claims do not make a usable scope."""


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    municipality: str | None = None  # OKTMO code
    organisation: str | None = None  # organisation id
    person: str | None = None  # the registry's person id of a pedagogue

    @classmethod
    def from_claims(cls, claims: dict) -> Principal:
        try:
            role = Role(claims.get("role"))
        except ValueError:
            raise ScopeError(f"unknown role {claims.get('role')!r}") from None
        for claim in ("municipality", "organisation", "person"):
            if claims.get(claim) is not None and not isinstance(claims[claim], str):
                raise ScopeError(f"claim {claim!r} must be a string")
        principal = cls(
            subject=str(claims.get("sub") or ""),
            role=role,
            # a scope claim counts only for the role it belongs to
            municipality=claims.get("municipality") if role is Role.MUNICIPAL_METHODIST else None,
            organisation=claims.get("organisation") if role is Role.ORGANISATION_ADMIN else None,
            person=claims.get("person") if role is Role.PEDAGOGUE else None,
        )
        if role is Role.MUNICIPAL_METHODIST and not principal.municipality:
            raise ScopeError("a municipal methodist's token must name the municipality (claim 'municipality')")
        if role is Role.ORGANISATION_ADMIN and not principal.organisation:
            raise ScopeError("an organisation administrator's token must name the organisation (claim 'organisation')")
        if role is Role.PEDAGOGUE and not principal.person:
            raise ScopeError("a pedagogue's token must name the person (claim 'person')")
        return principal

    def may_manage_municipality(self, oktmo: str) -> bool:
        """Create or change things that belong to a municipality (e.g. register its organisations)."""
        if self.role is Role.REGIONAL_COORDINATOR:
            return True
        return self.role is Role.MUNICIPAL_METHODIST and self.municipality == oktmo

    def may_manage_region(self) -> bool:
        return self.role is Role.REGIONAL_COORDINATOR

    def may_edit_organisation(self, organisation_id: str, municipality_oktmo: str) -> bool:
        if self.may_manage_municipality(municipality_oktmo):
            return True
        return self.role is Role.ORGANISATION_ADMIN and self.organisation == str(organisation_id)

    def is_person(self, person_id: object) -> bool:
        """A pedagogue acting for themselves."""
        return self.role is Role.PEDAGOGUE and self.person == str(person_id)

    def sees_municipality(self, oktmo: str) -> bool:
        """Read access to a municipality's non-public data (indicators, staff)."""
        if self.role in (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE):
            return True
        return self.municipality == oktmo
