"""The gateway's ImportKind names every kind the registry and the events service import (a kind added to one
and not the other would be unreachable through GraphQL or refused by the service)."""
from metodset_events.imports import IMPORTS as EVENTS_IMPORTS
from metodset_gateway.imports import ImportKind
from metodset_registry.imports.kinds import IMPORTS


def test_the_gateway_offers_exactly_the_registry_s_kinds():
    assert {k.value for k in ImportKind} == set(IMPORTS.kinds) | set(EVENTS_IMPORTS.kinds)
    assert set(IMPORTS.kinds) == {"organisations", "staff", "bodies", "courses", "diagnostics"}
    assert set(EVENTS_IMPORTS.kinds) == {"olympiad-results"}
