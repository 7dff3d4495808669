"""GraphQL shapes of an organisation's marks: flags (ШНОР and others) and site statuses, read and written
through the registry's REST API. Small lists without `first`: the cost estimate counts them as unpaged lists."""
from __future__ import annotations

import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from metodset_contracts.organisations import FLAG_TITLES, SITE_LEVEL_TITLES, SITE_TITLES
from metodset_contracts.organisations import FlagKind as ContractFlagKind
from metodset_contracts.organisations import SiteKind as ContractSiteKind
from metodset_contracts.organisations import SiteLevel as ContractSiteLevel

from .context import Context


def _enum(name: str, contract, titles: dict, description: str):
    made = strawberry.enum(Enum(name, {k.name: k.value for k in contract}), description=description)
    for member in made:
        member._strawberry_description = titles[contract(member.value)]  # shown in GraphiQL docs
    return made


FlagKind = _enum("FlagKind", ContractFlagKind, FLAG_TITLES, "Признак организации")
SiteKind = _enum("SiteKind", ContractSiteKind, SITE_TITLES, "Статус площадки")
SiteLevel = _enum("SiteLevel", ContractSiteLevel, SITE_LEVEL_TITLES, "Уровень площадки")
Date = datetime.date


def _date(value: str | None) -> Date | None:
    return Date.fromisoformat(value) if value else None


@strawberry.type(description="Признак организации на период (даты включительно; to = null — бессрочно)")
class Flag:
    id: strawberry.ID
    kind: FlagKind
    kind_title: str
    from_: Date = strawberry.field(name="from")
    to: Date | None
    source: str = strawberry.field(description="Основание (документ)")
    cleared: bool

    @classmethod
    def from_json(cls, d: dict) -> Flag:
        return cls(id=strawberry.ID(d["id"]), kind=FlagKind(d["kind"]), kind_title=d["kindTitle"],
                   from_=_date(d["from"]), to=_date(d["to"]), source=d["source"], cleared=d["cleared"])


@strawberry.type(description="Статус площадки на срок (даты включительно; to = null — бессрочно)")
class SiteStatus:
    id: strawberry.ID
    kind: SiteKind
    kind_title: str
    level: SiteLevel | None
    title: str
    from_: Date = strawberry.field(name="from")
    to: Date | None
    topic: str | None
    order_number: str
    order_date: Date
    ended: bool

    @classmethod
    def from_json(cls, d: dict) -> SiteStatus:
        return cls(id=strawberry.ID(d["id"]), kind=SiteKind(d["kind"]), kind_title=d["kindTitle"],
                   level=SiteLevel(d["level"]) if d["level"] else None, title=d["title"], from_=_date(d["from"]),
                   to=_date(d["to"]), topic=d["topic"], order_number=d["order"]["number"],
                   order_date=_date(d["order"]["date"]), ended=d["ended"])


@strawberry.input(description="Признак организации на период")
class SetFlagInput:
    kind: FlagKind
    from_: Date = strawberry.field(name="from")
    source: str = strawberry.field(description="Основание, например «Приказ … № 123 от 01.09.2025»")
    to: Date | None = None


@strawberry.input(description="Статус площадки на срок")
class GrantSiteStatusInput:
    kind: SiteKind
    from_: Date = strawberry.field(name="from")
    order_number: str
    order_date: Date
    level: SiteLevel | None = strawberry.field(default=None, description="Обязателен для инновационной площадки")
    to: Date | None = None
    topic: str | None = None


def _as_of(as_of: Date | None) -> dict:
    return {"params": {"asOf": as_of.isoformat()}} if as_of else {}


async def flags_of(info: Info[Context, None], org_id: str, as_of: Date | None) -> list[Flag]:
    rows = await info.context.registry.call("GET", f"/organisations/{org_id}/flags", info.context.token,
                                            **_as_of(as_of))
    return [Flag.from_json(r) for r in rows]


async def sites_of(info: Info[Context, None], org_id: str, as_of: Date | None) -> list[SiteStatus]:
    rows = await info.context.registry.call("GET", f"/organisations/{org_id}/sites", info.context.token,
                                            **_as_of(as_of))
    return [SiteStatus.from_json(r) for r in rows]


async def set_flag(info: Info[Context, None], org_id: str, data: SetFlagInput) -> Flag:
    body = {"kind": data.kind.value, "from": data.from_.isoformat(), "to": data.to and data.to.isoformat(),
            "source": data.source}
    return Flag.from_json(await info.context.registry.call("POST", f"/organisations/{org_id}/flags",
                                                           info.context.token, json=body))


async def clear_flag(info: Info[Context, None], org_id: str, flag_id: str, to: Date) -> Flag:
    return Flag.from_json(await info.context.registry.call(
        "POST", f"/organisations/{org_id}/flags/{flag_id}/clear", info.context.token, json={"to": to.isoformat()}))


async def grant_site(info: Info[Context, None], org_id: str, data: GrantSiteStatusInput) -> SiteStatus:
    body = {"kind": data.kind.value, "level": data.level.value if data.level else None,
            "from": data.from_.isoformat(), "to": data.to and data.to.isoformat(), "topic": data.topic,
            "order": {"number": data.order_number, "date": data.order_date.isoformat()}}
    return SiteStatus.from_json(await info.context.registry.call("POST", f"/organisations/{org_id}/sites",
                                                                 info.context.token, json=body))


async def end_site(info: Info[Context, None], org_id: str, site_id: str, to: Date) -> SiteStatus:
    return SiteStatus.from_json(await info.context.registry.call(
        "POST", f"/organisations/{org_id}/sites/{site_id}/end", info.context.token, json={"to": to.isoformat()}))
