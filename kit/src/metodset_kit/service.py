"""The one place where a service is wired: settings, telemetry, pool, migrations, relay, consumers, routes."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from . import db, docs, errors, health, heap, kafka, retention, startup, telemetry
from . import logging as log
from .access_log import AccessLog
from .auth import TokenVerifier
from .consumer import Projection, subscribe
from .consumer import stop as stop_consumers
from .guard import KIT_PUBLIC, Guard, GuardRules, routes
from .relay import Relay
from .settings import CommonSettings, ServiceSettings

Starter = Callable[[FastAPI, contextlib.AsyncExitStack], Awaitable[None]]


@dataclass
class ServiceSpec:
    name: str
    title: str
    description: str
    settings_cls: type[ServiceSettings]
    routers: list[APIRouter] = field(default_factory=list)
    migrations_package: str | None = None
    publishes: list[str] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    version: str = "0.1.0"
    public: list[str] = field(default_factory=list)  # routes open without a token, besides the kit's (guard.py)
    unchecked: list[str] = field(default_factory=list)  # routes whose content checks the endpoint answers itself
    starters: list[Starter] = field(default_factory=list)  # run last at start, e.g. tabular.Imports.start


def base_app(*, name: str, title: str, description: str, version: str, settings: CommonSettings,
             start: Starter, routers: list[APIRouter], public: list[str] = (), unchecked: list[str] = ()) -> FastAPI:
    """A FastAPI app with the kit's telemetry, logging, guard (size, auth, hostile input), errors and health,
    and a graceful lifespan. `public` and `unchecked` name routes like `GET /docs/*` (see guard.Route)."""
    telemetry.configure(name)
    log.configure(name, settings.log_level, settings.log_format)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async with contextlib.AsyncExitStack() as stack:
            await start(app, stack)
            heap.settle(settings.gc_young_threshold)
            log.get().info("service.started", port=settings.port)
            yield
            log.get().info("service.stopping")

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan,
                  separate_input_output_schemas=False, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.verifier = TokenVerifier(settings)
    app.state.readiness = {}
    errors.install(app)
    _guard(app, settings, routers, public, unchecked)
    app.add_middleware(AccessLog)  # outside the guard: refusals are logged too
    app.include_router(health.router)
    docs.install(app, settings.static_dir)
    for router in routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def _graphql_routes(routers: list[APIRouter]) -> tuple[list[str], list[str]]:
    """A GraphQL router declares itself: its GET page (the IDE) is open (a GET query still authenticates in
    its context), and it answers hostile input in GraphQL shape, so the guard's content checks skip it."""
    public, unchecked = [], []
    for router in routers:
        if hasattr(router, "schema") and hasattr(router, "graphql_ide"):  # strawberry's GraphQLRouter
            for route in router.routes:
                public.append(f"GET {route.path}")
                unchecked.append(route.path)
    return public, unchecked


def _guard(app: FastAPI, settings: CommonSettings, routers: list[APIRouter], public, unchecked) -> None:
    graphql_public, graphql_unchecked = _graphql_routes(routers)
    rules = GuardRules(max_bytes=settings.max_request_bytes,
                       public=routes([*KIT_PUBLIC, *public, *graphql_public]),
                       unchecked=routes([*unchecked, *graphql_unchecked]))
    app.add_middleware(Guard, rules=rules, verifier=app.state.verifier)


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or spec.settings_cls()

    async def start(app: FastAPI, stack: contextlib.AsyncExitStack) -> None:
        await _start(app, spec, settings, stack)

    return base_app(name=spec.name, title=spec.title, description=spec.description, version=spec.version,
                    settings=settings, start=start, routers=spec.routers, public=spec.public,
                    unchecked=spec.unchecked)


async def _start(app: FastAPI, spec: ServiceSpec, settings: ServiceSettings, stack: contextlib.AsyncExitStack):
    wait = settings.startup_wait_seconds
    pool = await startup.patiently("PostgreSQL", lambda: db.create_pool(settings), limit=wait)
    stack.push_async_callback(pool.close)
    migrations = db.migrations_in("kit", "metodset_kit")
    if spec.migrations_package:
        migrations += db.migrations_in(spec.name, spec.migrations_package)
    await db.migrate(pool, migrations)
    app.state.pool = pool
    app.state.readiness["database"] = lambda: pool.fetchval("select 1")

    consumed = [t for p in spec.projections for t in p.topics]
    topics = spec.publishes + consumed + [f"{t}.dlq" for t in consumed]
    await startup.patiently("Kafka", lambda: kafka.ensure_topics(settings, [settings.topic(t) for t in topics]),
                            limit=wait)

    producer = await startup.patiently("Kafka", lambda: kafka.started_producer(settings), limit=wait)
    stack.push_async_callback(producer.stop)
    app.state.readiness["broker"] = producer.client.fetch_all_metadata

    wait = settings.shutdown.background_wait
    if settings.relay_enabled and spec.publishes:
        relay = Relay.for_settings(pool, producer, settings)
        app.state.relay = relay
        await _background(stack, relay.run, relay.stop, wait)

    stopped = asyncio.Event()
    await _background(stack, lambda: retention.run(pool, stopped, inbox_days=settings.inbox_retention_days,
                                                   outbox_days=settings.outbox_retention_days), stopped.set, wait)

    if spec.projections:
        # faststream would make its broker logger a stdout handler of its own; this one goes to the root.
        # Its per-batch "Received"/"Processed" lines are debug: failures are logged as errors all the same.
        broker = KafkaBroker(settings.bootstrap_servers, client_id=f"metodset-{spec.name}", acks="all",
                             logger=logging.getLogger("faststream.access.kafka"), log_level=logging.DEBUG,
                             graceful_timeout=settings.shutdown.consumer_drain)
        for projection in spec.projections:
            subscribe(broker, lambda: app.state.pool, projection, settings)
        await broker.start()
        stack.push_async_callback(stop_consumers, broker)
        app.state.broker = broker

    for starter in spec.starters:
        await starter(app, stack)


async def _background(stack: contextlib.AsyncExitStack, run: Callable[[], Awaitable[None]],
                      stop: Callable[[], None], wait: float) -> None:
    task = asyncio.create_task(run())

    async def _shutdown():
        stop()
        try:  # long enough for a relay batch in flight to finish or reach its time limit (SHUTDOWN_GRACE_SECONDS)
            await asyncio.wait_for(task, wait)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()

    stack.push_async_callback(_shutdown)


def serve(app_path: str, settings_cls: type[CommonSettings]) -> None:
    """Run a service under uvicorn; SIGTERM and Ctrl-C shut it down gracefully within SHUTDOWN_GRACE_SECONDS.

    uvicorn installs no logging of its own: its loggers propagate to the kit's one handler, and the kit's
    middleware writes the access log (with the trace id)."""
    import uvicorn

    settings = settings_cls()
    log.configure(settings.service_name, settings.log_level, settings.log_format)
    uvicorn.run(app_path, host=settings.host, port=settings.port, factory=True, log_config=None, log_level=None,
                access_log=False, timeout_graceful_shutdown=settings.shutdown.http_drain, loop="uvloop",
                http="httptools")
