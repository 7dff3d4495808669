"""Gateway: one GraphQL view over the services, scoped to who is asking."""
from __future__ import annotations

import contextlib

import httpx
from fastapi import FastAPI
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

from metodset_kit.service import base_app
from metodset_kit.settings import CommonSettings

from .clients import ServiceClient
from .context import get_context
from .ide import LocalGraphiQLRouter
from .schema import schema


class GatewaySettings(CommonSettings):
    service_name: str = "gateway"
    port: int = 8000
    registry_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    monitoring_url: str = "http://127.0.0.1:8003"
    service_timeout: float = 10.0


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

    graphql = LocalGraphiQLRouter(schema, path="/graphql", context_getter=get_context,
                                  graphql_ide="graphiql" if settings.environment == "development" else None)
    return base_app(name="gateway", title="Metodset gateway / Шлюз GraphQL",
                    description="GraphQL: POST /graphql (GraphiQL в режиме разработки).", version="0.1.0",
                    settings=settings, start=start, routers=[graphql])


def _probe(http: httpx.AsyncClient, url: str):
    async def probe():
        (await http.get(url, timeout=2)).raise_for_status()

    return probe
