"""Domain errors that name the field at fault, rendered like FastAPI's own validation errors."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status_code = 422

    def __init__(self, field: str | None, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code

    def as_detail(self) -> dict:
        loc = ["body", self.field] if self.field else ["body"]
        return {"loc": loc, "msg": self.message, "type": self.code}


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": [exc.as_detail()]}, status_code=exc.status_code)

    install_rows(app)


class RowsRejected(Exception):
    """A batch where some rows are bad: every bad row is reported, nothing is written."""

    def __init__(self, details: list[dict]):
        super().__init__(f"{len(details)} errors")
        self.details = details


def install_rows(app: FastAPI) -> None:
    @app.exception_handler(RowsRejected)
    async def _rows(_: Request, exc: RowsRejected) -> JSONResponse:
        return JSONResponse({"detail": exc.details}, status_code=422)
