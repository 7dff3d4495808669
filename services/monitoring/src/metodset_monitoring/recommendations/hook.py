"""The indicator engine's hook: after it recomputed values (inside its transaction), rules raise addressed
recommendations once per (rule, subject, period) and mark open ones whose value came back."""
from __future__ import annotations

from uuid import UUID

import asyncpg

from ..domain import recommendations as rules
from ..domain.recommendations import Crossing, Rule
from ..domain.values import IndicatorValueChange, Level
from ..publishing import today
from . import repository as repo
from .events import publish_changed, publish_raised


async def on_values_changed(conn: asyncpg.Connection, changes: list[IndicatorValueChange]) -> None:
    if not changes:
        return
    found = await repo.rules_for(conn, sorted({c.code for c in changes}))
    day = today()
    await repo.follow_values(conn, changes)
    for change in changes:
        for rule in found:
            what = rules.crossing(rule, change, day)
            if what is Crossing.CROSSED:
                await _raise(conn, rule, change, day)
            elif what is Crossing.RETURNED:
                await _returned(conn, rule, change, day)


def _organisation(change: IndicatorValueChange) -> UUID | None:
    if change.level is not Level.ORGANISATION:
        return None
    try:
        return UUID(change.subject)
    except ValueError:
        return None


async def _address(conn: asyncpg.Connection, change: IndicatorValueChange) -> tuple[str | None, UUID | None]:
    organisation_id = _organisation(change)
    if organisation_id is not None:
        return await repo.municipality_of(conn, organisation_id), organisation_id
    return (change.subject if change.level is Level.MUNICIPALITY else None), None


async def _raise(conn: asyncpg.Connection, rule: Rule, change: IndicatorValueChange, day) -> None:
    if change.level is Level.ORGANISATION and _organisation(change) is None:
        return  # an organisation value must name the organisation by its id
    municipality, organisation_id = await _address(conn, change)
    rec_id = rules.recommendation_id(rule.code, change.subject, change.period)
    r = rules.raise_for(rule, change, rec_id, municipality, organisation_id, day)
    if await repo.insert_once(conn, r):
        await publish_raised(conn, r)


async def _returned(conn: asyncpg.Connection, rule: Rule, change: IndicatorValueChange, day) -> None:
    before = await repo.open_one(conn, rule.code, change.subject, change.period)
    after = rules.value_returned(before, day) if before is not None else None
    if after is not None:
        await repo.save(conn, after)
        await publish_changed(conn, before, after)
