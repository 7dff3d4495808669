"""Bounds of the /graphql endpoint itself: raw body nesting, execution time, response size; and their settings."""
import asyncio

import httpx
import pytest
import strawberry
from fastapi import FastAPI

from metodset_gateway.app import GatewaySettings
from metodset_gateway.limits import DEFAULT_COST_LIMITS, MAX_BODY_DEPTH, Limits
from metodset_gateway.router import GatewayRouter
from metodset_kit.scope import Role


@strawberry.type
class Query:
    @strawberry.field
    async def slow(self) -> str:
        await asyncio.sleep(3600)
        return "never"

    @strawberry.field
    def fast(self) -> str:
        return "ok"

    @strawberry.field
    def big(self, size: int) -> str:
        return "x" * size


def client(**limits) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(GatewayRouter(strawberry.Schema(Query), limits=Limits(**limits), path="/graphql"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_an_operation_past_the_timeout_is_cancelled_while_others_are_served():
    async with client(timeout_seconds=0.3) as http:
        slow, fast = await asyncio.gather(http.post("/graphql", json={"query": "{ slow }"}),
                                          http.post("/graphql", json={"query": "{ fast }"}))
    assert fast.json() == {"data": {"fast": "ok"}}
    assert slow.status_code == 200
    body = slow.json()
    assert body["data"] is None and body["errors"][0]["extensions"] == {"code": "TIMEOUT", "seconds": 0.3}


async def test_a_result_larger_than_the_bound_is_replaced_by_an_error():
    async with client(max_response_bytes=2048) as http:
        small = await http.post("/graphql", json={"query": "{ big(size: 1000) }"})
        large = await http.post("/graphql", json={"query": "{ big(size: 5000) }"})
    assert small.json()["data"]["big"] == "x" * 1000
    body = large.json()
    assert len(large.content) < 2048 and body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert body["errors"][0]["extensions"]["limit"] == 2048 and "2048" in body["errors"][0]["message"]


@pytest.mark.parametrize("raw", [
    b"[" * 1000 + b"]" * 1000,
    b'{"query": "query($v: Int) { fast }", "variables": {"v": ' + b"[" * 1000 + b"1" + b"]" * 1000 + b"}}",
    b'{"query": "{ fast }", "extensions": ' + b'{"a":' * (MAX_BODY_DEPTH + 1) + b"1" + b"}" * (MAX_BODY_DEPTH + 2),
])
async def test_a_body_nested_too_deep_gets_a_graphql_error_with_status_400(raw):
    async with client() as http:
        r = await http.post("/graphql", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": MAX_BODY_DEPTH}
    assert str(MAX_BODY_DEPTH) in error["message"]


async def test_variables_of_a_get_request_are_bounded_too():
    async with client() as http:
        r = await http.get("/graphql", params={"query": "{ fast }", "variables": "[" * 500 + "]" * 500})
        ok = await http.get("/graphql", params={"query": "{ fast }"})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert ok.json() == {"data": {"fast": "ok"}}


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("JWT_JWKS_URL", "http://issuer/jwks.json")
    monkeypatch.setenv("QUERY_COST_LIMITS", '{"analyst": 777}')
    monkeypatch.setenv("GRAPHQL_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("GRAPHQL_MAX_RESPONSE_BYTES", "4096")
    limits = GatewaySettings().limits()
    assert limits.cost == {**DEFAULT_COST_LIMITS, Role.ANALYST: 777}
    assert (limits.timeout_seconds, limits.max_response_bytes) == (2.5, 4096)


@pytest.mark.parametrize("value", ['{"king": 5}', '{"analyst": 0}'])
def test_a_wrong_cost_limit_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("JWT_JWKS_URL", "http://issuer/jwks.json")
    monkeypatch.setenv("QUERY_COST_LIMITS", value)
    with pytest.raises(ValueError):
        GatewaySettings()


def test_a_refusal_of_several_fields_says_its_sentence_once():
    from metodset_gateway.clients import _joined

    same = "Администратор организации не может изменять поля: вид организации, ИНН"
    assert _joined(["kind", "inn"], [same, same]) == f"kind, inn: {same}"
    assert _joined(["0.inn", "1.name"], ["a", "b"]) == "0.inn: a; 1.name: b"
    assert _joined([""], ["whole body"]) == "whole body"


def test_a_json_body_that_is_not_an_object_is_a_400_in_graphql_shape():
    import pytest

    from metodset_gateway.limits import Limits
    from metodset_gateway.router import GatewayRouter, RequestRefused
    from metodset_gateway.schema import schema

    router = GatewayRouter(schema, limits=Limits())
    for raw in (b"false", b"[1]", b'"text"', b"7"):
        with pytest.raises(RequestRefused) as refused:
            router.parse_json(raw)
        assert refused.value.payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert router.parse_json(b'{"query": "{ __typename }"}') == {"query": "{ __typename }"}
