"""The documentation pages load only the services' own static files; without them they say how to install them."""
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from metodset_gateway.app import GatewaySettings
from metodset_gateway.app import app as gateway_app
from metodset_kit import docs
from metodset_kit.service import create_app
from metodset_registry.app import SPEC, RegistrySettings
from tests.pages import check_page

JWKS = Path("/etc/metodset/jwks.json")  # never read: no request here carries a token
HTML = {"Accept": "text/html"}


def _gateway(**settings) -> TestClient:
    return TestClient(gateway_app(GatewaySettings(jwt_jwks_file=JWKS, **settings)))


def _registry(**settings) -> TestClient:
    return TestClient(create_app(SPEC, RegistrySettings(
        database_url="postgresql://u@db:5432/postgres", kafka_bootstrap_servers="k1:9092", jwt_jwks_file=JWKS,
        **settings)))


@pytest.fixture(scope="module", autouse=True)
def installed():
    missing = docs.StaticAssets(docs.checkout_static_dir()).missing(docs.SWAGGER_FILES)
    assert not missing, f"run `make env` to install the documentation assets: {missing}"


def test_swagger_ui_of_a_service_loads_only_its_own_files():
    http = _registry()
    assets = check_page(http, "http://testserver/docs")
    assert "http://testserver/static/swagger-ui/swagger-ui-bundle.js" in assets
    page = http.get("/docs").text
    assert '"validatorUrl": null' in page and "'/openapi.json'" in page
    assert http.get("/openapi.json").status_code == 200


def test_graphiql_loads_only_the_gateways_own_files_and_asks_for_a_token():
    http = _gateway()
    assets = check_page(http, "http://testserver/graphql", HTML)
    assert "http://testserver/static/graphiql/graphiql.min.js" in assets
    page = http.get("/graphql", headers=HTML).text
    assert '"Authorization": "Bearer "' in page and "Headers" in page


def test_pages_follow_the_root_path_of_a_reverse_proxy():
    http = TestClient(_registry().app, root_path="/registry")
    page = http.get("/docs").text
    assert 'href="/registry/static/swagger-ui/swagger-ui.css"' in page and "'/registry/openapi.json'" in page


def test_redoc_leads_to_the_local_swagger_ui():
    r = _registry().get("/redoc", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/docs"


def test_docs_pages_are_not_part_of_the_api_contract():
    paths = _registry().get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc"} & set(paths) and not any(p.startswith("/static") for p in paths)


@pytest.mark.parametrize("client,path", [(_registry, "/docs"), (_gateway, "/graphql")])
def test_without_assets_the_service_starts_and_the_page_says_how_to_install_them(tmp_path, client, path):
    http = client(static_dir=tmp_path / "not-installed")
    r = http.get(path, headers=HTML)
    assert r.status_code == 503
    assert "Документация API не установлена" in r.text and "not installed" in r.text and "make env" in r.text
    assert http.get("/static/swagger-ui/swagger-ui.css").status_code == 404
    assert http.get("/healthz").status_code == 200


def test_assets_installed_while_running_are_served(tmp_path):
    http = _registry(static_dir=tmp_path)
    assert http.get("/docs").status_code == 503
    for name in docs.SWAGGER_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((docs.checkout_static_dir() / name).read_bytes())
    assert http.get("/docs").status_code == 200
    assert http.get("/static/swagger-ui/swagger-ui.css").headers["content-type"].startswith("text/css")
