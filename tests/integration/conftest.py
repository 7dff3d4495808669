"""Fixtures of the registry's integration tests; a module that needs its own data defines its own `api`."""
import functools

import pytest

from tests.registry_app import bearer, registry_client


@pytest.fixture(scope="module")
async def api(infra, namespace):
    """The registry's app in process on the module's database, with Kaluga and Obninsk created."""
    async with registry_client(infra, namespace) as http:
        yield http


@pytest.fixture(scope="module")
def as_role(infra):
    """Authorization headers for a role and its scope: as_role("municipal_methodist", municipality=...)."""
    return functools.partial(bearer, infra)
