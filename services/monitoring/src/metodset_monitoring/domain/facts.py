"""Folding organisation events into the latest known facts: order-independent by aggregate version."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.organisations import OrganisationClosed


@dataclass(frozen=True)
class OrganisationFact:
    organisation_id: UUID
    municipality_oktmo: str
    kind: str
    active: bool
    version: int
    name: str | None = None  # a closing carries none: the name known stays


def fact_of(event: CloudEvent) -> OrganisationFact:
    data = event_type(event.type).model.model_validate(event.data)
    return OrganisationFact(
        organisation_id=data.organisation_id,
        municipality_oktmo=data.municipality_oktmo,
        kind=data.kind.value,
        active=not isinstance(data, OrganisationClosed),
        version=data.version,
        name=getattr(data, "name", None),
    )


def latest(facts: list[OrganisationFact]) -> list[OrganisationFact]:
    """Keep the highest version per organisation (a batch may hold several events of one organisation)."""
    best: dict[UUID, OrganisationFact] = {}
    for f in facts:
        if f.organisation_id not in best or f.version > best[f.organisation_id].version:
            best[f.organisation_id] = f
    return list(best.values())
