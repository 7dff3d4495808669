"""What monitoring's REST shapes share: camelCase JSON, clean bounded text, the pool and page cursor."""
from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Query, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

from metodset_kit.hostile import bad_text
from metodset_kit.pagination import MAX_CURSOR_LENGTH


def _clean(value: str) -> str:
    reason = bad_text(value)
    if reason:
        raise ValueError(reason)
    return value


def Text(max_length: int):  # noqa: N802 - a type
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
                     AfterValidator(_clean)]


Link = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
Oktmo = Annotated[str, StringConstraints(pattern=r"^\d{8}(\d{3})?$")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")]


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH, description="nextCursor предыдущей страницы")]
