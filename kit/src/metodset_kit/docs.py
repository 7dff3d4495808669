"""API documentation pages (Swagger UI) from the project's own static files, so they work in closed networks.

The files are installed from web/package-lock.json (scripts/ensure-env, or the image build) into STATIC_DIR.
Without them a service still starts; its pages say what is missing and how to install it.
"""
from __future__ import annotations

import contextlib
import html
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.staticfiles import StaticFiles

from . import logging as log

STATIC_PATH = "/static"
SWAGGER_JS = "swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui/swagger-ui.css"
SWAGGER_ICON = "swagger-ui/favicon-32x32.png"
SWAGGER_FILES = (SWAGGER_JS, SWAGGER_CSS, SWAGGER_ICON)


def checkout_static_dir() -> Path:
    """web/static of the source checkout (the workspace installs the kit editable from kit/src)."""
    return Path(__file__).resolve().parents[3] / "web" / "static"


@dataclass(frozen=True)
class StaticAssets:
    directory: Path

    def missing(self, names: tuple[str, ...]) -> list[str]:
        return [name for name in names if not (self.directory / name).is_file()]

    def url(self, request: Request, name: str) -> str:
        return f"{request.scope.get('root_path', '')}{STATIC_PATH}/{name}"


class _OptionalStaticFiles(StaticFiles):
    """Answers 404 instead of failing while the folder is missing, and serves it once it is installed."""

    async def check_config(self) -> None:
        with contextlib.suppress(RuntimeError):  # "directory does not exist": its files answer 404 until then
            await super().check_config()


def assets_of(request: Request) -> StaticAssets:
    return request.app.state.static_assets


def install(app: FastAPI, static_dir: Path | None) -> None:
    """Serves /static and /docs; /redoc (a CDN page in FastAPI) leads to /docs."""
    assets = StaticAssets(static_dir or checkout_static_dir())
    app.state.static_assets = assets
    if assets.missing(SWAGGER_FILES):
        log.get().warning("docs.assets_missing", directory=str(assets.directory), install="make env")
    app.mount(STATIC_PATH, _OptionalStaticFiles(directory=assets.directory, check_dir=False), name="static")

    def swagger_ui(request: Request) -> HTMLResponse:
        assets = assets_of(request)
        if missing := assets.missing(SWAGGER_FILES):
            return missing_page(missing)
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + app.openapi_url, title=f"{app.title} — Swagger UI",
            swagger_js_url=assets.url(request, SWAGGER_JS), swagger_css_url=assets.url(request, SWAGGER_CSS),
            swagger_favicon_url=assets.url(request, SWAGGER_ICON),
            swagger_ui_parameters={"validatorUrl": None},  # the default validator is an outside service
        )

    async def redoc(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/docs")

    app.add_api_route("/docs", swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route("/redoc", redoc, methods=["GET"], include_in_schema=False)


def missing_page(missing: list[str]) -> HTMLResponse:
    """What a documentation page shows when its assets were not installed."""
    files = "".join(f"<li><code>{html.escape(name)}</code></li>" for name in missing)
    body = f"""<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Документация API не установлена</title></head>
<body style="font-family: sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.5">
<h1>Документация API не установлена</h1>
<p>Файлы страницы документации (Swagger UI, GraphiQL) не найдены в каталоге статических файлов сервиса.
Установите их командой <code>make env</code> в каталоге проекта (нужен npm) и обновите страницу.
В образе (deploy/Dockerfile) они ставятся при сборке; каталог задаёт переменная <code>STATIC_DIR</code>.</p>
<h2 lang="en">API documentation assets are not installed</h2>
<p lang="en">The files of this page (Swagger UI, GraphiQL) are missing from the service's static folder.
Install them with <code>make env</code> in the project folder (needs npm), then reload the page.
The image (deploy/Dockerfile) installs them at build time; <code>STATIC_DIR</code> names the folder.</p>
<p>Нет файлов / missing files:</p><ul>{files}</ul>
<p>API работает и без этой страницы / the API works without this page.</p>
</body></html>"""
    return HTMLResponse(body, status_code=503)
