"""On the running stack: every service's Swagger UI and the gateway's GraphiQL load nothing from outside."""
import httpx
import pytest

from tests.conftest import token
from tests.pages import check_page

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", ["registry", "events", "monitoring", "gateway"])
def test_swagger_ui_loads_only_the_services_own_files(stack, name):
    url = stack.services[name].url
    with httpx.Client(timeout=30) as http:
        assets = check_page(http, f"{url}/docs")
        assert f"{url}/static/swagger-ui/swagger-ui-bundle.js" in assets
        assert http.get(f"{url}/openapi.json").json()["info"]["title"]


def test_graphiql_page_is_local_and_queries_from_it_need_the_token(stack, infra):
    url = f"{stack.services['gateway'].url}/graphql"
    query = {"query": "{ __schema { queryType { name } } }"}
    with httpx.Client(timeout=30) as http:
        assets = check_page(http, url, {"Accept": "text/html"})
        assert {f"{stack.services['gateway'].url}/static/{p}" for p in
                ("react/react.production.min.js", "graphiql/graphiql.min.js")} <= set(assets)
        assert http.post(url, json=query).status_code == 401
        # what GraphiQL sends once the token is pasted into its headers editor
        bearer = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
        r = http.post(url, json=query, headers=bearer)
    assert r.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
