import json
from pathlib import Path

import httpx
import pytest

from tests.conftest import start_stack, token


@pytest.fixture(scope="module")
def stack(infra, namespace, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp(f"logs-{namespace}")
    # spans are printed to each service's log, so a test can follow one trace across the processes
    stack = start_stack(infra, namespace, log_dir, OTEL_TRACES_EXPORTER="console", OTEL_BSP_SCHEDULE_DELAY="200")
    stack.log_dir = log_dir
    yield stack
    stack.stop()


class GraphQL:
    def __init__(self, url: str, bearer: str | None):
        self.url = url
        self.bearer = bearer

    async def __call__(self, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
        h = {"Authorization": f"Bearer {self.bearer}"} if self.bearer else {}
        async with httpx.AsyncClient(timeout=30) as http:
            r = await http.post(self.url, json={"query": query, "variables": variables or {}},
                                headers={**h, **(headers or {})})
        r.raise_for_status()
        return r.json()


@pytest.fixture(scope="module")
def gql(stack, infra):
    def make(role="regional_coordinator", **scope) -> GraphQL:
        return GraphQL(f"{stack.services['gateway'].url}/graphql", token(infra, role, **scope))

    return make


def spans_in(log: Path) -> list[dict]:
    """Spans the console exporter printed into a service's log (pretty-printed JSON objects)."""
    text = log.read_text(errors="replace")
    decoder = json.JSONDecoder()
    spans, at = [], text.find('{\n    "name": ')
    while at != -1:
        try:
            span, end = decoder.raw_decode(text, at)
            spans.append(span)
        except json.JSONDecodeError:
            end = at + 1
        at = text.find('{\n    "name": ', end)
    return spans
