"""Keyset (cursor) pagination, the same for every list: pure, no I/O.

A cursor is opaque to clients: base64url of a small versioned JSON naming the ordering and holding the
sort-key values of the last row of a page. The next page is the rows strictly after those values in the
ordering `(col1, col2, ..., id)` ascending, found with one row comparison the index can seek to (no OFFSET
scan). A cursor is not signed: editing one only moves where a page starts within the same filters (the lists
are public to any authenticated caller); a malformed one is refused with 422 naming `after`."""
from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .errors import DomainError
from .hostile import bad_text

VERSION = 1
MAX_CURSOR_LENGTH = 2048  # a few keys; anything longer is not a cursor of ours
PARAMETER = "after"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_TYPES = {str: str, int: int, UUID: str}  # key type → how it travels in JSON

T = TypeVar("T")


@dataclass(frozen=True)
class Ordering:
    """A list's ascending order: NOT NULL columns ending in a unique one (the id), with their Python types."""

    name: str
    keys: tuple[tuple[str, type], ...]

    def __post_init__(self):
        for column, kind in self.keys:
            if not _IDENTIFIER.fullmatch(column):
                raise ValueError(f"not a plain column name: {column!r}")
            if kind not in _TYPES:
                raise ValueError(f"unsupported key type {kind!r}")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.keys)

    def values(self, row: Any) -> tuple:
        """The sort-key values of a row (a mapping such as an asyncpg Record)."""
        return tuple(row[c] for c in self.columns)


class BadCursor(DomainError):
    def __init__(self):
        super().__init__(PARAMETER, "Недействительный курсор страницы: передайте endCursor/nextCursor предыдущей "
                                    "страницы без изменений / invalid page cursor", "invalid_cursor", where="query")


def encode_cursor(ordering: Ordering, values: Sequence[Any]) -> str:
    keys = [str(v) if isinstance(v, UUID) else v for v in values]
    raw = json.dumps({"v": VERSION, "o": ordering.name, "k": keys}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> tuple:
    """The sort-key values a cursor holds, typed as the ordering says; BadCursor for anything else."""
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise BadCursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise BadCursor() from None
    if not isinstance(data, dict) or data.get("v") != VERSION or data.get("o") != ordering.name:
        raise BadCursor()
    keys = data.get("k")
    if not isinstance(keys, list) or len(keys) != len(ordering.keys):
        raise BadCursor()
    return tuple(_typed(value, kind) for value, (_, kind) in zip(keys, ordering.keys, strict=True))


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not _TYPES[kind] or (isinstance(value, str) and bad_text(value)):
        raise BadCursor()  # type(...) is not: a JSON true is no int key
    if kind is UUID:
        try:
            return UUID(value)
        except ValueError:
            raise BadCursor() from None
    return value


def keyset_after(ordering: Ordering, first_parameter: int) -> str:
    """`(col1, ..., id) > ($n, ..., $n+k)`: the rows after a cursor, for a query whose other parameters are
    $1..$(n-1). Only valid with `order by col1, ..., id` ascending on NOT NULL columns."""
    if first_parameter < 1:
        raise ValueError("asyncpg parameters start at $1")
    params = ", ".join(f"${first_parameter + i}" for i in range(len(ordering.keys)))
    return f"({', '.join(ordering.columns)}) > ({params})"


def order_by(ordering: Ordering) -> str:
    return "order by " + ", ".join(ordering.columns)


class Page(BaseModel, Generic[T]):
    """One page of a REST list: `nextCursor` goes into `after` for the next page, null on the last one."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    items: list[T]
    next_cursor: str | None = Field(description="Курсор следующей страницы (параметр after); null — страниц больше нет")
    total_count: int = Field(description="Сколько всего элементов с теми же фильтрами")


def next_cursor(ordering: Ordering, rows: Sequence[Any], limit: int) -> str | None:
    """Fetch `limit + 1` rows: the extra one only tells that another page exists."""
    if len(rows) <= limit:
        return None
    return encode_cursor(ordering, ordering.values(rows[limit - 1]))
