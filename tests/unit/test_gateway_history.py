"""The gateway's asOf on organisations: passed to the registry, not counted by the cost estimate."""
import asyncio

from graphql import parse

from metodset_gateway.cost import operation_cost
from metodset_gateway.loaders import organisation_pages
from metodset_gateway.paging import list_pages
from metodset_gateway.schema import schema

SCHEMA = schema._schema
PAGE = {"items": [], "nextCursor": None, "totalCount": 0}


def cost(query: str) -> int:
    return operation_cost(SCHEMA, parse(query), list_pages(SCHEMA))


def test_as_of_is_an_argument_of_every_organisation_read():
    query, municipality = SCHEMA.query_type.fields, SCHEMA.type_map["Municipality"].fields
    for field in (query["organisation"], query["organisations"], municipality["organisations"]):
        assert str(field.args["asOf"].type) == "Date"


def test_as_of_does_not_change_the_cost():
    now = '{ organisations(first: 7) { nodes { id municipality { organisations(first: 3) { nodes { id } } } } } }'
    then = ('{ organisations(first: 7, asOf: "2025-09-01") { nodes { id municipality { '
            'organisations(first: 3, asOf: "2025-09-01") { nodes { id } } } } } }')
    assert cost(then) == cost(now) > 7 * 3
    assert cost('{ organisation(id: "x", asOf: "2025-09-01") { id } }') == cost('{ organisation(id: "x") { id } }')


class Registry:
    def __init__(self):
        self.calls = []

    async def call(self, method, path, token, **kwargs):
        self.calls.append((path, kwargs.get("params")))
        return PAGE


def test_pages_as_of_different_days_are_separate_calls_with_their_date():
    registry = Registry()

    async def load():
        loader = organisation_pages(registry, "t")
        return await asyncio.gather(loader.load((("29701000",), None, True, 5, None, "2025-09-01")),
                                    loader.load((("29701000",), None, True, 5, None, None)))

    assert asyncio.run(load()) == [PAGE, PAGE]
    params = sorted((dict(p).get("asOf") or "") for _, p in registry.calls)
    assert params == ["", "2025-09-01"]
