"""The public verification endpoint pattern: `GET /certificates/{code}` without a token answers exactly what the
document shows, or 404 for an unknown, revoked or malformed code (one answer for all three). The lookup is by
the code's digest (codes.py), so its timing does not depend on how close a guess was, and misses are throttled
per client address (MissThrottle: guessing is what produces misses; people who type a code right are never
slowed). Each answer that shows a holder's name is audited as a read by `public`."""
from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..errors import NotFound
from ..telemetry import current_trace_id
from .codes import display, normalise
from .pdf import PARTICIPATED
from .store import find_valid

# Routes the guard lets through without a token (ServiceSpec.public of a service that mounts the router).
PUBLIC = ("GET /certificates/*",)


class FactShown(BaseModel):
    label: str
    value: str


class DocumentShown(BaseModel):
    code: str
    title: str
    region: str
    issuer: str
    holder: str
    subject: str
    facts: list[FactShown]
    issuedAt: datetime
    statement: str = Field(default=PARTICIPATED, description="Что подтверждает документ (перед предметом)")


class MissThrottle:
    """At most `limit` unknown codes per client address in a window of `window` seconds; then 429 until it ends."""

    def __init__(self, limit: int = 30, window: float = 60.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._misses: dict[str, tuple[float, int]] = {}

    def _current(self, client: str) -> tuple[float, int]:
        now = self.clock()
        started, count = self._misses.get(client, (now, 0))
        return (now, 0) if now - started >= self.window else (started, count)

    def retry_after(self, client: str) -> int | None:
        """Seconds to wait when the client has used its misses, else None."""
        started, count = self._current(client)
        return max(1, round(started + self.window - self.clock())) if count >= self.limit else None

    def missed(self, client: str) -> None:
        if len(self._misses) > 100_000:  # forget finished windows rather than grow without bound
            self._misses = {c: v for c, v in self._misses.items() if self.clock() - v[0] < self.window}
        started, count = self._current(client)
        self._misses[client] = (started, count + 1)


TOO_MANY = "Слишком много неверных кодов, повторите позже / too many unknown codes, retry later"


def _unknown() -> NotFound:
    return NotFound("code", "Документ с таким кодом не найден или отозван / no valid document with this code",
                    where="path")


def _throttle(request: Request, kind: str, make) -> MissThrottle:
    """The app's own throttle of a kind (an app, not the module, holds it: apps in one process count apart)."""
    state = request.app.state
    if not hasattr(state, "document_throttles"):
        state.document_throttles = {}
    if kind not in state.document_throttles:
        state.document_throttles[kind] = make()
    return state.document_throttles[kind]


def verification_router(kind: str = "certificate", prefix: str = "/certificates",
                        throttle=MissThrottle, also: tuple[str, ...] = ()) -> APIRouter:
    """The verification endpoint of a kind of document (and of the kinds `also` verified at the same address,
    e.g. olympiad diplomas next to certificates); `throttle` makes each app's MissThrottle."""
    router = APIRouter(tags=["documents"])

    @router.get(prefix + "/{code}", operation_id=f"verify{kind.title()}", response_model=DocumentShown,
                summary="Проверка документа по коду (без токена)",
                description="200 с тем, что показывает документ; 404 not_found для неизвестного или отозванного "
                            "кода (одинаково).",
                responses={404: {"description": "Код неизвестен или документ отозван"},
                           429: {"description": "Слишком много неверных кодов с этого адреса"}})
    async def verify(request: Request, code: str):
        client = request.client.host if request.client else ""
        misses = _throttle(request, kind, throttle)
        wait = misses.retry_after(client)
        if wait is not None:
            return JSONResponse({"detail": [{"loc": ["path", "code"], "msg": TOO_MANY, "type": "too_many_requests"}]},
                                status_code=429, headers={"Retry-After": str(wait)})
        async with request.app.state.pool.acquire() as conn:
            row = await find_valid(conn, (kind, *also), code)
            if row is None:
                misses.missed(client)
                raise _unknown()
            await conn.execute(
                "insert into audit_log (subject, role, action, resource, resource_id, trace_id, operation)"
                " values ('public', 'public', 'read', $1, $2, $3, $4)",
                row["kind"], str(row["id"]), current_trace_id(), f"verify{kind.title()}")
        return DocumentShown(code=display(normalise(code)), issuedAt=row["issued_at"], **row["shows"])

    return router
