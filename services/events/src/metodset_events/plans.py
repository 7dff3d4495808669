"""Use cases of annual work plans: create a plan for an organisation and academic year, add and change items,
mark statuses, approve, read with plan-versus-fact, and start the next year's plan from this one.

Scope: a municipal methodist manages the plans of their municipality's organisations, an organisation
administrator their organisation's, the regional coordinator all; reads are for whoever sees the municipality
or is the organisation's administrator, and a plan out of scope answers like a missing one. The organisation's
municipality comes from this service's projection of the registry. Changes go to events.plans.v1 in the same
transaction, with ids and codes only."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.plans import ItemStatus, PlanApproved, PlanItemStatusChanged
from metodset_contracts.reference import catalogue
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound
from metodset_kit.events import Outgoing, now, outgoing
from metodset_kit.scope import Principal

from . import plans_repository as repo
from . import projection
from .domain import plans as rules
from .domain.plans import Fulfilment, Item, PlanError, parse_month
from .plans_repository import Plan
from .plans_schemas import ItemCreate, ItemStatusChange, ItemUpdate, PlanCreate

SOURCE = "urn:metodset:events"


def directions() -> list[str]:
    return catalogue("plan_directions").codes()


def missing(plan_id: UUID | str, field: str = "id") -> NotFound:
    return NotFound(field, f"План {plan_id} не найден", "not_found", where="path")


def refusal(exc: PlanError) -> DomainError:
    return DomainError(exc.field, str(exc), exc.code)


def may_read(principal: Principal, organisation_id: UUID, oktmo: str) -> bool:
    return principal.sees_municipality(oktmo) or principal.may_edit_organisation(str(organisation_id), oktmo)


def may_manage(principal: Principal, organisation_id: UUID, oktmo: str) -> bool:
    return principal.may_edit_organisation(str(organisation_id), oktmo)


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    items: list[Item]
    linked: rules.LinkedEvents
    today: date

    def status(self, item: Item) -> ItemStatus:
        return rules.effective_status(item, self.today, self.linked)

    def moved_to(self, item: Item) -> str | None:
        """The month a moved item is due in: the one it was moved to, or the one its linked event now ends in."""
        if self.status(item) is not ItemStatus.MOVED:
            return rules.month_text(item.moved_to) if item.moved_to else None
        return rules.month_text(rules.due_month(item, self.linked))

    @property
    def fulfilment(self) -> Fulfilment:
        return rules.fulfilment(self.items, self.today, directions(), self.linked)


async def _view(conn: asyncpg.Connection, plan: Plan) -> PlanView:
    items = await repo.items(conn, plan.id)
    linked = await repo.linked_events(conn, sorted({e for i in items for e in i.event_ids}))
    return PlanView(plan, items, linked, date.today())


async def _managed(conn: asyncpg.Connection, principal: Principal, plan_id: UUID) -> Plan:
    """The plan, locked, when the caller manages it; one they may read but not manage is refused (403), one they
    may not read answers like a missing one."""
    plan = await repo.plan(conn, plan_id, lock=True)
    if plan is None or not may_read(principal, plan.organisation_id, plan.municipality_oktmo):
        raise missing(plan_id)
    if not may_manage(principal, plan.organisation_id, plan.municipality_oktmo):
        raise Forbidden("Изменять план могут методист муниципалитета организации, её администратор и региональный "
                        "координатор")
    return plan


def _months(texts: list[str]) -> tuple:
    return tuple(sorted(set(parse_month(t) for t in texts)))


def _item_event(plan: Plan, item: Item, previous: ItemStatus) -> Outgoing:
    data = PlanItemStatusChanged(
        plan_id=plan.id, organisation_id=plan.organisation_id, municipality_oktmo=plan.municipality_oktmo,
        year=plan.year, item_id=item.id, direction=item.direction, status=item.status, previous=previous,
        moved_to=rules.month_text(item.moved_to) if item.moved_to else None, changed_on=date.today())
    return outgoing(data, source=SOURCE, subject=f"work-plans/{plan.id}/items/{item.id}", key=str(plan.id),
                    time=now())


# ---- writing ------------------------------------------------------------------------------------------------

async def create(pool: asyncpg.Pool, principal: Principal, data: PlanCreate) -> PlanView:
    async with pool.acquire() as conn, conn.transaction():
        org = await repo.organisation(conn, data.organisation_id)
        if org is None:
            raise DomainError("organisationId", f"Организация {data.organisation_id} не найдена", "unknown")
        if not may_manage(principal, data.organisation_id, org["municipality_oktmo"]):
            raise Forbidden("Создать план можно только для организации вашей области доступа", field="organisationId")
        if await repo.plan_of(conn, data.organisation_id, data.year):
            raise Conflict("year", f"План организации на {rules.academic_year_title(data.year)} учебный год уже есть",
                           "duplicate")
        plan = Plan(uuid.uuid4(), data.organisation_id, org["municipality_oktmo"], data.year, None, org["name"])
        await repo.insert_plan(conn, plan, principal.subject)
        return await _view(conn, plan)


async def add_item(pool: asyncpg.Pool, principal: Principal, plan_id: UUID, data: ItemCreate) -> tuple[PlanView, Item]:
    async with pool.acquire() as conn, conn.transaction():
        plan = await _managed(conn, principal, plan_id)
        item = Item(id=uuid.uuid4(), direction=data.direction, months=_months(data.months), title=data.title,
                    responsible_id=data.responsible_id, expected_result=data.expected_result,
                    event_ids=tuple(dict.fromkeys(data.event_ids)), position=await repo.next_position(conn, plan_id))
        return await _save_checked(conn, principal, plan, item)


async def _save_checked(conn: asyncpg.Connection, principal: Principal, plan: Plan,
                        item: Item) -> tuple[PlanView, Item]:
    """Save a new or changed item once it keeps the plan's rules and links only existing events."""
    try:
        rules.check_item(item, plan.year, directions())
    except PlanError as exc:
        raise refusal(exc) from None
    unknown = await repo.unknown_events(conn, list(item.event_ids))
    if unknown:
        raise DomainError("eventIds", f"Мероприятия не найдены: {', '.join(map(str, unknown))}", "unknown")
    await known_person(conn, item.responsible_id, "responsibleId")
    await repo.save_items(conn, plan.id, [item], principal.subject)
    return await _view(conn, plan), item


