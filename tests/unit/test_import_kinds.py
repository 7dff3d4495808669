"""The gateway's ImportKind names every kind the registry imports (a kind added to one and not the other would
be unreachable through GraphQL or refused by the registry)."""
from metodset_gateway.imports import ImportKind
from metodset_registry.imports.kinds import IMPORTS


def test_the_gateway_offers_exactly_the_registry_s_kinds():
    assert {k.value for k in ImportKind} == set(IMPORTS.kinds) == {"organisations", "staff", "bodies", "courses",
                                                                  "diagnostics"}
