"""Events of the organisation registry (topic `registry.organisations.v1`)."""
from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from .base import EventData


class OrganisationKind(StrEnum):
    """Kind of organisation (вид организации)."""

    REGIONAL_INSTITUTE = "regional_institute"
    EDUCATION_AUTHORITY = "education_authority"
    METHODICAL_SERVICE = "methodical_service"
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    SUPPLEMENTARY_EDUCATION = "supplementary_education"
    COLLEGE = "college"
    SUPPORT_CENTRE = "support_centre"
    OTHER = "other"


KIND_TITLES: dict[OrganisationKind, str] = {
    OrganisationKind.REGIONAL_INSTITUTE: "Институт развития образования",
    OrganisationKind.EDUCATION_AUTHORITY: "Орган управления образованием",
    OrganisationKind.METHODICAL_SERVICE: "Муниципальная методическая служба",
    OrganisationKind.SCHOOL: "Общеобразовательная организация",
    OrganisationKind.KINDERGARTEN: "Дошкольная образовательная организация",
    OrganisationKind.SUPPLEMENTARY_EDUCATION: "Организация дополнительного образования",
    OrganisationKind.COLLEGE: "Профессиональная образовательная организация",
    OrganisationKind.SUPPORT_CENTRE: "Центр психолого-педагогической, медицинской и социальной помощи",
    OrganisationKind.OTHER: "Иная организация",
}


class OrganisationFacts(EventData):
    organisation_id: UUID
    version: int = Field(ge=1, description="Aggregate version: 1 on registration, +1 on every change")
    municipality_oktmo: str = Field(pattern=r"^\d{8}(\d{3})?$")
    kind: OrganisationKind


class OrganisationRegistered(OrganisationFacts):
    """Организация зарегистрирована в реестре."""

    name: str
    short_name: str | None = None
    inn: str = Field(pattern=r"^\d{10}$")
    ogrn: str | None = Field(default=None, pattern=r"^\d{13}$", description="ОГРН (13 цифр)")
    address: str | None = Field(default=None, description="Адрес")
    phone: str | None = Field(default=None, description="Телефон")
    email: str | None = Field(default=None, description="Электронная почта")
    website: str | None = Field(default=None, description="Сайт (http/https)")
    parent_id: UUID | None = Field(default=None, description="Головная организация (для филиала, подразделения)")


class OrganisationUpdated(OrganisationFacts):
    """Сведения об организации изменены: the new state and the names of the fields that changed."""

    name: str
    short_name: str | None = None
    inn: str = Field(pattern=r"^\d{10}$")
    ogrn: str | None = Field(default=None, pattern=r"^\d{13}$", description="ОГРН (13 цифр)")
    address: str | None = Field(default=None, description="Адрес")
    phone: str | None = Field(default=None, description="Телефон")
    email: str | None = Field(default=None, description="Электронная почта")
    website: str | None = Field(default=None, description="Сайт (http/https)")
    parent_id: UUID | None = Field(default=None, description="Головная организация (для филиала, подразделения)")
    changed: list[str]


class OrganisationClosed(OrganisationFacts):
    """Организация закрыта (ликвидирована или исключена из реестра)."""

    closed_on: date


class OrganisationReorganised(OrganisationClosed):
    """Организация реорганизована: закрыта с `closed_on`, её права и обязанности перешли к правопреемнику
    (a closing, so a reader that knows closings counts it closed)."""

    successor_id: UUID


class FlagKind(StrEnum):
    """A mark on an organisation for a period, set by an order of the region or municipality."""

    LOW_RESULTS = "low_results"
    UNOBJECTIVE_RESULTS = "unobjective_results"
    DIFFICULT_CONDITIONS = "difficult_conditions"


FLAG_TITLES: dict[FlagKind, str] = {
    FlagKind.LOW_RESULTS: "Низкие образовательные результаты (ШНОР)",
    FlagKind.UNOBJECTIVE_RESULTS: "Признаки необъективных результатов",
    FlagKind.DIFFICULT_CONDITIONS: "Функционирует в сложных социальных условиях",
}


class OrganisationMarkFacts(EventData):
    """What every flag or site-status event says: identifiers and dates, never people.
    Periods are inclusive: `to` is the last day the mark applies; null — until further notice."""

    organisation_id: UUID
    municipality_oktmo: str = Field(pattern=r"^\d{8}(\d{3})?$")


class OrganisationFlagSet(OrganisationMarkFacts):
    """Организации установлен признак на период."""

    flag_id: UUID
    kind: FlagKind
    valid_from: date = Field(description="Первый день действия признака")
    valid_to: date | None = Field(default=None, description="Последний день действия (включительно) или null")


class OrganisationFlagCleared(OrganisationMarkFacts):
    """Признак снят: он действовал по `valid_to` включительно."""

    flag_id: UUID
    kind: FlagKind
    valid_from: date
    valid_to: date = Field(description="Последний день действия признака (включительно)")


class SiteKind(StrEnum):
    """A status of an organisation as a site (площадка) of the methodical network, granted by an order for a term."""

    INNOVATION = "innovation"
    BASE = "base"
    INTERNSHIP = "internship"
    SUPPORT = "support"


SITE_TITLES: dict[SiteKind, str] = {
    SiteKind.INNOVATION: "Инновационная площадка",
    SiteKind.BASE: "Базовая площадка",
    SiteKind.INTERNSHIP: "Стажировочная площадка",
    SiteKind.SUPPORT: "Опорная площадка",
}


class SiteLevel(StrEnum):
    FEDERAL = "federal"
    REGIONAL = "regional"
    MUNICIPAL = "municipal"


SITE_LEVEL_TITLES: dict[SiteLevel, str] = {
    SiteLevel.FEDERAL: "Федеральный",
    SiteLevel.REGIONAL: "Региональный",
    SiteLevel.MUNICIPAL: "Муниципальный",
}


class OrganisationSiteStatusGranted(OrganisationMarkFacts):
    """Организации присвоен статус площадки на срок."""

    site_id: UUID
    kind: SiteKind
    level: SiteLevel | None = None
    valid_from: date = Field(description="Первый день срока")
    valid_to: date | None = Field(default=None, description="Последний день срока (включительно) или null")
    order_date: date = Field(description="Дата приказа о присвоении статуса")


class OrganisationSiteStatusEnded(OrganisationMarkFacts):
    """Статус площадки прекращён: он действовал по `valid_to` включительно."""

    site_id: UUID
    kind: SiteKind
    level: SiteLevel | None = None
    valid_from: date
    valid_to: date = Field(description="Последний день действия статуса (включительно)")


class MunicipalityRegistered(EventData):
    """Муниципалитет внесён в реестр: код ОКТМО и наименование (открытые сведения справочника региона).
    Also announced once for municipalities registered before this event existed."""

    oktmo: str = Field(pattern=r"^\d{8}(\d{3})?$", description="Код ОКТМО")
    name: str = Field(description="Наименование муниципального образования")
