"""The organisation (образовательная или иная организация) and what happens to it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from pydantic.alias_generators import to_camel

from metodset_contracts.organisations import (
    OrganisationClosed,
    OrganisationKind,
    OrganisationRegistered,
    OrganisationUpdated,
)

EDITABLE = ("name", "short_name", "kind", "municipality_oktmo", "inn")


class OrganisationClosedError(Exception):
    """Changes to a closed organisation are refused."""


@dataclass(frozen=True)
class Organisation:
    id: UUID
    name: str
    short_name: str | None
    kind: OrganisationKind
    municipality_oktmo: str
    inn: str
    version: int = 1
    closed_on: date | None = None

    @property
    def active(self) -> bool:
        return self.closed_on is None

    def _facts(self) -> dict:
        return dict(organisation_id=self.id, version=self.version, municipality_oktmo=self.municipality_oktmo,
                    kind=self.kind)


def register(org: Organisation) -> OrganisationRegistered:
    return OrganisationRegistered(**org._facts(), name=org.name, short_name=org.short_name, inn=org.inn)


def update(org: Organisation, changes: dict) -> tuple[Organisation, OrganisationUpdated | None]:
    """Apply the given field changes; no event when nothing actually changed."""
    if not org.active:
        raise OrganisationClosedError(org.id)
    changed = [f for f in EDITABLE if f in changes and changes[f] != getattr(org, f)]
    if not changed:
        return org, None
    new = replace(org, **{f: changes[f] for f in changed}, version=org.version + 1)
    return new, OrganisationUpdated(**new._facts(), name=new.name, short_name=new.short_name, inn=new.inn,
                                    changed=[to_camel(f) for f in changed])


def close(org: Organisation, on: date) -> tuple[Organisation, OrganisationClosed]:
    if not org.active:
        raise OrganisationClosedError(org.id)
    new = replace(org, closed_on=on, version=org.version + 1)
    return new, OrganisationClosed(**new._facts(), closed_on=on)
