"""Request and response shapes of the registry's organisation REST API (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from metodset_contracts.organisations import FlagKind, OrganisationKind, SiteKind, SiteLevel
from metodset_kit.pagination import Page

from ..domain.organisations import Status
from ..shapes import (
    Address,
    Email,
    Inn,
    MunicipalityName,
    Name,
    Ogrn,
    Oktmo,
    OrderNumber,
    Phone,
    Shape,
    ShortName,
    Source,
    Topic,
    Website,
)


class MunicipalityCreate(Shape):
    oktmo: Oktmo = Field(description="Код ОКТМО (8 или 11 цифр)")
    name: MunicipalityName


class MunicipalityPublic(Shape):
    oktmo: str
    name: str


class OrganisationCreate(Shape):
    name: Name = Field(description="Полное наименование")
    short_name: ShortName | None = Field(default=None, description="Краткое наименование")
    kind: OrganisationKind
    municipality_oktmo: Oktmo
    inn: Inn = Field(description="ИНН юридического лица (10 цифр)")
    ogrn: Ogrn | None = Field(default=None, description="ОГРН (13 цифр)")
    address: Address | None = Field(default=None, description="Адрес")
    phone: Phone | None = Field(default=None, description="Телефон, например +7 (4842) 56-12-34")
    email: Email | None = Field(default=None, description="Электронная почта")
    website: Website | None = Field(default=None, description="Сайт, http:// или https://")
    parent_id: UUID | None = Field(default=None, description="Головная организация (для филиала, структурного "
                                                             "подразделения): того же муниципалитета")


class OrganisationUpdate(Shape):
    """Only the fields given are changed; null clears an optional field."""

    name: Name | None = None
    short_name: ShortName | None = None
    kind: OrganisationKind | None = None
    municipality_oktmo: Oktmo | None = None
    inn: Inn | None = None
    ogrn: Ogrn | None = Field(default=None, description="ОГРН (13 цифр)")
    address: Address | None = Field(default=None, description="Адрес")
    phone: Phone | None = Field(default=None, description="Телефон, например +7 (4842) 56-12-34")
    email: Email | None = Field(default=None, description="Электронная почта")
    website: Website | None = Field(default=None, description="Сайт, http:// или https://")
    parent_id: UUID | None = Field(default=None, description="Головная организация; null — самостоятельная")


class OrganisationClose(Shape):
    closed_on: date | None = Field(default=None, description="Дата закрытия, не позже сегодняшней; "
                                                             "по умолчанию сегодня")


class OrganisationReorganise(Shape):
    successor_id: UUID = Field(description="Правопреемник — действующая организация реестра")
    on: date | None = Field(default=None, description="Дата реорганизации, не позже сегодняшней; по умолчанию "
                                                      "сегодня")


class OrganisationPublic(Shape):
    id: UUID
    name: str
    short_name: str | None
    kind: OrganisationKind
    kind_title: str
    municipality_oktmo: str
    inn: str
    ogrn: str | None
    address: str | None
    phone: str | None
    email: str | None
    website: str | None
    version: int
    active: bool
    closed_on: date | None
    status: Status = Field(description="active — действующая, reorganised — реорганизована (см. successorId), "
                                       "closed — закрыта")
    parent_id: UUID | None = None
    successor_id: UUID | None = None


class BatchRegistered(Shape):
    ids: list[UUID]


class OrganisationPage(Page[OrganisationPublic]):
    """A page of organisations in the order ОКТМО, name, id."""


class FlagSet(Shape):
    """Периоды включают оба конца: `to` — последний день действия; без `to` — бессрочно (до снятия)."""

    kind: FlagKind
    from_: date = Field(alias="from", description="Первый день действия признака")
    to: date | None = Field(default=None, description="Последний день действия (включительно)")
    source: Source = Field(description="Основание: документ, например «Приказ министерства образования "
                                       "Калужской области № 123 от 01.09.2025»")


class FlagClear(Shape):
    to: date = Field(description="Последний день действия признака (включительно)")


class FlagPublic(Shape):
    id: UUID
    kind: FlagKind
    kind_title: str
    from_: date = Field(alias="from")
    to: date | None = Field(description="Последний день действия (включительно) с учётом снятия")
    set_to: date | None = Field(description="Срок, с которым признак был установлен")
    cleared: bool
    source: str


class SiteOrder(Shape):
    number: OrderNumber = Field(description="Номер приказа")
    date_: date = Field(alias="date", description="Дата приказа")


class SiteGrant(Shape):
    """Срок включает оба конца: `to` — последний день; без `to` — бессрочно (до прекращения)."""

    kind: SiteKind
    level: SiteLevel | None = Field(default=None, description="Уровень; обязателен для инновационной площадки")
    from_: date = Field(alias="from", description="Первый день срока")
    to: date | None = Field(default=None, description="Последний день срока (включительно)")
    topic: Topic | None = Field(default=None, description="Тема (направление) площадки")
    order: SiteOrder = Field(description="Приказ о присвоении статуса")


class SiteEnd(Shape):
    to: date = Field(description="Последний день действия статуса (включительно)")


class SitePublic(Shape):
    id: UUID
    kind: SiteKind
    kind_title: str
    level: SiteLevel | None
    level_title: str | None
    title: str
    from_: date = Field(alias="from")
    to: date | None = Field(description="Последний день срока (включительно) с учётом прекращения")
    granted_to: date | None = Field(description="Срок, на который статус был присвоен")
    ended: bool
    topic: str | None
    order: SiteOrder
