"""Domain errors that name the field at fault, rendered like FastAPI's own validation errors; the rule that a
refused read of a scoped record answers like a missing one."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from . import hostile
from .messages import translated


class DomainError(Exception):
    status_code = 422

    def __init__(self, field: str | None, message: str, code: str = "invalid", where: str = "body"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code
        self.where = where  # body, query or path, as in FastAPI's `loc`

    def as_detail(self) -> dict:
        loc = [self.where, self.field] if self.field else [self.where]
        return {"loc": loc, "msg": self.message, "type": self.code}


class NotFound(DomainError):
    status_code = 404

    def __init__(self, field: str | None, message: str, code: str = "not_found", where: str = "body"):
        super().__init__(field, message, code, where)


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    """The caller's role may not do this (403). The message names the role; `details`, when given, name
    each refused field in the same FastAPI-like shape as every other error."""

    status_code = 403

    def __init__(self, message: str, details: list[dict] | None = None, field: str | None = None):
        super().__init__(field, message, "forbidden")
        self.details = details

    def as_details(self) -> list[dict]:
        return self.details or [self.as_detail()]


def visible_or_missing(allowed: bool, missing: NotFound) -> None:
    """Reads by design: the organisation directory is public to any authenticated caller; everything about
    people (and indicators) is scoped, and a scoped record the caller may not read answers exactly like a
    missing one (404, code not_found, the same message), so a refusal never tells that the record exists."""
    if not allowed:
        raise missing


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
        details = exc.as_details() if isinstance(exc, Forbidden) else [exc.as_detail()]
        return JSONResponse({"detail": details}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": short_errors(exc.errors())}, status_code=422)

    install_rows(app)


def short_errors(errors) -> list[dict]:
    """FastAPI's validation errors in Russian (English as msg_en) with only a short prefix of each offending
    value (never a 20 MB echo), and nothing a JSON response cannot carry (a lone surrogate would fail its UTF-8
    encoding)."""
    out = []
    for error in errors:
        error = translated(dict(error))
        if "input" in error:
            error["input"] = hostile.prefix(error["input"])
        out.append(_printable(jsonable_encoder(error, custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})))
    return out


def _printable(value):
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


class RowsRejected(Exception):
    """A batch where some rows are bad: every bad row is reported, nothing is written."""

    def __init__(self, details: list[dict]):
        super().__init__(f"{len(details)} errors")
        self.details = details


def install_rows(app: FastAPI) -> None:
    @app.exception_handler(RowsRejected)
    async def _rows(_: Request, exc: RowsRejected) -> JSONResponse:
        return JSONResponse({"detail": exc.details}, status_code=422)
