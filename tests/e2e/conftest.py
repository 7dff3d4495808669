import asyncio

import httpx
import pytest

from tests.conftest import start_stack, token


@pytest.fixture(scope="module")
def stack(infra, namespace, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp(f"logs-{namespace}")
    stack = start_stack(infra, namespace, log_dir)
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


async def eventually(check, limit: float = 60.0, every: float = 0.1):
    """Poll until check() returns a truthy value; return it. Not a timing assertion: the limit is generous."""
    for _ in range(int(limit / every)):
        value = await check()
        if value:
            return value
        await asyncio.sleep(every)
    raise AssertionError(f"not reached within {limit}s")
