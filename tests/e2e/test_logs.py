"""A real service process writes one log: every line JSON, from uvicorn and the libraries as from the kit.

The stack here runs without the console span exporter (which prints pretty-printed JSON spans to stdout,
on purpose, for the trace tests), so the whole log file, stdout and stderr together, must be JSON lines."""
import json

import httpx
import pytest

from tests.conftest import start_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stopped_stack_logs(infra, namespace, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("json-logs")
    stack = start_stack(infra, namespace, log_dir, names=("registry", "monitoring"), LOG_FORMAT="json",
                        LOG_LEVEL="INFO", OTEL_TRACES_EXPORTER="none", OTEL_METRICS_EXPORTER="none")
    try:
        for service in stack.services.values():
            httpx.get(f"{service.url}/readyz", timeout=10).raise_for_status()
            assert httpx.get(f"{service.url}/no-such-page", timeout=10).status_code == 401  # no token: 401
    finally:
        stack.stop()  # SIGTERM: the shutdown lines are in the log too
    return {name: (log_dir / f"{name}.log").read_text(errors="replace") for name in ("registry", "monitoring")}


@pytest.mark.parametrize("name", ["registry", "monitoring"])
def test_every_line_of_a_service_log_is_json_with_service_and_level(stopped_stack_logs, name):
    lines = [line for line in stopped_stack_logs[name].splitlines() if line.strip()]
    assert lines
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not a JSON line in {name}.log: {line[:300]!r}")
    assert all(isinstance(r, dict) and r["service"] == name and r["level"] and r["msg"] for r in records)
    loggers = {r.get("logger") for r in records}
    assert "uvicorn.error" in loggers  # uvicorn's own lines go through the same formatter
    messages = {r["msg"] for r in records}
    assert {"service.started", "service.stopping"} <= messages
    access = [r for r in records if r["msg"] == "http.request" and r["path"] == "/no-such-page"]
    assert [r["status"] for r in access] == [401]  # one access line per request, with its trace id
    assert access[0]["trace_id"]
    assert not [r for r in records if r.get("logger") == "uvicorn.access"]  # no second copy from uvicorn
    assert not [line for line in lines if "\x1b[" in line or "\\u001b[" in line]  # no colour codes
