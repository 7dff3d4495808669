"""DataLoaders, made per request: one call per service per batch of keys."""
from __future__ import annotations

from collections import defaultdict

from strawberry.dataloader import DataLoader

from .clients import ServiceClient


def organisations_by_municipality(registry: ServiceClient, token: str) -> DataLoader:
    async def load(keys: list[tuple[str, bool]]) -> list[list[dict]]:
        found: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        for include_closed in {k[1] for k in keys}:
            oktmos = sorted({k[0] for k in keys if k[1] == include_closed})
            params = [("municipality", o) for o in oktmos] + [("limit", "5000")]
            if not include_closed:
                params.append(("active", "true"))
            for org in await registry.call("GET", "/organisations", token, params=params):
                found[(org["municipalityOktmo"], include_closed)].append(org)
        return [found[k] for k in keys]

    return DataLoader(load_fn=load)


def indicators_by_municipality(monitoring: ServiceClient, token: str) -> DataLoader:
    async def load(oktmos: list[str]) -> list[list[dict]]:
        params = [("municipality", o) for o in oktmos]
        rows = await monitoring.call("GET", "/indicators", token, params=params)
        by_oktmo = {r["oktmo"]: r["indicators"] for r in rows}
        return [by_oktmo.get(o, []) for o in oktmos]

    return DataLoader(load_fn=load)


def municipalities_by_oktmo(registry: ServiceClient, token: str) -> DataLoader:
    async def load(oktmos: list[str]) -> list[dict | None]:
        rows = await registry.call("GET", "/municipalities", token, params=[("oktmo", o) for o in oktmos])
        by_oktmo = {r["oktmo"]: r for r in rows}
        return [by_oktmo.get(o) for o in oktmos]

    return DataLoader(load_fn=load)
