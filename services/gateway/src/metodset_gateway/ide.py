"""GraphiQL from the kit's static files instead of strawberry's CDN page, so it works in closed networks."""
from __future__ import annotations

import html
from importlib.resources import files

from fastapi import Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from metodset_kit import docs

ASSETS = {
    "react_js": "react/react.production.min.js",
    "react_dom_js": "react/react-dom.production.min.js",
    "graphiql_js": "graphiql/graphiql.min.js",
    "graphiql_css": "graphiql/graphiql.min.css",
    "explorer_js": "graphiql/plugin-explorer.umd.js",
    "explorer_css": "graphiql/plugin-explorer.css",
}
_TEMPLATE = files(__package__).joinpath("graphiql.html").read_text(encoding="utf-8")


def graphiql_html(urls: dict[str, str]) -> str:
    page = _TEMPLATE
    for key, url in urls.items():
        page = page.replace("{{" + key + "}}", html.escape(url))
    return page


class LocalGraphiQLRouter(GraphQLRouter):
    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        assets = docs.assets_of(request)
        if missing := assets.missing(tuple(ASSETS.values())):
            return docs.missing_page(missing)
        return HTMLResponse(graphiql_html({key: assets.url(request, name) for key, name in ASSETS.items()}))
