"""Checks that a documentation page loads everything from its own origin (closed networks have no CDN)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[^\s'"<>)`]+""")
MIN_ASSET_BYTES = 500  # the smallest asset (the favicon) has 628


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        wanted = {"script": "src", "link": "href", "img": "src"}.get(tag)
        if wanted and attrs.get(wanted):
            self.urls.append(attrs[wanted])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def references(page: str) -> list[str]:
    """script src, link href, img src and url(...) of the page's own CSS; data: URLs are inline, not fetched."""
    parser = _References()
    parser.feed(page)
    urls = parser.urls + [u for css in parser.styles for u in CSS_URL.findall(css)]
    return [u for u in urls if not u.startswith("data:")]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def outside_urls(page: str, own: str) -> list[str]:
    """Absolute addresses written in the page (scripts included) that are not on its own origin."""
    return [u for u in ABSOLUTE_URL.findall(page) if origin(urljoin(own + "/", u)) != own]


def check_page(http, page_url: str, headers: dict | None = None) -> list[str]:
    """Fetches the page and every asset it references; returns the asset URLs. `http`: httpx or TestClient."""
    page = http.get(page_url, headers=headers or {})
    assert page.status_code == 200, (page_url, page.status_code, page.text[:500])
    assert page.headers["content-type"].startswith("text/html")
    own = origin(page_url)
    assert outside_urls(page.text, own) == []
    assets = [urljoin(page_url, ref) for ref in references(page.text)]
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for asset in assets:
        assert origin(asset) == own, asset
        body = _fetch(http, asset)
        if asset.endswith(".css"):  # what the stylesheets load in turn
            for ref in CSS_URL.findall(body.decode(errors="replace")):
                if not ref.startswith("data:"):
                    nested = urljoin(asset, ref)
                    assert origin(nested) == own, (asset, ref)
                    _fetch(http, nested)
    return assets


def _fetch(http, url: str) -> bytes:
    r = http.get(url)
    assert r.status_code == 200, (url, r.status_code)
    assert len(r.content) >= MIN_ASSET_BYTES, (url, len(r.content))
    return r.content
