"""Who reads and manages monitoring's records: the region everything; a municipal methodist their municipality's;
an organisation administrator reads their organisation's; an analyst aggregates only. A refused read answers like
a missing record."""
from __future__ import annotations

from uuid import UUID

from metodset_kit.errors import Conflict, DomainError, Forbidden
from metodset_kit.scope import Principal, Role

from .domain.errors import RuleError


def may_read(principal: Principal, municipality_oktmo: str | None, organisation_id: UUID | None) -> bool:
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    if principal.role is Role.MUNICIPAL_METHODIST:
        return municipality_oktmo is not None and principal.municipality == municipality_oktmo
    if principal.role is Role.ORGANISATION_ADMIN:
        return organisation_id is not None and principal.organisation == str(organisation_id)
    return False


def may_manage(principal: Principal, municipality_oktmo: str | None) -> bool:
    if principal.role is Role.REGIONAL_COORDINATOR:
        return True
    return municipality_oktmo is not None and principal.may_manage_municipality(municipality_oktmo)


def manage_or_refuse(principal: Principal, municipality_oktmo: str | None, what: str) -> None:
    if not may_manage(principal, municipality_oktmo):
        raise Forbidden(f"{what} может методическая служба муниципалитета (методист) или региональный координатор")


def no_records_for_analysts(principal: Principal) -> None:
    if principal.role in (Role.ANALYST, Role.SERVICE):
        raise Forbidden("Аналитику доступны только сводные показатели, без отдельных записей")


def narrowed(principal: Principal, municipality: str | None,
             organisation: UUID | None) -> tuple[str | None, UUID | None, bool] | None:
    """A list's municipality and organisation filters narrowed to the caller's scope, and whether region-level
    records are included; None when the asked ones are outside it (the list is then empty)."""
    no_records_for_analysts(principal)
    if principal.role is Role.MUNICIPAL_METHODIST:
        if municipality not in (None, principal.municipality):
            return None
        return principal.municipality, organisation, False
    if principal.role is Role.ORGANISATION_ADMIN:
        if organisation not in (None, UUID(principal.organisation)):
            return None
        return municipality, UUID(principal.organisation), False
    return municipality, organisation, True


def refusal(exc: RuleError) -> DomainError:
    """A rule's refusal as the answer: the record's state (closed, nobody assigned) is a conflict."""
    if exc.code in ("closed", "not_assigned"):
        return Conflict(exc.field, str(exc), exc.code)
    return DomainError(exc.field, str(exc), exc.code)
