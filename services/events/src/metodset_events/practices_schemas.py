"""Request and response shapes of the bank of practices and of materials (camelCase JSON)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from metodset_contracts.practices import PracticeLevel, PracticeStatus
from metodset_kit.hostile import bad_text
from metodset_kit.pagination import Page


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


def _no_bad_text(value: str) -> str:
    problem = bad_text(value)
    if problem:
        raise ValueError(problem)
    return value


def text(max_length: int, min_length: int = 1):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
                     AfterValidator(_no_bad_text)]


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError("Ссылка: адрес, начинающийся с http:// или https:// / link must be an http(s) URL")
    return value


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
WebUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_no_bad_text), AfterValidator(_web_url)]


class PracticeCreate(Shape):
    title: text(500)
    description: text(20000, 0) = ""
    author_ids: list[UUID] = Field(default_factory=list, max_length=50, description="Авторы (id работников)")
    organisation_id: UUID = Field(description="Организация, где практика сложилась")
    subject: Code | None = Field(default=None, description="Код предмета (справочник subjects)")
    level: PracticeLevel


class StatusChange(Shape):
    status: PracticeStatus = Field(description="Следующее состояние: studied, summarised, disseminated")


class DisseminationAdd(Shape):
    event_id: UUID = Field(description="Мероприятие, где практика представлена")


class MaterialOwner(StrEnum):
    EVENT = "event"
    BODY = "body"
    PRACTICE = "practice"
    ENTRY = "entry"  # a competition entry's materials (read within the entry's scope)


class LinkAdd(Shape):
    owner: MaterialOwner
    owner_id: UUID
    title: text(500)
    url: WebUrl


class MaterialPublic(Shape):
    id: UUID
    owner: MaterialOwner
    owner_id: UUID
    title: str
    kind: str = Field(description="file — файл в хранилище, link — ссылка")
    url: str | None = Field(description="Ссылка; для файла — адрес скачивания в сервисе мероприятий")
    file_type: str | None = Field(description="pdf, docx, xlsx, pptx, jpg, png, mp4")
    file_name: str | None
    size_bytes: int | None
    sha256: str | None
    added_at: datetime


class PracticePublic(Shape):
    id: UUID
    title: str
    description: str
    author_ids: list[UUID]
    organisation_id: UUID
    municipality_oktmo: str
    subject: str | None
    subject_title: str | None
    level: PracticeLevel
    level_title: str
    status: PracticeStatus
    status_title: str
    event_ids: list[UUID] = Field(description="Мероприятия, где практика распространена")
    version: int
    created_at: datetime
    updated_at: datetime
    rank: float | None = Field(default=None, description="Релевантность поиску (ts_rank), если задан search")
    snippet: str | None = Field(default=None, description="Фрагмент описания с найденными словами в **…** "
                                                          "(если задан search)")
    materials: list[MaterialPublic] | None = Field(default=None, description="Материалы (только в карточке)")


class PracticePage(Page[PracticePublic]):
    pass
