"""The shapes of a generated region's professional growth: course records, qualification categories,
diagnostic results and mentoring. Plain frozen records referring to persons by key and organisations by ИНН,
with the inputs of issue 7's GraphQL mutations (recordCourse, awardCategory, recordDiagnostic,
startMentoring, endMentoring) once the registry has given the ids."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CourseRecord:
    person_key: str
    programme: str
    provider: str  # the organisation's name as the certificate gives it
    provider_inn: str | None  # an organisation of the region (the institute), else free text only
    hours: int
    start_date: date
    end_date: date
    kind: str  # UPGRADE (повышение квалификации, ≥ 16 h) or RETRAINING (профессиональная переподготовка, ≥ 250 h)
    certificate_number: str

    def record_course_input(self, person_id: str) -> dict:
        """The input of `recordCourse` (issue 7)."""
        return {"personId": person_id, "programme": self.programme, "provider": self.provider, "hours": self.hours,
                "startDate": self.start_date.isoformat(), "endDate": self.end_date.isoformat(), "kind": self.kind,
                "certificateNumber": self.certificate_number}


@dataclass(frozen=True)
class CategoryAward:
    """A qualification category awarded by an order; five years valid (the history keeps earlier ones)."""

    person_key: str
    category: str  # a code of catalogue("categories"): compliance, first, highest, methodist, mentor
    awarded_on: date
    order_number: str
    expires_on: date

    def award_category_input(self, person_id: str) -> dict:
        """The input of `awardCategory` (issue 7)."""
        return {"personId": person_id, **self.award_category_body()}

    def award_category_body(self) -> dict:
        """The body of `POST /persons/{id}/category`."""
        return {"category": self.category, "awardedOn": self.awarded_on.isoformat(), "orderNumber": self.order_number}


@dataclass(frozen=True)
class DiagnosticResult:
    person_key: str
    instrument: str  # a code of growth_data.INSTRUMENTS (the registry's reference instrument)
    taken_on: date
    scores: tuple[tuple[str, int], ...]  # (area code, score 0..100) in the instrument's order

    def record_diagnostic_input(self, person_id: str) -> dict:
        """The input of `recordDiagnostic` (issue 7)."""
        return {"personId": person_id, "instrument": self.instrument, "date": self.taken_on.isoformat(),
                "scores": [{"area": a, "score": s} for a, s in self.scores]}

    def record_diagnostic_body(self) -> dict:
        """The body of `POST /persons/{id}/diagnostics`."""
        return {"instrument": self.instrument, "date": self.taken_on.isoformat(), "scores": dict(self.scores)}


@dataclass(frozen=True)
class MentoringPair:
    """A mentor and their mentees (one in a pair, several in a group), from a start date; ended ones have
    their last day and outcome."""

    mentor_key: str
    mentee_keys: tuple[str, ...]
    form: str  # a code of catalogue("mentoring_forms")
    organisation_inn: str
    start_date: date
    programme: str
    end_date: date | None = None
    terminated: bool = False
    outcome: str | None = None  # a MentoringOutcome code (lower case) when ended

    def start_mentoring_input(self, mentor_id: str, mentee_ids: list[str], organisation_id: str | None = None
                              ) -> dict:
        """The input of `startMentoring` (issue 7), checked by the registry's own schema."""
        from metodset_registry.growth.mentoring.schemas import MentoringCreate

        body = MentoringCreate(mentor_id=mentor_id, mentee_ids=mentee_ids, form=self.form,
                               start_date=self.start_date, programme=self.programme, organisation_id=organisation_id)
        return body.model_dump(by_alias=True, mode="json", exclude_none=True)

    def end_mentoring_input(self) -> dict | None:
        """The arguments of `endMentoring` (issue 7) for an ended pair (the outcome as the GraphQL enum's name);
        None for an active one."""
        if self.end_date is None:
            return None
        return {"endDate": self.end_date.isoformat(), "terminated": self.terminated,
                "outcome": {"code": (self.outcome or "other").upper()}}

    def end_mentoring_body(self) -> dict | None:
        """The body of `POST /mentoring/{id}/end` (checked by the registry's schema); None for an active pair."""
        if self.end_date is None:
            return None
        from metodset_registry.growth.mentoring.schemas import MentoringEnd

        body = MentoringEnd(end_date=self.end_date, status="terminated" if self.terminated else "completed",
                            outcome=self.outcome or "other")
        return body.model_dump(by_alias=True, mode="json", exclude_none=True)
