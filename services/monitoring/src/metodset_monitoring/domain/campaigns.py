"""Data-collection campaigns (сбор данных): a form assigned to respondents (organisations or municipalities)
with a deadline; each respondent's submission moves draft → submitted → approved_by_municipality → approved
(by the region), or is returned with a comment at either level and is edited and submitted again. Pure.

Approved values become facts (table `facts`, kind 'campaign') that the indicator engine reads:
- one row per number or choice value of the submission finally approved (by the region; by the municipality
  for its own campaign);
- record_id '<campaign_id>:<respondent>:<field code>' where the respondent is the organisation id or, for a
  municipality respondent, its ОКТМО; a multiple choice gives one row per chosen option, record_id suffixed
  with ':<option code>';
- organisation_id / municipality_oktmo of the respondent (organisation_id null for a municipality);
- valid_from: the campaign's period start; value: the number, or 1 for a choice (its code in attrs.choice);
- attrs {"campaign": campaign code, "form": form code, "field": field code, "period": e.g. "2025/2026"}
  (+ "choice");
- version: how many times this submission has been finally approved (1, 2, ...), so it only grows.
An approval replaces all the respondent's campaign rows (a field emptied since is gone); a return after the
final approval deletes them until the next approval. No topic brings these facts back: a replay that empties
`facts` rebuilds them from the approved submissions (campaigns.rebuild_facts). Dates, texts and files are not
facts: they stay in the submission. Example: a «students_total» number field of a «Контингент обучающихся»
campaign supplies the number of students per school, the denominator of olympiad participation per 100 students."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from metodset_contracts.campaigns import ApprovalLevel, ReminderReason, SubmissionStatus

from .forms import FieldType, Form

S = SubmissionStatus
EDITABLE = (S.DRAFT, S.RETURNED)
HANDED_IN = (S.SUBMITTED, S.APPROVED_BY_MUNICIPALITY, S.APPROVED)
DEFAULT_REMIND_DAYS = 3


class TransitionError(ValueError):
    def __init__(self, message: str, code: str = "wrong_status", field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Campaign:
    id: UUID
    code: str
    title: str
    form_code: str
    period: str  # e.g. 2025/2026
    period_start: date
    deadline: date
    owner_oktmo: str | None = None  # None: the region's campaign; else a municipality's own
    remind_days: int = DEFAULT_REMIND_DAYS

    @property
    def regional(self) -> bool:
        return self.owner_oktmo is None


@dataclass(frozen=True)
class Submission:
    id: UUID
    campaign_id: UUID
    organisation_id: UUID | None  # None: the municipality itself answers
    municipality_oktmo: str
    status: SubmissionStatus = S.DRAFT
    values: dict[str, Any] | None = None
    version: int = 1  # grows with every change (events' order)
    approvals: int = 0  # final approvals so far (facts' version)
    submitted_at: datetime | None = None
    return_comment: str | None = None
    returned_by: ApprovalLevel | None = None

    @property
    def respondent(self) -> str:
        return str(self.organisation_id) if self.organisation_id else self.municipality_oktmo


def _next(s: Submission, **changes) -> Submission:
    return replace(s, version=s.version + 1, **changes)


def save_draft(s: Submission, values: dict[str, Any]) -> Submission:
    if s.status not in EDITABLE:
        raise TransitionError("Форма уже представлена: изменить её можно, только если её вернут на доработку")
    return _next(s, values=values)


def submit(s: Submission, values: dict[str, Any], at: datetime) -> Submission:
    if s.status not in EDITABLE:
        raise TransitionError("Форма уже представлена")
    return _next(s, status=S.SUBMITTED, values=values, submitted_at=at)


def needs_municipality(c: Campaign, s: Submission) -> bool:
    """Whether the municipality approves before the region: for an organisation's form of a regional campaign.
    A municipality's own answer goes to the region directly; a municipality's own campaign ends with it."""
    return c.regional and s.organisation_id is not None


def approve(c: Campaign, s: Submission, level: ApprovalLevel) -> Submission:
    if level is ApprovalLevel.MUNICIPALITY:
        if c.regional and s.organisation_id is None:
            raise TransitionError("Ответ муниципалитета принимает регион", "wrong_level")
        if s.status is not S.SUBMITTED:
            raise TransitionError("Согласовать можно представленную форму")
        if needs_municipality(c, s):
            return _next(s, status=S.APPROVED_BY_MUNICIPALITY)
        return _next(s, status=S.APPROVED, approvals=s.approvals + 1)
    if not c.regional:
        raise TransitionError("Кампанию муниципалитета принимает сам муниципалитет", "wrong_level")
    expected = S.APPROVED_BY_MUNICIPALITY if needs_municipality(c, s) else S.SUBMITTED
    if s.status is not expected:
        raise TransitionError("Регион принимает форму, согласованную муниципалитетом" if expected is not S.SUBMITTED
                              else "Принять можно представленную форму")
    return _next(s, status=S.APPROVED, approvals=s.approvals + 1)


def return_back(c: Campaign, s: Submission, level: ApprovalLevel, comment: str) -> Submission:
    """Back to the respondent with a comment: the municipality returns what it has to approve; the region (or
    the municipality of its own campaign) also what was approved, and its facts go with it."""
    if not comment.strip():
        raise TransitionError("Укажите, что исправить (комментарий)", "invalid", "comment")
    final_level = ApprovalLevel.REGION if c.regional else ApprovalLevel.MUNICIPALITY
    allowed = {S.SUBMITTED, S.APPROVED_BY_MUNICIPALITY, S.APPROVED} if level is final_level else {S.SUBMITTED}
    if level is ApprovalLevel.MUNICIPALITY and c.regional and s.organisation_id is None:
        raise TransitionError("Ответ муниципалитета возвращает регион", "wrong_level")
    if level is ApprovalLevel.REGION and not c.regional:
        raise TransitionError("Кампанию муниципалитета ведёт сам муниципалитет", "wrong_level")
    if s.status not in allowed:
        raise TransitionError("Вернуть можно представленную форму" if level is not final_level
                              else "Вернуть можно представленную или согласованную форму")
    return _next(s, status=S.RETURNED, return_comment=comment.strip(), returned_by=level)


# ---- deadlines, completeness, reminders -----------------------------------------------------------------------

def overdue(c: Campaign, s: Submission, today: date) -> bool:
    return s.status in EDITABLE and today > c.deadline


def reminder_reason(c: Campaign, s: Submission, today: date) -> ReminderReason | None:
    """Why a respondent gets a reminder today: the deadline is within `remind_days` or past, and the form is
    not handed in (a draft or a returned form)."""
    if s.status not in EDITABLE:
        return None
    if today > c.deadline:
        return ReminderReason.OVERDUE
    if (c.deadline - today).days <= c.remind_days:
        return ReminderReason.DEADLINE_APPROACHING
    return None


@dataclass(frozen=True)
class Completeness:
    municipality_oktmo: str
    assigned: int = 0
    submitted: int = 0  # handed in: submitted or approved at any level
    approved: int = 0  # finally approved
    returned: int = 0
    overdue: int = 0

    @property
    def submitted_share(self) -> float | None:
        return round(self.submitted / self.assigned, 4) if self.assigned else None


def completeness(c: Campaign, submissions: Iterable[Submission], today: date) -> list[Completeness]:
    """Per municipality (in code order) and, last, the total with municipality_oktmo ''."""
    counts: dict[str, list[int]] = {}
    for s in submissions:
        n = counts.setdefault(s.municipality_oktmo, [0, 0, 0, 0, 0])
        for i, hit in enumerate((True, s.status in HANDED_IN, s.status is S.APPROVED, s.status is S.RETURNED,
                                 overdue(c, s, today))):
            n[i] += hit
    rows = [Completeness(m, *n) for m, n in sorted(counts.items())]
    total = [sum(col) for col in zip(*(n for n in counts.values()), strict=True)] if counts else [0] * 5
    return [*rows, Completeness("", *total)]


# ---- facts --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CampaignFact:
    record_id: str
    organisation_id: UUID | None
    municipality_oktmo: str
    valid_from: date
    value: float
    attrs: dict[str, str]
    version: int


def record_prefix(c: Campaign, s: Submission) -> str:
    return f"{c.id}:{s.respondent}:"


def facts_of(c: Campaign, form: Form, s: Submission) -> list[CampaignFact]:
    """The facts an approved submission gives (see the module's docstring); none before the final approval."""
    if s.status is not S.APPROVED:
        return []
    out = []
    for f in form.fields:
        value = (s.values or {}).get(f.code)
        if value is None or f.type not in (FieldType.NUMBER, FieldType.CHOICE):
            continue
        attrs = {"campaign": c.code, "form": form.code, "field": f.code, "period": c.period}
        base = f"{record_prefix(c, s)}{f.code}"
        if f.type is FieldType.NUMBER:
            out.append(_fact(c, s, base, float(value), attrs))
        elif isinstance(value, list):
            out += [_fact(c, s, f"{base}:{v}", 1.0, {**attrs, "choice": v}) for v in value]
        else:
            out.append(_fact(c, s, base, 1.0, {**attrs, "choice": value}))
    return out


def _fact(c: Campaign, s: Submission, record_id: str, value: float, attrs: dict) -> CampaignFact:
    return CampaignFact(record_id, s.organisation_id, s.municipality_oktmo, c.period_start, value, attrs,
                        s.approvals)
