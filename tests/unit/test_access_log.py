"""The access log: one line per request with the status the app answered, a line for a request the app failed
on (as the 500 the server answers), none for health and metrics."""
import asyncio

import pytest

from metodset_kit.access_log import AccessLog


class Lines:
    def __init__(self):
        self.lines = []

    def info(self, msg, **fields):
        self.lines.append((msg, fields))


def _app(status: int | None):
    async def app(scope, receive, send):
        if status is None:
            raise RuntimeError("boom")
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})
    return app


def _call(middleware: AccessLog, path: str) -> list:
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    asyncio.run(middleware({"type": "http", "method": "GET", "path": path}, receive, send))
    return sent


def _logged(status: int | None, path: str = "/organisations") -> tuple[list, list]:
    middleware = AccessLog(_app(status))
    middleware.logger = Lines()
    sent = _call(middleware, path)
    return middleware.logger.lines, sent


def test_a_request_is_logged_with_the_status_the_app_answered():
    lines, sent = _logged(404)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    [(msg, fields)] = lines
    assert msg == "http.request"
    assert (fields["method"], fields["path"], fields["status"]) == ("GET", "/organisations", 404)
    assert fields["ms"] >= 0


def test_a_request_the_app_failed_on_is_logged_as_500():
    middleware = AccessLog(_app(None))
    middleware.logger = Lines()
    with pytest.raises(RuntimeError):
        _call(middleware, "/organisations")
    assert [f["status"] for _, f in middleware.logger.lines] == [500]


def test_health_and_metrics_are_not_logged():
    for path in ("/healthz", "/readyz", "/metrics"):
        lines, sent = _logged(200, path)
        assert lines == [] and sent
