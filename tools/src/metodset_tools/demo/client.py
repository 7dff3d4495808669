"""The registry's REST API as the demo uses it: answers checked, lists followed page by page, refusals told in
Russian / English."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx


class LoadError(Exception):
    """The registry refused or is not there: the message says what to do, in Russian / English."""


@dataclass
class Tally:
    """What one area of the region did on this run."""

    created: int = 0  # or changed
    existing: int = 0
    refused: int = 0

    def line(self, title: str) -> str:
        text = f"  {title:<42} создано {self.created}, уже были {self.existing}"
        return text + (f", отклонено {self.refused} / refused" if self.refused else "")


@dataclass(frozen=True)
class Service:
    """Who answers, as messages name it (Russian in the nominative, English)."""

    ru: str
    en: str


REGISTRY = Service("реестр", "the registry")
EVENTS = Service("сервис мероприятий", "the events service")


def ok(r: httpx.Response, what: str, service: Service = REGISTRY) -> httpx.Response:
    if r.status_code in (401, 403):
        raise LoadError(f"{service.ru.capitalize()} не принял токен регионального координатора ({r.status_code}): "
                        f"стек запущен с другими ключами? / {service.en} refused the development token: {r.text[:300]}")
    if r.is_error:
        raise LoadError(f"{what}: {service.ru} ответил {r.status_code} / {service.en} answered {r.status_code}: "
                        f"{r.text[:500]}")
    return r


def items(http: httpx.Client, path: str, params: dict, what: str, service: Service = REGISTRY) -> Iterator[dict]:
    """Every item of a `{items, nextCursor}` list."""
    after = None
    while True:
        page = ok(http.get(path, params={**params, **({"after": after} if after else {})}), what, service).json()
        yield from page["items"]
        after = page["nextCursor"]
        if not after:
            return


def not_running(registry_url: str, exc: Exception, service: Service = REGISTRY) -> LoadError:
    if service != REGISTRY:
        return LoadError(f"{service.ru.capitalize()} не отвечает по адресу {registry_url}: запустите стек (`make run`) "
                         f"/ {service.en} is not running at {registry_url} ({exc.__class__.__name__})")
    return LoadError(f"Реестр не отвечает по адресу {registry_url}: запустите стек (`make run` в другом "
                     f"терминале) / the registry is not running at {registry_url}: start it with `make run` "
                     f"({exc.__class__.__name__})")
