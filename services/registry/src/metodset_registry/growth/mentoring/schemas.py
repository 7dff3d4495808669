"""Request and response shapes of the mentoring API (camelCase JSON)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from metodset_contracts.mentoring import MentoringOutcome, MentoringStatus
from metodset_kit.pagination import Page

from ...shapes import Shape, _text
from ...staff.schemas import Code


class MentoringCreate(Shape):
    mentor_id: UUID = Field(description="Наставник (id работника)")
    mentee_ids: list[UUID] = Field(min_length=1, max_length=50, description="Наставляемые (id работников)")
    form: Code = Field(description="Код формы наставничества (справочник mentoring_forms)")
    start_date: date
    programme: _text(500) | None = Field(default=None, description="Программа наставничества")
    organisation_id: UUID | None = Field(
        default=None, description="Организация, где ведётся наставничество; без неё — место основной работы "
                                  "первого наставляемого на дату начала")


class MentoringEnd(Shape):
    end_date: date = Field(description="Последний день наставничества (не позже сегодняшнего)")
    status: MentoringStatus = Field(default=MentoringStatus.COMPLETED, description="completed или terminated")
    outcome: MentoringOutcome = Field(description="Итог (код)")
    outcome_text: _text(2000) | None = Field(default=None, description="Итог своими словами")


class NamedPerson(Shape):
    id: UUID
    full_name: str | None


class Outcome(Shape):
    code: MentoringOutcome
    title: str
    text: str | None


class MentoringPublic(Shape):
    id: UUID
    mentor: NamedPerson
    mentees: list[NamedPerson]
    form: str
    form_title: str
    programme: str | None
    organisation_id: UUID | None
    municipality_oktmo: str
    start_date: date
    end_date: date | None
    status: MentoringStatus
    status_title: str
    outcome: Outcome | None
    version: int


class MentoringPage(Page[MentoringPublic]):
    """A page of mentorings in the order of their id."""


class MentorLoad(Shape):
    mentor_id: UUID
    as_of: date
    mentees: int = Field(description="Наставляемых в действующих на дату наставничествах")
    max_mentees: int = Field(description="Предел региона")
