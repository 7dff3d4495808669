"""Per-request GraphQL context: the caller, their token and fresh DataLoaders."""
from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from metodset_kit.auth import authenticate, bearer_token
from metodset_kit.scope import Principal

from . import loaders
from .clients import ServiceClient
from .limits import Limits


@dataclass
class Context(BaseContext):
    principal: Principal | None = None
    token: str = ""
    registry: ServiceClient | None = None
    monitoring: ServiceClient | None = None
    events: ServiceClient | None = None
    organisations: DataLoader = field(default=None)
    organisation_by_id: DataLoader = field(default=None)
    indicators: DataLoader = field(default=None)
    municipalities: DataLoader = field(default=None)
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        super().__init__()


def _is_graphiql_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "") \
        and "query" not in request.query_params


async def get_context(request: Request) -> Context:
    if _is_graphiql_page(request):
        return Context()
    principal = await authenticate(request)  # a JWKS fetch, if any, runs in a thread
    token = bearer_token(request)
    clients = request.app.state.clients
    return Context(
        principal=principal, token=token, registry=clients["registry"], monitoring=clients["monitoring"],
        events=clients["events"],
        organisations=loaders.organisation_pages(clients["registry"], token),
        organisation_by_id=loaders.organisations_by_id(clients["registry"], token),
        indicators=loaders.indicators_by_municipality(clients["monitoring"], token, principal),
        municipalities=loaders.municipalities_by_oktmo(clients["registry"], token),
        limits=request.app.state.limits,
    )
