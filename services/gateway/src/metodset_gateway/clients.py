"""HTTP clients of the owning services; the caller's token is forwarded so each service checks scope itself."""
from __future__ import annotations

from typing import Any

import httpx
from graphql import GraphQLError
from pydantic.alias_generators import to_camel

SERVICE_TITLES = {"registry": "реестр", "monitoring": "мониторинг", "events": "мероприятия"}


class ServiceError(GraphQLError):
    """A service refused the request: the message is for people, extensions name the field."""


def _error_from(service: str, response: httpx.Response) -> ServiceError:
    if response.status_code >= 500:  # the details stay in the service's log, under the same trace id
        return ServiceError(f"Сервис «{SERVICE_TITLES.get(service, service)}» не смог выполнить запрос",
                            extensions={"code": "SERVICE_ERROR", "service": service, "status": response.status_code})
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    code = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
            409: "CONFLICT", 422: "BAD_USER_INPUT"}.get(response.status_code, "SERVICE_ERROR")
    if isinstance(detail, list) and detail:
        fields = [".".join(to_camel(str(p)) for p in d.get("loc", [])[1:]) for d in detail]
        message = _joined(fields, [str(d.get("msg")) for d in detail])
        return ServiceError(message, extensions={"code": code, "field": fields[0], "fields": fields,
                                                 "service": service, "status": response.status_code})
    return ServiceError(str(detail or f"{SERVICE_TITLES.get(service, service)}: ошибка {response.status_code}"),
                        extensions={"code": code, "service": service, "status": response.status_code})


def _joined(fields: list[str], messages: list[str]) -> str:
    """One line per distinct message, led by the fields it is about (a refusal of several fields says its
    sentence once: «kind, inn: Администратор организации не может изменять поля: …»)."""
    by_message: dict[str, list[str]] = {}
    for f, m in zip(fields, messages, strict=True):
        by_message.setdefault(m, []).append(f)
    return "; ".join(f"{', '.join(f for f in fs if f)}: {m}" if any(fs) else m for m, fs in by_message.items())


class ServiceClient:
    def __init__(self, name: str, http: httpx.AsyncClient, base_url: str):
        self.name = name
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def call(self, method: str, path: str, token: str, **kwargs) -> Any:
        try:
            response = await self.http.request(method, f"{self.base_url}{path}",
                                               headers={"Authorization": f"Bearer {token}"}, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceError(f"Сервис «{SERVICE_TITLES.get(self.name, self.name)}» недоступен",
                               extensions={"code": "SERVICE_UNAVAILABLE", "service": self.name}) from exc
        if response.status_code >= 400:
            raise _error_from(self.name, response)
        return None if response.status_code == 204 else response.json()

    async def find(self, path: str, token: str, **kwargs) -> Any:
        """GET one record; None when the service answers 404 (missing, or out of the caller's scope alike)."""
        try:
            return await self.call("GET", path, token, **kwargs)
        except ServiceError as exc:
            if (exc.extensions or {}).get("status") == 404:
                return None
            raise
