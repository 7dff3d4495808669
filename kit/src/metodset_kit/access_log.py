"""One access-log line per HTTP request, written inside the request's span (so it carries the trace id).

A plain ASGI middleware: Starlette's `@app.middleware("http")` runs every request through a task group and
memory streams for the body, which cost a registry batch of 500 organisations about a third of a millisecond."""
from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import logging as log

QUIET = frozenset({"/healthz", "/readyz", "/metrics"})


class AccessLog:
    def __init__(self, app: ASGIApp):
        self.app = app
        self.logger = log.get("access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in QUIET:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before it starts a response

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.logger.info("http.request", method=scope["method"], path=scope["path"], status=status,
                             ms=round((time.perf_counter() - started) * 1000, 1))
