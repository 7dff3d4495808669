"""Request and response shapes of data-collection campaigns (camelCase JSON)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from metodset_contracts.campaigns import ApprovalLevel, SubmissionStatus
from metodset_kit.pagination import Page
from metodset_kit.shapes import Shape, Text

from .domain.forms import FieldType, Form, FormField, Option

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Oktmo = Annotated[str, StringConstraints(pattern=r"^[0-9]{8}([0-9]{3})?$")]
Period = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(/[0-9]{4}|-Q[1-4])?$")]


class OptionIn(Shape):
    code: Code
    title: Text(300)


class FieldIn(Shape):
    code: Code = Field(description="Код поля (латиницей): по нему значение попадает в факты показателей")
    title: Text(500)
    type: FieldType = Field(description="number, choice, date, text или file")
    required: bool = False
    minimum: Decimal | None = Field(default=None, description="number: наименьшее допустимое")
    maximum: Decimal | None = Field(default=None, description="number: наибольшее допустимое")
    integer: bool = Field(default=False, description="number: только целые")
    options: list[OptionIn] = Field(default_factory=list, max_length=200, description="choice: варианты")
    multiple: bool = Field(default=False, description="choice: можно выбрать несколько")
    earliest: date | None = Field(default=None, description="date: не раньше")
    latest: date | None = Field(default=None, description="date: не позже")
    max_length: int = Field(default=1000, ge=1, le=10_000, description="text: наибольшая длина")
    file_types: list[Code] = Field(default_factory=list, max_length=10,
                                   description="file: допустимые типы (pdf, docx, xlsx, pptx, jpg, png, mp4)")
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1, description="file: наибольший размер, байт")

    def domain(self) -> FormField:
        return FormField(self.code, self.title, self.type, self.required, self.minimum, self.maximum, self.integer,
                         tuple(Option(o.code, o.title) for o in self.options), self.multiple, self.earliest,
                         self.latest, self.max_length, tuple(self.file_types), self.max_bytes)


class FormCreate(Shape):
    code: Code
    title: Text(500)
    fields: list[FieldIn] = Field(min_length=1, max_length=300)

    def domain(self) -> Form:
        return Form(self.code, self.title, tuple(f.domain() for f in self.fields))


class FormPublic(Shape):
    code: str
    title: str
    owner_oktmo: str | None
    fields: list[FieldIn]


class Assignment(Shape):
    """Whom a campaign asks: listed organisations, organisations of kinds (within municipalities, or the whole
    region), or municipalities themselves."""

    organisation_ids: list[UUID] = Field(default_factory=list, max_length=5000)
    kinds: list[Code] = Field(default_factory=list, max_length=20,
                              description="Виды организаций (school, kindergarten, ...); со списком municipalities — "
                                          "в этих муниципалитетах, без него — во всём регионе")
    municipalities: list[Oktmo] = Field(default_factory=list, max_length=500)
    municipalities_respond: bool = Field(default=False, description="Отвечают сами муниципалитеты из municipalities")


class CampaignCreate(Shape):
    code: Code
    title: Text(500)
    form_code: Code
    kind: Literal["report", "survey"] = Field(default="report", description="report — форма организации или "
                                              "муниципалитета; survey — анонимный опрос работников")
    period: Period = Field(description="Период: 2025/2026 (учебный год), 2026 или 2026-Q1")
    period_start: date
    deadline: date
    remind_days: int = Field(default=3, ge=0, le=60, description="За сколько дней до срока напоминать")
    min_group: int = Field(default=5, ge=3, le=100, description="Опрос: меньшие группы не показываются")
    assign: Assignment = Field(default_factory=Assignment)


class CompletenessPublic(Shape):
    municipality_oktmo: str | None = Field(description="null — итог по всем видимым муниципалитетам")
    assigned: int
    submitted: int
    approved: int
    returned: int
    overdue: int
    submitted_share: float | None


class CampaignPublic(Shape):
    id: UUID
    code: str
    title: str
    kind: str
    form: FormPublic
    period: str
    period_start: date
    deadline: date
    owner_oktmo: str | None
    remind_days: int
    min_group: int
    created_at: datetime


class CampaignPage(Page[CampaignPublic]):
    """A page of campaigns in the order of their code."""


class ValueIn(Shape):
    field: Code
    value: Any = None


class Answers(Shape):
    organisation_id: UUID | None = Field(default=None, description="Организация-респондент")
    municipality_oktmo: Oktmo | None = Field(default=None, description="Муниципалитет-респондент (без организации)")
    values: list[ValueIn] = Field(default_factory=list, max_length=300)

    def as_dict(self) -> dict[str, Any]:
        return {v.field: v.value for v in self.values}


class ProblemPublic(Shape):
    field: str
    message: str


class SubmissionPublic(Shape):
    id: UUID
    campaign_id: UUID
    organisation_id: UUID | None
    municipality_oktmo: str
    status: SubmissionStatus
    status_title: str
    values: list[ValueIn]
    version: int
    submitted_at: datetime | None
    approved_at: datetime | None
    overdue: bool
    return_comment: str | None
    returned_by: ApprovalLevel | None


class SubmissionPage(Page[SubmissionPublic]):
    """A page of a campaign's submissions in the order of municipality and id."""


class CheckPublic(Shape):
    submission: SubmissionPublic
    problems: list[ProblemPublic]


class ReturnIn(Shape):
    comment: Text(4000)


class FileRef(Shape):
    sha256: str
    file_type: str
    size_bytes: int
    file_name: str | None


class RemindersRun(Shape):
    day: date
    reminders: int = Field(description="Сколько напоминаний отправлено сейчас (повторный запуск в тот же день — 0)")


class SurveyResponseIn(Shape):
    organisation_id: UUID
    values: list[ValueIn] = Field(max_length=300)


class FieldSummaryPublic(Shape):
    field: str
    answered: int
    mean: float | None
    options: dict[str, int]


class GroupPublic(Shape):
    level: str
    key: str
    municipality_oktmo: str | None
    responses: int | None = Field(description="null — группа меньше минимального размера и скрыта")
    suppressed: bool
    fields: list[FieldSummaryPublic]
