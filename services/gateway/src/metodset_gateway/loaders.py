"""DataLoaders, made per request: one call per service per batch of keys."""
from __future__ import annotations

import asyncio

from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from metodset_kit.hostile import prefix
from metodset_kit.scope import Principal

from .clients import ServiceClient

# What one page of organisations is asked for: municipalities (None: all), kind, active (None: both),
# page size, the cursor it starts after and the day it is read as of (ISO date; None: now).
PageKey = tuple[tuple[str, ...] | None, str | None, bool | None, int, str | None, str | None]


def organisation_pages(registry: ServiceClient, token: str) -> DataLoader:
    """One registry call per distinct page key, run concurrently; equal keys within a request share a call.

    Keyset pages do not batch across municipalities: one call for several municipalities would answer one
    ordered page of them all, not the first `first` of each (that would take a window query per
    municipality in the registry). So the key is the whole page request (municipality, filter, first,
    after); a list of municipalities each with its organisations costs one call per municipality."""
    async def load(keys: list[PageKey]) -> list[dict | BaseException]:
        return await asyncio.gather(*(_page(registry, token, k) for k in keys), return_exceptions=True)

    return DataLoader(load_fn=load, max_batch_size=500)


async def _page(registry: ServiceClient, token: str, key: PageKey) -> dict:
    oktmos, kind, active, first, after, as_of = key
    params = [("municipality", o) for o in oktmos or ()] + [("limit", str(max(first, 1)))]
    params += [("kind", kind)] if kind is not None else []
    params += [("active", "true" if active else "false")] if active is not None else []
    params += [("after", after)] if after is not None else []
    params += [("asOf", as_of)] if as_of is not None else []
    return await registry.call("GET", "/organisations", token, params=params)


def organisations_by_id(registry: ServiceClient, token: str) -> DataLoader:
    """Organisations by id (directory data, public in the region): the distinct ids of a request fetched
    together, one registry call each; a missing one is None. Many records of a list name the same school."""
    async def load(ids: list[str]) -> list[dict | None]:
        return await asyncio.gather(*(registry.find(f"/organisations/{i}", token) for i in ids))

    return DataLoader(load_fn=load, max_batch_size=100)


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
