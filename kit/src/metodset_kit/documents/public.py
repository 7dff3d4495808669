"""The public verification endpoint pattern: `GET /certificates/{code}` without a token answers exactly what the
document shows, or 404 for an unknown, revoked or malformed code (one answer for all three). The lookup is by
the code's digest (codes.py), so its timing does not depend on how close a guess was. Each answer that shows a
holder's name is audited as a read by `public`."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ..errors import NotFound
from ..telemetry import current_trace_id
from .codes import display, normalise
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


def _unknown() -> NotFound:
    return NotFound("code", "Документ с таким кодом не найден или отозван / no valid document with this code",
                    where="path")


def verification_router(kind: str = "certificate", prefix: str = "/certificates") -> APIRouter:
    router = APIRouter(tags=["documents"])

    @router.get(prefix + "/{code}", operation_id=f"verify{kind.title()}", response_model=DocumentShown,
                summary="Проверка документа по коду (без токена)",
                description="200 с тем, что показывает документ; 404 not_found для неизвестного или отозванного "
                            "кода (одинаково).",
                responses={404: {"description": "Код неизвестен или документ отозван"}})
    async def verify(request: Request, code: str):
        async with request.app.state.pool.acquire() as conn:
            row = await find_valid(conn, kind, code)
            if row is None:
                raise _unknown()
            await conn.execute(
                "insert into audit_log (subject, role, action, resource, resource_id, trace_id, operation)"
                " values ('public', 'public', 'read', $1, $2, $3, $4)",
                kind, str(row["id"]), current_trace_id(), f"verify{kind.title()}")
        return DocumentShown(code=display(normalise(code)), issuedAt=row["issued_at"], **row["shows"])

    return router
