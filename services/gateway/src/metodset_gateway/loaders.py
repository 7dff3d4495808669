"""DataLoaders, made per request: one call per service per batch of keys."""
from __future__ import annotations

from collections import defaultdict

from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from metodset_kit.hostile import prefix
from metodset_kit.scope import Principal

from .clients import ServiceClient

PAGE = 5000  # the registry's largest page


def organisations_by_municipality(registry: ServiceClient, token: str) -> DataLoader:
    async def load(keys: list[tuple[str, bool]]) -> list[list[dict]]:
        found: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        for include_closed in {k[1] for k in keys}:
            oktmos = sorted({k[0] for k in keys if k[1] == include_closed})
            for org in await _all_pages(registry, token, oktmos, include_closed):
                found[(org["municipalityOktmo"], include_closed)].append(org)
        return [found[k] for k in keys]

    return DataLoader(load_fn=load, max_batch_size=500)


async def _all_pages(registry: ServiceClient, token: str, oktmos: list[str], include_closed: bool) -> list[dict]:
    params = [("municipality", o) for o in oktmos] + [("limit", str(PAGE))]
    if not include_closed:
        params.append(("active", "true"))
    rows: list[dict] = []
    while True:
        page = await registry.call("GET", "/organisations", token, params=params + [("offset", str(len(rows)))])
        rows += page
        if len(page) < PAGE:
            return rows


def indicators_by_municipality(monitoring: ServiceClient, token: str, principal: Principal) -> DataLoader:
    """A municipality outside the caller's scope answers exactly like one monitoring has no indicators for
    (the kit's rule: a refused read looks like a missing record); the others still load."""
    async def load(oktmos: list[str]) -> list[list[dict] | GraphQLError]:
        allowed = [o for o in oktmos if principal.sees_municipality(o)]
        by_oktmo = {}
        if allowed:
            rows = await monitoring.call("GET", "/indicators", token, params=[("municipality", o) for o in allowed])
            by_oktmo = {r["oktmo"]: r["indicators"] for r in rows}
        return [by_oktmo[o] if o in by_oktmo else missing_indicators(o) for o in oktmos]

    return DataLoader(load_fn=load, max_batch_size=500)


def missing_indicators(oktmo: str) -> GraphQLError:
    return GraphQLError(f"Показатели муниципалитета {prefix(oktmo)} не найдены",
                        extensions={"code": "NOT_FOUND", "field": "municipality"})


def municipalities_by_oktmo(registry: ServiceClient, token: str) -> DataLoader:
    async def load(oktmos: list[str]) -> list[dict | None]:
        rows = await registry.call("GET", "/municipalities", token, params=[("oktmo", o) for o in oktmos])
        by_oktmo = {r["oktmo"]: r for r in rows}
        return [by_oktmo.get(o) for o in oktmos]

    return DataLoader(load_fn=load, max_batch_size=500)