async def known_person(conn: asyncpg.Connection, person_id: UUID | None, field: str) -> None:
    """A person named by id must be known to the projection of the registry (registered or employed)."""
    if person_id is not None and not await projection.known_persons(conn, [person_id]):
        raise DomainError(field, f"Работник {person_id} не найден", "unknown")


def _found_item(view_items: list[Item], item_id: UUID) -> Item:
    found = next((i for i in view_items if i.id == item_id), None)
    if found is None:
        raise NotFound("itemId", f"Пункт плана {item_id} не найден", "not_found", where="path")
    return found


async def update_item(pool: asyncpg.Pool, principal: Principal, plan_id: UUID, item_id: UUID,
                      data: ItemUpdate) -> tuple[PlanView, Item]:
    async with pool.acquire() as conn, conn.transaction():
        plan = await _managed(conn, principal, plan_id)
        item = _found_item(await repo.items(conn, plan_id), item_id)
        given = data.model_fields_set
        changes = {k: getattr(data, k) for k in ("direction", "title", "responsible_id", "expected_result")
                   if k in given}
        if "months" in given and data.months is not None:
            changes["months"] = _months(data.months)
        if "event_ids" in given and data.event_ids is not None:
            changes["event_ids"] = tuple(dict.fromkeys(data.event_ids))
        for required in ("direction", "title"):
            if required in changes and changes[required] is None:
                raise DomainError(required, "Поле обязательно", "missing")
        item = replace(item, **changes)
        return await _save_checked(conn, principal, plan, item)


async def set_status(pool: asyncpg.Pool, principal: Principal, plan_id: UUID, item_id: UUID,
                     data: ItemStatusChange) -> tuple[PlanView, Item]:
    async with pool.acquire() as conn, conn.transaction():
        plan = await _managed(conn, principal, plan_id)
        item = _found_item(await repo.items(conn, plan_id), item_id)
        try:
            changed = rules.change_status(item, data.status, parse_month(data.moved_to) if data.moved_to else None,
                                          plan.year)
        except PlanError as exc:
            raise refusal(exc) from None
        changed = replace(changed, note=data.note if data.note is not None else item.note)
        await repo.save_items(conn, plan_id, [changed], principal.subject)
        if (changed.status, changed.moved_to) != (item.status, item.moved_to):
            await outbox.add(conn, [_item_event(plan, changed, item.status)])
        return await _view(conn, plan), changed


async def approve(pool: asyncpg.Pool, principal: Principal, plan_id: UUID, on: date | None) -> PlanView:
    async with pool.acquire() as conn, conn.transaction():
        plan = await _managed(conn, principal, plan_id)
        on = on or date.today()
        await repo.approve(conn, plan_id, on)
        plan = replace(plan, approved_on=on)
        view = await _view(conn, plan)
        data = PlanApproved(plan_id=plan.id, organisation_id=plan.organisation_id,
                            municipality_oktmo=plan.municipality_oktmo, year=plan.year, approved_on=on,
                            items=len(view.items))
        await outbox.add(conn, [outgoing(data, source=SOURCE, subject=f"work-plans/{plan.id}", key=str(plan.id),
                                         time=now())])
        return view


async def next_year(pool: asyncpg.Pool, principal: Principal, plan_id: UUID) -> PlanView:
    """The next academic year's plan of the same organisation from this one's items (see rules.next_year_items);
    refused when that plan exists already."""
    async with pool.acquire() as conn, conn.transaction():
        plan = await _managed(conn, principal, plan_id)
        if await repo.plan_of(conn, plan.organisation_id, plan.year + 1):
            raise Conflict("year", f"План организации на {rules.academic_year_title(plan.year + 1)} учебный год "
                                   "уже есть", "duplicate")
        new = Plan(uuid.uuid4(), plan.organisation_id, plan.municipality_oktmo, plan.year + 1, None,
                   plan.organisation_name)
        await repo.insert_plan(conn, new, principal.subject)
        old = await repo.items(conn, plan_id)
        await repo.save_items(conn, new.id, rules.next_year_items(old, (uuid.uuid4() for _ in old)),
                              principal.subject)
        return await _view(conn, new)


# ---- reading ------------------------------------------------------------------------------------------------

async def read(pool: asyncpg.Pool, principal: Principal, plan_id: UUID) -> PlanView:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        plan = await repo.plan(conn, plan_id)
        if plan is None or not may_read(principal, plan.organisation_id, plan.municipality_oktmo):
            raise missing(plan_id)
        return await _view(conn, plan)


async def read_of(pool: asyncpg.Pool, principal: Principal, organisation_id: UUID, year: int) -> PlanView:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        plan = await repo.plan_of(conn, organisation_id, year)
        if plan is None or not may_read(principal, plan.organisation_id, plan.municipality_oktmo):
            raise NotFound("organisationId", f"План организации {organisation_id} на "
                                             f"{rules.academic_year_title(year)} учебный год не найден", "not_found",
                           where="path")
        return await _view(conn, plan)
