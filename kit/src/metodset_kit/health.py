"""/healthz (the process is alive) and /readyz (its database and broker are reachable)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="healthz", summary="Процесс жив / liveness")
async def healthz() -> dict:
    return {"status": "ok"}


async def _check(coro, timeout: float = 2.0) -> str:
    try:
        await asyncio.wait_for(coro, timeout)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"error: {exc!r}"[:300]


@router.get("/metrics", operation_id="metrics", summary="Метрики в формате Prometheus / metrics",
            response_class=PlainTextResponse)
async def metrics_endpoint() -> PlainTextResponse:
    return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/readyz", operation_id="readyz", summary="Готовность: БД и брокер доступны / readiness")
async def readyz(request: Request) -> JSONResponse:
    checks = {}
    for name, probe in request.app.state.readiness.items():
        checks[name] = await _check(probe())
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)
