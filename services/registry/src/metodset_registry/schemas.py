"""Request and response shapes of the registry's REST API (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from metodset_contracts.organisations import OrganisationKind

from .domain.identifiers import is_valid_legal_inn


def _checked_inn(value: str) -> str:
    if not is_valid_legal_inn(value):
        raise ValueError("ИНН не проходит проверку контрольного числа / INN checksum is wrong")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
ShortName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
Oktmo = Annotated[str, StringConstraints(pattern=r"^[0-9]{8}([0-9]{3})?$")]
Inn = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$"), AfterValidator(_checked_inn)]


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class MunicipalityCreate(Shape):
    oktmo: Oktmo = Field(description="Код ОКТМО (8 или 11 цифр)")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class MunicipalityPublic(Shape):
    oktmo: str
    name: str


class OrganisationCreate(Shape):
    name: Name = Field(description="Полное наименование")
    short_name: ShortName | None = Field(default=None, description="Краткое наименование")
    kind: OrganisationKind
    municipality_oktmo: Oktmo
    inn: Inn = Field(description="ИНН юридического лица (10 цифр)")


class OrganisationUpdate(Shape):
    name: Name | None = None
    short_name: ShortName | None = None
    kind: OrganisationKind | None = None
    municipality_oktmo: Oktmo | None = None
    inn: Inn | None = None


class OrganisationClose(Shape):
    closed_on: date | None = Field(default=None, description="Дата закрытия; по умолчанию сегодня")


class OrganisationPublic(Shape):
    id: UUID
    name: str
    short_name: str | None
    kind: OrganisationKind
    kind_title: str
    municipality_oktmo: str
    inn: str
    version: int
    active: bool
    closed_on: date | None


class BatchRegistered(Shape):
    ids: list[UUID]
