"""Support cases from the registry's low_results flags, and consultations from the events service's support
requests, applied inside the consumer's transaction. Idempotent (one case per flag; one row per consultation) and
order-tolerant (a clearing that arrives first opens the case closed; consultations are matched to a case by date
when it is read)."""
from __future__ import annotations

import asyncpg

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.catalogue import ORGANISATIONS_TOPIC, REQUESTS_TOPIC
from metodset_contracts.organisations import FlagKind, OrganisationFlagCleared, OrganisationFlagSet
from metodset_contracts.recommendations import CaseStatus, SupportCaseClosed, SupportCaseOpened
from metodset_contracts.requests import RequestAssigned, RequestConsulted
from metodset_kit.consumer import Projection

from ..domain import support_cases as cases
from ..domain.support_cases import SupportCase
from ..publishing import publish
from . import repository as repo


def _facts(c: SupportCase) -> dict:
    return dict(case_id=c.id, organisation_id=c.organisation_id, municipality_oktmo=c.municipality_oktmo,
                flag_id=c.flag_id, status=c.status)


async def publish_opened(conn: asyncpg.Connection, c: SupportCase) -> None:
    await publish(conn, c.id, f"support-cases/{c.id}", [SupportCaseOpened(**_facts(c), opened_on=c.opened_on)])


async def publish_closed(conn: asyncpg.Connection, c: SupportCase) -> None:
    await publish(conn, c.id, f"support-cases/{c.id}",
                  [SupportCaseClosed(**_facts(c), closed_on=c.closed_on, outcome=c.outcome)])


async def _opened(conn: asyncpg.Connection, flag: OrganisationFlagSet | OrganisationFlagCleared) -> SupportCase:
    """The flag's case, opened now if no event of this flag came before."""
    found = await repo.by_flag(conn, flag.flag_id)
    if found is not None:
        return found
    c = cases.opened(flag.flag_id, flag.organisation_id, flag.municipality_oktmo, flag.valid_from)
    if await repo.insert_once(conn, c):
        await publish_opened(conn, c)
        return c
    return await repo.by_flag(conn, flag.flag_id)


async def _cleared(conn: asyncpg.Connection, flag: OrganisationFlagCleared) -> None:
    before = await _opened(conn, flag)
    after = cases.flag_cleared(before, flag.valid_to)
    if after == before:
        return
    await repo.save(conn, after)
    if before.status is not CaseStatus.CLOSED:
        await publish_closed(conn, after)


async def _consulted(conn: asyncpg.Connection, e: RequestConsulted) -> None:
    await conn.execute(
        "insert into organisation_consultations (consultation_id, request_id, organisation_id, held_on, minutes) "
        "values ($1, $2, $3, $4, $5) on conflict do nothing",
        e.consultation_id, e.request_id, e.organisation_id, e.held_on, e.minutes)


async def _assigned(conn: asyncpg.Connection, e: RequestAssigned) -> None:
    await conn.execute("insert into request_methodists (request_id, methodist_id) values ($1, $2) "
                       "on conflict (request_id) do update set methodist_id = excluded.methodist_id",
                       e.request_id, e.methodist_id)


async def apply_support_events(conn: asyncpg.Connection, events: list[CloudEvent]) -> None:
    for event in events:
        data = event_type(event.type).model.model_validate(event.data)
        if isinstance(data, OrganisationFlagSet) and data.kind is FlagKind.LOW_RESULTS:
            await _opened(conn, data)
        elif isinstance(data, OrganisationFlagCleared) and data.kind is FlagKind.LOW_RESULTS:
            await _cleared(conn, data)
        elif isinstance(data, RequestConsulted):
            await _consulted(conn, data)
        elif isinstance(data, RequestAssigned):
            await _assigned(conn, data)


SUPPORT_CASES = Projection(
    name="monitoring.support_cases",
    topics=[ORGANISATIONS_TOPIC, REQUESTS_TOPIC],
    apply=apply_support_events,
    handled_types={event_type(m).type for m in (OrganisationFlagSet, OrganisationFlagCleared, RequestConsulted,
                                                RequestAssigned)},
)
