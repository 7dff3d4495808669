"""The organisation (образовательная или иная организация) and what happens to it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic.alias_generators import to_camel

from metodset_contracts.organisations import (
    OrganisationClosed,
    OrganisationKind,
    OrganisationRegistered,
    OrganisationReorganised,
    OrganisationUpdated,
)

CONTACTS = ("address", "phone", "email", "website")
EDITABLE = ("name", "short_name", "kind", "municipality_oktmo", "inn", "ogrn", *CONTACTS, "parent_id")
EARLIEST_CLOSING = date(1990, 1, 1)  # no organisation of today's registers closed before


class OrganisationClosedError(Exception):
    """Changes to a closed organisation are refused."""


class ParentError(ValueError):
    """A parent organisation the registry cannot take (missing, elsewhere, closed, or a cycle)."""


class Status(StrEnum):
    ACTIVE = "active"
    REORGANISED = "reorganised"
    CLOSED = "closed"


STATUS_TITLES = {Status.ACTIVE: "Действующая", Status.REORGANISED: "Реорганизована", Status.CLOSED: "Закрыта"}


class ClosingDateError(ValueError):
    """A closing date the registry cannot take: in the future (the organisation would show closed at once)
    or before any organisation of the register existed."""


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
    ogrn: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    parent_id: UUID | None = None  # the organisation this one is a branch or structural unit of
    successor_id: UUID | None = None  # set when closed by reorganisation

    @property
    def active(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> Status:
        if self.active:
            return Status.ACTIVE
        return Status.REORGANISED if self.successor_id else Status.CLOSED

    def _facts(self) -> dict:
        return dict(organisation_id=self.id, version=self.version, municipality_oktmo=self.municipality_oktmo,
                    kind=self.kind)

    def _state(self) -> dict:
        return dict(self._facts(), name=self.name, short_name=self.short_name, inn=self.inn, ogrn=self.ogrn,
                    address=self.address, phone=self.phone, email=self.email, website=self.website,
                    parent_id=self.parent_id)


def register(org: Organisation) -> OrganisationRegistered:
    return OrganisationRegistered.of(org._state())


def changed_fields(org: Organisation, changes: dict) -> list[str]:
    """The editable fields whose value the changes would actually alter (sending a value back unchanged
    writes nothing)."""
    return [f for f in EDITABLE if f in changes and changes[f] != getattr(org, f)]


def update(org: Organisation, changes: dict) -> tuple[Organisation, OrganisationUpdated | None]:
    """Apply the given field changes; no event when nothing actually changed."""
    if not org.active:
        raise OrganisationClosedError(org.id)
    changed = changed_fields(org, changes)
    if not changed:
        return org, None
    new = replace(org, **{f: changes[f] for f in changed}, version=org.version + 1)
    return new, OrganisationUpdated(**new._state(), changed=[to_camel(f) for f in changed])


def check_closing_date(on: date, today: date) -> None:
    if on > today:
        raise ClosingDateError(f"Дата закрытия {on.isoformat()} позже сегодняшней ({today.isoformat()}): "
                               "закрыть организацию можно только датой не позже сегодняшней")
    if on < EARLIEST_CLOSING:
        raise ClosingDateError(f"Дата закрытия {on.isoformat()} раньше {EARLIEST_CLOSING.isoformat()}")


def close(org: Organisation, on: date, today: date) -> tuple[Organisation, OrganisationClosed]:
    if not org.active:
        raise OrganisationClosedError(org.id)
    check_closing_date(on, today)
    new = replace(org, closed_on=on, version=org.version + 1)
    return new, OrganisationClosed(**new._facts(), closed_on=on)


def reorganise(org: Organisation, successor_id: UUID, on: date,
               today: date) -> tuple[Organisation, OrganisationReorganised]:
    """Close the organisation as reorganised into its successor (присоединение, слияние, преобразование)."""
    if not org.active:
        raise OrganisationClosedError(org.id)
    if successor_id == org.id:
        raise ParentError("Организация не может быть правопреемником самой себя")
    check_closing_date(on, today)
    new = replace(org, closed_on=on, successor_id=successor_id, version=org.version + 1)
    return new, OrganisationReorganised(**new._facts(), closed_on=on, successor_id=successor_id)


@dataclass(frozen=True)
class Link:
    """What the parent rules need to know of an organisation in a chain of parents."""

    id: UUID
    parent_id: UUID | None
    municipality_oktmo: str
    active: bool


def parent_problem(org_id: UUID | None, municipality_oktmo: str, parent_id: UUID,
                   chain: dict[UUID, Link]) -> str | None:
    """Why `parent_id` cannot be the parent of the organisation, or None. `chain`: the parent and its own
    ancestors, by id (a cycle shows as the organisation itself among them)."""
    parent = chain.get(parent_id)
    if parent is None:
        return f"Головная организация {parent_id} не найдена"
    if parent_id == org_id:
        return "Организация не может быть головной для самой себя"
    if not parent.active:
        return "Головная организация закрыта"
    if parent.municipality_oktmo != municipality_oktmo:
        return "Головная организация должна быть того же муниципалитета"
    seen, current = set(), parent
    while current is not None and current.id not in seen:
        if current.id == org_id:
            return "Организация оказалась бы головной для самой себя (цикл подчинения)"
        seen.add(current.id)
        current = chain.get(current.parent_id) if current.parent_id else None
    return None
