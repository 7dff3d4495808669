"""List fields answer one page: `first` items at most, the field's own default page when `first` is absent.

A list field declares its default page once, in `list_field(page=...)`; the cost estimate reads the same
declaration from the schema (`list_pages`), so the two never disagree."""
from __future__ import annotations

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema
from strawberry.types import Info

from .limits import DEFAULT_PAGE, MAX_PAGE

PAGE = "metodset.page"  # key of the default page in a strawberry field's metadata
_BACKREF = "strawberry-definition"  # where strawberry keeps its field on the graphql-core field

First = Annotated[int | None, strawberry.argument(
    description=f"Сколько элементов вернуть: от 0 до {MAX_PAGE}; по умолчанию — страница поля")]


def list_field(description: str, page: int = DEFAULT_PAGE) -> Any:
    """A strawberry field that is a paged list; its resolver takes `first: First = None` and answers
    `items[:page_size(first, info)]`."""
    if not 0 < page <= MAX_PAGE:
        raise ValueError(f"default page {page} outside 1..{MAX_PAGE}")
    return strawberry.field(description=f"{description}. Не более first элементов (по умолчанию {page}, "
                                        f"не более {MAX_PAGE})", metadata={PAGE: page})


def check_first(first: int | None, default: int) -> int:
    if first is None:
        return default
    if not 0 <= first <= MAX_PAGE:
        raise GraphQLError(f"first: допустимо от 0 до {MAX_PAGE}, получено {first}",
                           extensions={"code": "BAD_USER_INPUT", "field": "first"})
    return first


def page_size(first: int | None, info: Info) -> int:
    """How many items the field answers; called before loading, so a wrong `first` costs no service call."""
    return check_first(first, info._field.metadata[PAGE])  # _field: the strawberry field being resolved


def list_pages(schema: GraphQLSchema) -> dict[tuple[str, str], int]:
    """(type, field) → default page of every paged list field of the schema."""
    pages = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, f in type_.fields.items():
            definition = (f.extensions or {}).get(_BACKREF)
            page = getattr(definition, "metadata", None) and definition.metadata.get(PAGE)
            if page:
                pages[(type_.name, name)] = page
    return pages
