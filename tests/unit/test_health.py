from fastapi import FastAPI
from fastapi.testclient import TestClient

from metodset_kit import health


def _app(**probes) -> TestClient:
    app = FastAPI()
    app.state.readiness = probes
    app.include_router(health.router)
    return TestClient(app)


async def _ok():
    return 1


async def _down():
    raise ConnectionRefusedError("broker at 127.0.0.1:9092")


def test_ready_when_every_dependency_answers():
    r = _app(database=_ok, broker=_ok).get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}


def test_not_ready_names_the_dependency_that_failed():
    r = _app(database=_ok, broker=_down).get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["database"] == "ok" and "9092" in r.json()["checks"]["broker"]


def test_alive_regardless_of_dependencies():
    assert _app(broker=_down).get("/healthz").status_code == 200
