"""Gateway: one GraphQL view over the services, scoped to who is asking."""
from __future__ import annotations

import contextlib

import httpx
from fastapi import FastAPI
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from pydantic import Field, model_validator

from metodset_kit.service import base_app
from metodset_kit.settings import CommonSettings

from .clients import ServiceClient
from .context import get_context
from .limits import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_SECONDS, Limits, cost_limits
from .router import GatewayRouter
from .schema import schema


class GatewaySettings(CommonSettings):
    service_name: str = "gateway"
    port: int = 8000
    registry_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    monitoring_url: str = "http://127.0.0.1:8003"
    service_timeout: float = 10.0
    # Cost limit of one operation by role, e.g. QUERY_COST_LIMITS='{"analyst": 50000}'; roles not named keep
    # their defaults (limits.DEFAULT_COST_LIMITS).
    query_cost_limits: dict[str, int] = Field(default_factory=dict)
    graphql_timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0)
    graphql_max_response_bytes: int = Field(default=DEFAULT_MAX_RESPONSE_BYTES, ge=1024)

    @model_validator(mode="after")
    def _check_cost_limits(self) -> GatewaySettings:
        limits = cost_limits(self.query_cost_limits)  # an unknown role fails here, at start
        if any(v < 1 for v in limits.values()):
            raise ValueError("QUERY_COST_LIMITS: every limit must be positive")
        return self

    def limits(self) -> Limits:
        return Limits(cost=cost_limits(self.query_cost_limits), timeout_seconds=self.graphql_timeout_seconds,
                      max_response_bytes=self.graphql_max_response_bytes)


def app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    async def start(app: FastAPI, stack: contextlib.AsyncExitStack) -> None:
        http = httpx.AsyncClient(timeout=settings.service_timeout,
                                 limits=httpx.Limits(max_connections=100, max_keepalive_connections=50))
        HTTPXClientInstrumentor.instrument_client(http)
        stack.push_async_callback(http.aclose)
        urls = {"registry": settings.registry_url, "events": settings.events_url, "monitoring": settings.monitoring_url}
        app.state.clients = {name: ServiceClient(name, http, url) for name, url in urls.items()}
        for name, url in urls.items():
            app.state.readiness[name] = _probe(http, f"{url}/healthz")

    limits = settings.limits()
    graphql = GatewayRouter(schema, limits=limits, path="/graphql", context_getter=get_context,
                            multipart_uploads_enabled=True,  # startImport's file (GraphQL multipart request spec)
                            graphql_ide="graphiql" if settings.environment == "development" else None)
    gateway = base_app(name="gateway", title="Metodset gateway / Шлюз GraphQL",
                       description="GraphQL: POST /graphql (GraphiQL в режиме разработки).", version="0.1.0",
                       settings=settings, start=start, routers=[graphql])
    gateway.state.limits = limits
    return gateway


def _probe(http: httpx.AsyncClient, url: str):
    async def probe():
        (await http.get(url, timeout=2)).raise_for_status()

    return probe
