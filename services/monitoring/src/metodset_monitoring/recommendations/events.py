"""The events of monitoring.recommendations.v1 a recommendation's change publishes (ids, codes, dates only)."""
from __future__ import annotations

import asyncpg

from metodset_contracts.recommendations import (
    RecommendationAssigned,
    RecommendationCancelled,
    RecommendationClosed,
    RecommendationRaised,
    RecommendationStatus,
    RecommendationUpdated,
)

from ..domain.recommendations import Recommendation, closed_on_time
from ..publishing import publish


def _facts(r: Recommendation) -> dict:
    return dict(recommendation_id=r.id, rule=r.rule, indicator=r.indicator, period=r.period,
                municipality_oktmo=r.municipality_oktmo, organisation_id=r.organisation_id, status=r.status,
                due_on=r.due_on)


def raised(r: Recommendation) -> RecommendationRaised:
    return RecommendationRaised(**_facts(r), addressee=r.addressee, level=r.level.value, value=r.value,
                                threshold=r.threshold, raised_on=r.raised_on)


def changed(before: Recommendation, after: Recommendation):
    """The one event that says what the change did."""
    if after.status is RecommendationStatus.CLOSED:
        return RecommendationClosed(**_facts(after), closed_on=after.closed_on, on_time=closed_on_time(after))
    if after.status is RecommendationStatus.CANCELLED:
        return RecommendationCancelled(**_facts(after), cancelled_on=after.closed_on)
    if after.assignee_id != before.assignee_id:
        return RecommendationAssigned(**_facts(after), assignee_id=after.assignee_id)
    return RecommendationUpdated(**_facts(after), value_returned_on=after.value_returned_on)


async def publish_raised(conn: asyncpg.Connection, r: Recommendation) -> None:
    await publish(conn, r.id, f"recommendations/{r.id}", [raised(r)])


async def publish_changed(conn: asyncpg.Connection, before: Recommendation, after: Recommendation) -> None:
    await publish(conn, after.id, f"recommendations/{after.id}", [changed(before, after)])
