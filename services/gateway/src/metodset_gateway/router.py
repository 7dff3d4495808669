"""The /graphql endpoint with the request-level bounds: a JSON body too deep to decode, an operation that
runs too long, a result too large to send. Each is answered in GraphQL shape."""
from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import Response
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from metodset_kit.hostile import json_too_deep

from .ide import LocalGraphiQLRouter
from .limits import MAX_BODY_DEPTH, Limits


class RequestRefused(Exception):
    """A request refused before GraphQL could read it: answered 400 with a GraphQL error."""

    def __init__(self, message: str, **extensions: Any):
        super().__init__(message)
        self.payload = _error(message, **extensions)


def _error(message: str, **extensions: Any) -> dict:
    return {"data": None, "errors": [{"message": message, "extensions": extensions}]}


class GatewayRouter(LocalGraphiQLRouter):
    def __init__(self, schema, *, limits: Limits, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.limits = limits

    async def run(self, *args: Any, **kwargs: Any) -> Response:
        try:
            return await super().run(*args, **kwargs)
        except RequestRefused as refused:
            return Response(self.encode_json(refused.payload), status_code=400, media_type="application/json")

    def encode_json(self, data: object) -> bytes:
        # Cyrillic as UTF-8, not \u escapes: a third of the size, and readable with curl
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()

    def parse_json(self, data: str | bytes) -> Any:
        # The standard decoder recurses: a body nested a thousand deep must be refused before it runs.
        if json_too_deep(data, MAX_BODY_DEPTH):
            raise RequestRefused(f"Тело запроса (JSON) вложено глубже {MAX_BODY_DEPTH} уровней",
                                 code="BAD_USER_INPUT", limit=MAX_BODY_DEPTH)
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):  # strawberry reads it as a mapping (batches are not enabled)
            raise RequestRefused("Ожидался объект JSON: тело запроса {\"query\": ...} или параметр variables / "
                                 "a JSON object was expected (the request body, or variables)", code="BAD_REQUEST")
        return parsed

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        seconds = self.limits.timeout_seconds
        try:
            return await asyncio.wait_for(super().execute_single(*args, **kwargs), seconds)
        except TimeoutError:  # the operation is cancelled; the worker goes on serving the others
            return ExecutionResult(data=None, errors=[GraphQLError(
                f"Запрос выполнялся дольше {seconds:g} с и был прерван",
                extensions={"code": "TIMEOUT", "seconds": seconds})])

    def create_response(self, response_data, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        limit = self.limits.max_response_bytes
        if len(response.body) <= limit:
            return response
        return super().create_response(_error(f"Ответ больше {limit} байт; запросите меньше (first) или меньше полей",
                                              code="RESPONSE_TOO_LARGE", limit=limit, bytes=len(response.body)),
                                       sub_response)
