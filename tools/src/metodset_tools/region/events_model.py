"""The shapes of a generated region's year of methodical work on the events service (issue 8): methodical events
with their sessions, registrations and attendance, annual work plans, support requests with consultations, and
the bank of practices. Plain frozen records referring to persons by key, organisations by ИНН and events by
their own key, each with helpers named after the GraphQL inputs they fill once the services have given ids."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


def _ids(keys, ids: Mapping[str, str]) -> list[str]:
    return [ids[k] for k in keys]


@dataclass(frozen=True)
class Session:
    starts_at: datetime  # aware, the region's time zone
    ends_at: datetime
    hours: int

    def session_input(self) -> dict:
        return {"startsAt": self.starts_at.isoformat(), "endsAt": self.ends_at.isoformat(), "hours": self.hours}


@dataclass(frozen=True)
class MethodicalEvent:
    key: str  # «29701000-E007»
    title: str
    form: str  # a code of the event_forms catalogue
    level: str  # SCHOOL, MUNICIPAL, REGIONAL
    organiser_inn: str  # the municipality's methodical service, the institute or a school
    municipality_oktmo: str
    format: str  # IN_PERSON, ONLINE, HYBRID
    place: str | None
    capacity: int
    sessions: tuple[Session, ...]
    registration_opens: datetime
    registration_closes: datetime
    subjects: tuple[str, ...] = ()  # the audience's subjects (codes); empty: any
    quotas: tuple[tuple[str, int], ...] = ()  # (municipality ОКТМО, places) of a regional event
    topic: str | None = None
    organiser_body_key: str | None = None  # a methodical body runs it (the body's key); organiser_inn hosts it

    def schedule_event_input(self, organiser_id: str) -> dict:
        """The input of `scheduleEvent` (issue 8)."""
        found = {"title": self.title, "form": self.form, "level": self.level, "organiserId": organiser_id,
                 "capacity": self.capacity, "format": self.format, "place": self.place, "topic": self.topic,
                 "sessions": [s.session_input() for s in self.sessions],
                 "registrationOpens": self.registration_opens.isoformat(),
                 "registrationCloses": self.registration_closes.isoformat(),
                 "quotas": [{"municipalityOktmo": m, "places": p} for m, p in self.quotas]}
        if self.subjects:
            found["audience"] = {"subjects": list(self.subjects)}
        return found


@dataclass(frozen=True)
class Registration:
    event_key: str
    person_keys: tuple[str, ...]  # in the order they registered
    registered_by: str  # the ОКТМО of the methodist who registered them (their municipality)

    def register_participants_variables(self, event_id: str, ids: Mapping[str, str]) -> dict:
        """The arguments of `registerParticipants(eventId:, personIds:)`."""
        return {"eventId": event_id, "personIds": _ids(self.person_keys, ids)}


@dataclass(frozen=True)
class Attendance:
    event_key: str
    session: int  # the session's position in the event, from 0
    person_keys: tuple[str, ...]

    def record_attendance_variables(self, event_id: str, session_id: str, ids: Mapping[str, str]) -> dict:
        """The arguments of `recordAttendance(eventId:, sessionId:, personIds:)`."""
        return {"eventId": event_id, "sessionId": session_id, "personIds": _ids(self.person_keys, ids)}


@dataclass(frozen=True)
class PlanItem:
    direction: str  # a code of plan_directions
    months: tuple[str, ...]  # «2025-10»
    title: str
    expected_result: str
    responsible_key: str | None
    event_keys: tuple[str, ...] = ()
    status: str = "PLANNED"  # DONE, MOVED, CANCELLED or PLANNED (overdue is computed by the service)
    moved_to: str | None = None

    def work_plan_item_input(self, ids: Mapping[str, str], event_ids: Mapping[str, str]) -> dict:
        """The input of `addWorkPlanItem(planId:, input:)`."""
        return {"direction": self.direction, "months": list(self.months), "title": self.title,
                "expectedResult": self.expected_result,
                "responsibleId": ids[self.responsible_key] if self.responsible_key else None,
                "eventIds": _ids(self.event_keys, event_ids)}

    def mark_variables(self) -> dict | None:
        """The arguments of `markWorkPlanItem` besides the ids (status, movedTo), or None when still planned."""
        if self.status == "PLANNED":
            return None
        return {"status": self.status, "movedTo": self.moved_to}


@dataclass(frozen=True)
class WorkPlan:
    organisation_inn: str
    year: int  # the academic year's first calendar year: 2025 is 2025/26
    approved_on: date
    items: tuple[PlanItem, ...]

    def create_work_plan_variables(self, organisation_id: str) -> dict:
        return {"organisationId": organisation_id, "year": self.year}


@dataclass(frozen=True)
class Consultation:
    form: str  # INDIVIDUAL, GROUP, PARENTS
    held_on: date
    minutes: int
    participants: int

    def consultation_input(self) -> dict:
        """The input of `recordConsultation(id:, input:)`."""
        return {"form": self.form, "heldOn": self.held_on.isoformat(), "minutes": self.minutes,
                "participants": self.participants}


@dataclass(frozen=True)
class SupportRequest:
    organisation_inn: str
    declared_on: date
    topic: str
    asked: str
    subject: str | None
    methodist_key: str | None  # assigned; None: still declared
    consultations: tuple[Consultation, ...] = ()
    outcome: str | None = None  # RESOLVED, PARTLY_RESOLVED, NOT_RESOLVED, WITHDRAWN; None: open
    rating: int | None = None

    def declare_request_input(self, organisation_id: str) -> dict:
        """The input of `declareRequest`."""
        return {"organisationId": organisation_id, "topic": self.topic, "asked": self.asked, "subject": self.subject}

    def close_request_input(self) -> dict | None:
        """The input of `closeRequest(id:, input:)`, or None for a request still open."""
        return None if self.outcome is None else {"outcome": self.outcome, "rating": self.rating}


@dataclass(frozen=True)
class Practice:
    title: str
    description: str
    organisation_inn: str
    author_keys: tuple[str, ...]
    subject: str | None
    level: str  # SCHOOL, MUNICIPAL, REGIONAL
    status: str  # IDENTIFIED, STUDIED, SUMMARISED, DISSEMINATED
    disseminated_at: tuple[str, ...] = ()  # event keys

    def add_practice_input(self, organisation_id: str, ids: Mapping[str, str]) -> dict:
        """The input of `addPractice`."""
        return {"title": self.title, "description": self.description, "organisationId": organisation_id,
                "authorIds": _ids(self.author_keys, ids), "subject": self.subject, "level": self.level}

    def status_steps(self) -> list[str]:
        """The `changePracticeStatus` steps after identification, up to summarised; DISSEMINATED comes from
        `disseminatePractice` with each of `disseminated_at`."""
        order = ["STUDIED", "SUMMARISED"]
        target = "SUMMARISED" if self.status == "DISSEMINATED" else self.status
        return [] if target == "IDENTIFIED" else order[:order.index(target) + 1]


@dataclass
class MethodicalYear:
    """The year of methodical work of a generated region (region.methodical)."""

    events: list[MethodicalEvent] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    plans: list[WorkPlan] = field(default_factory=list)
    requests: list[SupportRequest] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
