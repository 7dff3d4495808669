"""Events of the pedagogical staff (topic `registry.staff.v1`).

Identifiers and the facts a subscriber needs to count and join (organisation, municipality, position and
subject codes, rate, dates, birth year) — NEVER a name, a birth date, a СНИЛС or a contact: those stay in
the registry, which audits every read of them."""
from datetime import date
from uuid import UUID

from pydantic import Field

from .base import EventData

_OKTMO = r"^\d{8}(\d{3})?$"


class PersonRegistered(EventData):
    """Работник (физическое лицо) зарегистрирован в реестре."""

    person_id: UUID
    version: int = Field(ge=1)
    birth_year: int = Field(ge=1900, le=2100, description="Год рождения (не дата)")
    registered_municipality: str | None = Field(default=None, pattern=_OKTMO,
                                                description="Муниципалитет, зарегистрировавший работника")


class PersonUpdated(EventData):
    """Сведения о работнике изменены: только названия изменённых полей, не их значения."""

    person_id: UUID
    version: int = Field(ge=1)
    birth_year: int = Field(ge=1900, le=2100)
    changed: list[str] = Field(description="Изменённые поля (lastName, snils, ...), без значений")


class EmploymentFacts(EventData):
    """What every employment event says: the employment as it stands after the change."""

    employment_id: UUID
    person_id: UUID
    version: int = Field(ge=1, description="1 при приёме, +1 при каждом переводе и увольнении")
    organisation_id: UUID
    municipality_oktmo: str = Field(pattern=_OKTMO)
    position: str = Field(description="Код должности (справочник positions)")
    subjects: list[str] = Field(description="Коды предметов (справочник subjects)")
    rate: float = Field(ge=0.05, le=2.0, description="Ставка")
    main: bool = Field(description="Основное место работы (иначе — совместительство)")
    start_date: date = Field(description="Дата приёма")
    end_date: date | None = Field(default=None, description="Последний день работы (включительно) или null")
    birth_year: int = Field(ge=1900, le=2100, description="Год рождения работника (не дата)")


class EmploymentStarted(EmploymentFacts):
    """Работник принят на работу."""


class EmploymentChanged(EmploymentFacts):
    """Перевод: с `effective_date` изменились должность, предметы, ставка или вид занятости."""

    effective_date: date = Field(description="С какого дня действуют новые условия")
    changed: list[str] = Field(description="Изменённые поля: position, subjects, rate, main")


class EmploymentEnded(EmploymentFacts):
    """Работник уволен: `end_date` — последний день работы."""

    end_date: date
