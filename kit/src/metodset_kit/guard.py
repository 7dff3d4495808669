"""The HTTP entry of every service, as a pure ASGI middleware that runs before routing and body parsing.

Order, decided once for all services:
1. a declared Content-Length above MAX_REQUEST_BYTES: 413 at once (even before authentication: nothing is read);
2. authentication on every path not declared public: 401 / 403 without reading the body;
3. the path and query string: NUL or a lone surrogate → 422 naming the parameter;
4. the body, read here up to the limit: 413 as soon as a streamed body exceeds it;
5. a JSON body nested too deep, or with NUL / lone surrogates → 422 naming the field.
Steps 3 and 5 can be left to another layer per route (a GraphQL endpoint answers in GraphQL shape).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import hostile
from .auth import AuthRefused, TokenVerifier, verified

TOO_LARGE = "Слишком большой запрос / request body too large (limit {limit} bytes)"
TOO_DEEP = "Слишком глубокая вложенность JSON / JSON nested too deep (limit {limit})"
# Open to anyone: probes, metrics, API docs and their assets.
KIT_PUBLIC = ("/healthz", "/readyz", "/metrics", "GET /docs", "GET /docs/*", "GET /openapi.json", "GET /redoc",
              "GET /static/*")


@dataclass(frozen=True)
class Route:
    """`GET /docs/*`: a method (or any, when left out) and a path, exact or, ending in `/*`, a prefix."""

    method: str | None
    path: str

    @classmethod
    def parse(cls, text: str) -> Route:
        method, _, path = text.strip().rpartition(" ")
        return cls(method.upper() or None, path)

    def covers(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method and not (self.method == "GET" and method == "HEAD"):
            return False
        if self.path.endswith("/*"):
            return path.startswith(self.path[:-1])
        return path == self.path


def routes(texts: Iterable[str | Route]) -> tuple[Route, ...]:
    return tuple(t if isinstance(t, Route) else Route.parse(t) for t in texts)


@dataclass(frozen=True)
class GuardRules:
    max_bytes: int
    public: tuple[Route, ...] = routes(KIT_PUBLIC)
    unchecked: tuple[Route, ...] = ()  # content checks (steps 3 and 5) left to the endpoint

    def is_public(self, method: str, path: str) -> bool:
        return any(r.covers(method, path) for r in self.public)

    def checks_content(self, method: str, path: str) -> bool:
        return not any(r.covers(method, path) for r in self.unchecked)


class Refused(Exception):
    def __init__(self, status_code: int, content, headers: dict[str, str] | None = None):
        super().__init__(status_code)
        self.response = JSONResponse(content, status_code=status_code, headers=headers)


def invalid(loc: list, message: str, kind: str = "invalid_text") -> Refused:
    return Refused(422, {"detail": [{"loc": loc, "msg": message, "type": kind}]})


def _safe(name: str) -> str:
    """A parameter name fit to be echoed: short, with what JSON or the database cannot carry replaced."""
    short = hostile.prefix(name)
    return short.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


class Guard:
    def __init__(self, app: ASGIApp, rules: GuardRules, verifier: TokenVerifier):
        self.app = app
        self.rules = rules
        self.verifier = verifier
        self._path_templates: list[re.Pattern] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            receive = await self._admit(scope, receive)
        except Refused as refused:
            await refused.response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _admit(self, scope: Scope, receive: Receive) -> Receive:
        method, path, headers = scope["method"], scope["path"], Headers(scope=scope)
        self._check_length(headers)
        if not self.rules.is_public(method, path):
            await self._authenticate(scope, headers)
        checks = self.rules.checks_content(method, path)
        if checks:
            self._check_path(scope)
            self._check_query(scope)
        body = await self._read_body(receive)
        if checks and body:
            self._check_body(body, headers)
        return _replay(body, receive)

    def _check_length(self, headers: Headers) -> None:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.rules.max_bytes:
            raise self._too_large()

    def _too_large(self) -> Refused:
        return Refused(413, {"detail": TOO_LARGE.format(limit=self.rules.max_bytes)})

    async def _authenticate(self, scope: Scope, headers: Headers) -> None:
        header = headers.get("authorization", "")
        try:
            principal = await verified(self.verifier, header)
        except AuthRefused as exc:
            raise Refused(exc.status_code, {"detail": exc.detail}, exc.headers) from None
        scope.setdefault("state", {})["principal"] = principal  # request.state.principal for `authenticate`

    def _check_path(self, scope: Scope) -> None:
        reason = hostile.bad_text(scope["path"])
        if reason:
            raise invalid(["path", *self._path_param(scope)], reason)

    def _path_param(self, scope: Scope) -> list[str]:
        """The name of the path parameter holding the bad text, found by the app's documented path templates."""
        for template in self._templates(scope.get("app")):
            found = template.match(scope["path"])
            if found:
                return [name for name, value in found.groupdict().items() if hostile.bad_text(value)][:1]
        return []

    def _templates(self, app) -> list[re.Pattern]:
        if self._path_templates is None:
            paths = app.openapi().get("paths", {}) if hasattr(app, "openapi") else {}
            self._path_templates = [compile_path(p)[0] for p in paths if "{" in p]
        return self._path_templates

    def _check_query(self, scope: Scope) -> None:
        for name, value in QueryParams(scope.get("query_string", b"")).multi_items():
            reason = hostile.bad_text(name) or hostile.bad_text(value)
            if reason:
                raise invalid(["query", _safe(name)], reason)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refused(400, {"detail": "client disconnected"})
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.rules.max_bytes:  # refused before the rest is received
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _check_body(self, body: bytes, headers: Headers) -> None:
        kind = headers.get("content-type", "")
        if kind and "json" not in kind:
            return
        if hostile.json_too_deep(body):
            raise invalid(["body"], TOO_DEEP.format(limit=hostile.MAX_JSON_DEPTH), "json_too_deep")
        if not hostile.may_hold_bad_text(body):
            return
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            return  # not JSON: the endpoint answers that in its own words
        found = hostile.find_bad_text(value)
        if found:
            where, reason = found
            raise invalid(["body", *(_safe(p) if isinstance(p, str) else p for p in where)], reason)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, handed to the app as one message; later calls go to the server (disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
