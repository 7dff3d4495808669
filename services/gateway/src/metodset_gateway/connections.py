"""Relay-style connections, one generic shape for every cursor-paged list of the gateway.

A connection field is declared with `paging.list_field` like a plain list (its `first` is checked by
`page_size` and counted by the cost estimate, which multiplies the connection's `nodes` by the page). It
answers a REST page of a service (`{items, nextCursor, totalCount}`, metodset_kit.pagination.Page)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from .paging import page_size

if TYPE_CHECKING:
    from .clients import ServiceClient

T = TypeVar("T")

After = Annotated[str | None, strawberry.argument(
    description="Курсор: pageInfo.endCursor предыдущей страницы; без него — первая страница")]


@strawberry.type(description="Сведения о странице списка")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Есть ли элементы после этой страницы")
    end_cursor: str | None = strawberry.field(
        description="Курсор для after следующей страницы; null, если следующей страницы нет")


@strawberry.type(description="Страница списка: элементы, сведения о странице и общее число элементов")
class Connection(Generic[T]):
    nodes: list[T] = strawberry.field(description="Элементы страницы (не более first)")
    page_info: PageInfo
    total_count: int = strawberry.field(description="Сколько всего элементов с теми же условиями")


def connection(page: dict, first: int, node: Callable[[dict], T]) -> Connection[T]:
    """A connection from a service's page fetched with limit max(first, 1): `first: 0` answers only the
    total and whether anything lies after the cursor."""
    items = page["items"][:first]
    has_next = page["nextCursor"] is not None if first else bool(page["items"])
    return Connection(nodes=[node(i) for i in items], total_count=page["totalCount"],
                      page_info=PageInfo(has_next_page=has_next, end_cursor=page["nextCursor"] if first else None))


async def fetch_page(info: Info, client: ServiceClient, path: str, node: Callable[[dict], T], *,
                     first: int | None, after: str | None, size_param: str = "limit",
                     **conditions: Any) -> Connection[T]:
    """One page of a service's cursor-paged list as a connection: the page size the cost estimate counted
    (`page_size`), the service asked for max(size, 1) items (in its `size_param`) after the cursor, absent (None)
    conditions left out."""
    size = page_size(first, info)
    params = {k: v for k, v in {**conditions, "after": after}.items() if v is not None}
    page = await client.call("GET", path, info.context.token, params={**params, size_param: max(size, 1)})
    return connection(page, size, node)
