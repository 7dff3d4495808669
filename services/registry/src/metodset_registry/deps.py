"""Request dependencies every registry router shares: the database pool and the asOf day of a read."""
from __future__ import annotations

from datetime import date
from typing import Annotated

import asyncpg
from fastapi import Depends, Query, Request

from metodset_kit.errors import DomainError

from .domain.history import AsOfError, check_as_of


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def _as_of(as_of: Annotated[date | None, Query(
        alias="asOf", description="Как было на конец этого дня (не позже сегодняшнего); без неё — сейчас")] = None,
           ) -> date | None:
    if as_of is not None:
        try:
            check_as_of(as_of, date.today())
        except AsOfError as exc:
            raise DomainError("asOf", str(exc), "invalid", where="query") from None
    return as_of


AsOf = Annotated[date | None, Depends(_as_of)]
