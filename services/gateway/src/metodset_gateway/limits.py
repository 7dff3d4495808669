"""The gateway's bounds on one GraphQL request: what a document may contain and what an operation may cost."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from metodset_kit.hostile import MAX_JSON_DEPTH
from metodset_kit.scope import Principal, Role

# Per document, fixed (validation rules are built once at import, see schema.py).
MAX_DOCUMENT_BYTES = 64 * 1024  # checked before parsing; GraphiQL's introspection query is ~3 KB
MAX_TOKENS = 10_000
MAX_COMMENTS = 1_000
MAX_FIELDS = 500  # field selections as written (fragments counted once)
MAX_DIRECTIVES = 50
MAX_VARIABLES = 50
MAX_VARIABLE_DEPTH = 16  # no input of the schema nests deeper than a few levels
MAX_BODY_DEPTH = MAX_JSON_DEPTH  # the raw JSON body, checked before it is decoded

# Pages of list fields.
DEFAULT_PAGE = 100
MAX_PAGE = 500
UNPAGED_LIST_SIZE = 20  # cost estimate of a list field without `first` (e.g. a municipality's indicators)

# What one operation may cost, by the caller's role; see cost.py for the estimate.
DEFAULT_COST_LIMITS: Mapping[Role, int] = MappingProxyType({
    Role.REGIONAL_COORDINATOR: 100_000,
    Role.ANALYST: 100_000,
    Role.SERVICE: 200_000,  # subscribing systems read whole pages
    Role.MUNICIPAL_METHODIST: 20_000,
    Role.ORGANISATION_ADMIN: 5_000,
    Role.PEDAGOGUE: 2_000,
})

DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The configurable bounds, read from GatewaySettings once per app."""

    cost: Mapping[Role, int] = field(default_factory=lambda: DEFAULT_COST_LIMITS)
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES

    def cost_limit(self, principal: Principal | None) -> int:
        """An unknown caller (no principal) gets the smallest limit."""
        if principal is None:
            return min(self.cost.values())
        return self.cost.get(principal.role, min(self.cost.values()))


def cost_limits(overrides: Mapping[str, int] | None) -> dict[Role, int]:
    """The defaults with the configured roles replaced; an unknown role name is a configuration error."""
    return {**DEFAULT_COST_LIMITS, **{Role(k): int(v) for k, v in (overrides or {}).items()}}
