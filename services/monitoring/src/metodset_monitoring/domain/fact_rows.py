"""What each published event says as rows of `facts`: one row per source record (an employment, a course, a
mentee in a mentoring, a registration, a plan item ...). Identifiers, codes, dates and numbers only.

Order-tolerance: a row carries a version — the aggregate's own where the event has one, else the event's
time in microseconds. Two rows of one record merge field by field: the newer one's known fields win, and
a field only the older one knows is kept (a closing that arrives before the creation keeps the closing date
and gains the creation date). A new projection is one more entry in MAPPERS."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from metodset_contracts import CloudEvent, event_type
from metodset_contracts import bodies as b
from metodset_contracts import competitions as cp
from metodset_contracts import courses as c
from metodset_contracts import growth as g
from metodset_contracts import mentoring as mt
from metodset_contracts import methodical_events as me
from metodset_contracts import olympiads as ol
from metodset_contracts import organisations as o
from metodset_contracts import plans as pl
from metodset_contracts import practices as pr
from metodset_contracts import requests as rq
from metodset_contracts import staff as st
from metodset_contracts.reference import catalogue


class FactRow(NamedTuple):
    """A named tuple, not a frozen dataclass: a consumer batch builds one per event, and a tuple costs a third.
    Rows are never changed in place (merge builds a new one), so the rows without attrs share one empty dict."""

    kind: str
    record_id: str
    version: int
    organisation_id: UUID | None = None
    municipality_oktmo: str | None = None
    person_id: UUID | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    value: float | None = None
    attrs: dict[str, Any] = {}  # noqa: RUF012 - shared and never mutated (see above)

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.record_id


_MERGED = ("organisation_id", "municipality_oktmo", "person_id", "valid_from", "valid_to", "value")


def merge(old: FactRow, new: FactRow) -> FactRow:
    """The same rule the database applies on conflict (projection._UPSERT), for rows met within one batch."""
    newer, older = (new, old) if new.version > old.version else (old, new)
    known = {f: getattr(newer, f) if getattr(newer, f) is not None else getattr(older, f) for f in _MERGED}
    return newer._replace(**known, attrs={**older.attrs, **newer.attrs})


def folded(rows: list[FactRow]) -> list[FactRow]:
    out: dict[tuple[str, str], FactRow] = {}
    for r in rows:
        key = r.key
        seen = out.get(key)
        out[key] = r if seen is None else merge(seen, r)
    return [out[k] for k in sorted(out)]  # in key order: concurrent transactions lock rows in the same order


def earliest(rows: list[FactRow]) -> dict[str, date | None]:
    """Per kind, the earliest day the rows speak of (a start or an end); None — a row without a start, which
    lasts since ever and so may change any period."""
    out: dict[str, date | None] = {}
    for r in rows:
        day = None if r.valid_from is None else min(d for d in (r.valid_from, r.valid_to) if d is not None)
        if r.kind not in out:
            out[r.kind] = day
        elif out[r.kind] is not None:
            out[r.kind] = None if day is None else min(out[r.kind], day)
    return out


def _micros(event: CloudEvent) -> int:
    return int(event.time.timestamp() * 1_000_000)


@cache
def _position_groups() -> dict[str, str]:
    return {i.code: i.extra.get("group", "") for i in catalogue("positions").items}


def _group(position: str) -> str:
    return _position_groups().get(position, "other")


def _organisation(d: o.OrganisationFacts, v: int) -> list[FactRow]:
    closed = isinstance(d, o.OrganisationClosed)
    return [FactRow("organisation", str(d.organisation_id), d.version, d.organisation_id, d.municipality_oktmo,
                    valid_to=d.closed_on if closed else None,
                    attrs=_organisation_attrs(d, closed))]


def _organisation_attrs(d: o.OrganisationFacts, closed: bool) -> dict[str, Any]:
    """A closing carries no name: the attrs merge keeps the one known."""
    attrs = {"kind": d.kind.value, "status": "closed" if closed else "active"}
    name = getattr(d, "name", None)
    return attrs if name is None else {**attrs, "name": name}


def _flag(d: o.OrganisationFlagSet | o.OrganisationFlagCleared, v: int) -> list[FactRow]:
    return [FactRow("flag", str(d.flag_id), v, d.organisation_id, d.municipality_oktmo, valid_from=d.valid_from,
                    valid_to=d.valid_to, attrs={"kind": d.kind.value})]


def _site(d: o.OrganisationSiteStatusGranted | o.OrganisationSiteStatusEnded, v: int) -> list[FactRow]:
    return [FactRow("site", str(d.site_id), v, d.organisation_id, d.municipality_oktmo, valid_from=d.valid_from,
                    valid_to=d.valid_to, attrs={"kind": d.kind.value, "level": d.level.value if d.level else None})]


def _employment(d: st.EmploymentFacts, v: int) -> list[FactRow]:
    return [FactRow("employment", str(d.employment_id), d.version, d.organisation_id, d.municipality_oktmo,
                    d.person_id, d.start_date, d.end_date, d.rate,
                    {"position": d.position, "group": _group(d.position), "main": d.main,
                     "birth_year": d.birth_year, "subjects": d.subjects})]


def _course(d: c.CourseCompleted, v: int) -> list[FactRow]:
    return [FactRow("course", str(d.course_id), v, person_id=d.person_id, valid_from=d.end_date, value=d.hours,
                    attrs={"kind": d.kind.value, "started": d.start_date.isoformat()})]


def _category(d: c.CategoryAwarded, v: int) -> list[FactRow]:
    return [FactRow("category", str(d.award_id), v, person_id=d.person_id, valid_from=d.awarded_on,
                    valid_to=d.expires_on, attrs={"category": d.category})]


def _mentoring(d: mt.MentoringFacts, v: int) -> list[FactRow]:
    ended = isinstance(d, mt.MentoringEnded)
    attrs = {"form": d.form, "mentor_id": str(d.mentor_id), "mentoring_id": str(d.mentoring_id),
             "status": d.status.value if ended else "active"}
    return [FactRow("mentee", f"{d.mentoring_id}:{m}", v, d.organisation_id, d.municipality_oktmo, m, d.start_date,
                    d.end_date if ended else None, attrs=attrs) for m in d.mentee_ids]


def _diagnosis(d: g.DeficitsDiagnosed, v: int) -> list[FactRow]:
    return [FactRow("diagnosis", str(d.result_id), v, person_id=d.person_id, valid_from=d.diagnosed_on,
                    value=len(d.deficits), attrs={"instrument": d.instrument})]


def _route(d: g.RouteOpened | g.RouteClosed, v: int) -> list[FactRow]:
    closed = isinstance(d, g.RouteClosed)
    attrs = {"status": "closed", "outcome": d.outcome.value} if closed else {"status": "open"}
    return [FactRow("route", str(d.route_id), v, person_id=d.person_id, valid_from=d.opened_on,
                    valid_to=d.closed_on if closed else None, attrs=attrs)]


def _body(d: b.BodyFacts, v: int) -> list[FactRow]:
    created = isinstance(d, b.BodyCreated)
    return [FactRow("body", str(d.body_id), 1 if created else 2, d.organisation_id, d.municipality_oktmo,
                    valid_from=d.created_on if created else None,
                    valid_to=d.closed_on if isinstance(d, b.BodyClosed) else None,
                    attrs={"kind": d.kind, "level": d.level.value})]


def _member(d: b.MembershipFacts, v: int) -> list[FactRow]:
    return [FactRow("member", str(d.membership_id), v, person_id=d.person_id, valid_from=d.valid_from,
                    valid_to=d.valid_to, attrs={"body_id": str(d.body_id), "role": d.role.value})]


def _event(d: me.EventFacts, v: int) -> list[FactRow]:
    days = [s.starts_at.date() for s in d.sessions] + [s.ends_at.date() for s in d.sessions]
    return [FactRow("event", str(d.event_id), d.version, d.organiser_organisation_id, d.municipality_oktmo,
                    valid_from=min(days, default=None), valid_to=max(days, default=None), value=d.hours,
                    attrs={"form": d.form, "level": d.level.value, "format": d.format.value,
                           "status": "cancelled" if isinstance(d, me.EventCancelled) else "scheduled",
                           "body_id": str(d.organiser_body_id) if d.organiser_body_id else None})]


def _registration(d: me.RegistrationFacts, v: int) -> list[FactRow]:
    status = {me.RegistrationConfirmed: "confirmed", me.RegistrationWaitlisted: "waitlisted",
              me.RegistrationCancelled: "cancelled"}[type(d)]
    return [FactRow("registration", str(d.registration_id), v, d.organisation_id, d.municipality_oktmo, d.person_id,
                    attrs={"event_id": str(d.event_id), "status": status})]


def _participation(d: me.CompletedWithHours, v: int) -> list[FactRow]:
    return [FactRow("participation", f"{d.event_id}:{d.person_id}", v, person_id=d.person_id, valid_from=d.end_date,
                    value=d.hours, attrs={"event_id": str(d.event_id), "form": d.form,
                                          "programme_hours": d.programme_hours})]


def _academic(year: int) -> str:
    return f"{year}/{year + 1}"


def _plan(d: pl.PlanApproved, v: int) -> list[FactRow]:
    return [FactRow("plan", str(d.plan_id), v, d.organisation_id, d.municipality_oktmo, valid_from=d.approved_on,
                    value=d.items, attrs={"period": _academic(d.year)})]


def _plan_item(d: pl.PlanItemStatusChanged, v: int) -> list[FactRow]:
    return [FactRow("plan_item", str(d.item_id), v, d.organisation_id, d.municipality_oktmo,
                    valid_from=d.changed_on, attrs={"period": _academic(d.year), "plan_id": str(d.plan_id),
                                                    "direction": d.direction, "status": d.status.value})]


def _request(d: rq.RequestFacts, v: int) -> list[FactRow]:
    if isinstance(d, rq.RequestConsulted):
        return [FactRow("consultation", str(d.consultation_id), v, d.organisation_id, d.municipality_oktmo,
                        valid_from=d.held_on, value=d.minutes,
                        attrs={"request_id": str(d.request_id), "form": d.form.value, "participants": d.participants})]
    if isinstance(d, rq.RequestDeclared):
        row = FactRow("request", str(d.request_id), v, d.organisation_id, d.municipality_oktmo,
                      valid_from=d.declared_at.date(),
                      attrs={"status": "declared", "declared_at": d.declared_at.isoformat(), "subject": d.subject})
    elif isinstance(d, rq.RequestAssigned):
        row = FactRow("request", str(d.request_id), v, d.organisation_id, d.municipality_oktmo,
                      attrs={"status": "assigned", "assigned_at": d.assigned_at.isoformat()})
    else:
        row = FactRow("request", str(d.request_id), v, d.organisation_id, d.municipality_oktmo,
                      valid_to=d.closed_at.date(), attrs={"status": "closed", "outcome": d.outcome.value,
                                                          "rating": d.rating, "closed_at": d.closed_at.isoformat()})
    return [row]


def _practice(d: pr.PracticeFacts, v: int, day: date) -> list[FactRow]:
    rows = [FactRow("practice", str(d.practice_id), v, d.organisation_id, d.municipality_oktmo,
                    valid_from=day if isinstance(d, pr.PracticeIdentified) else None,
                    attrs={"status": d.status.value, "level": d.level.value, "subject": d.subject})]
    if isinstance(d, pr.PracticeDisseminated):
        rows.append(FactRow("dissemination", f"{d.practice_id}:{d.event_id}", v, d.organisation_id,
                            d.municipality_oktmo, valid_from=day, attrs={"event_id": str(d.event_id)}))
    return rows


def _stage_attrs(d: ol.OlympiadStageFacts) -> dict[str, Any]:
    return {"period": _academic(d.year), "subject": d.subject, "stage": d.stage.value, "stage_id": str(d.stage_id)}


def _olympiad_stage(d: ol.OlympiadStageOpened, v: int) -> list[FactRow]:
    return [FactRow("olympiad_stage", str(d.stage_id), v, municipality_oktmo=d.municipality_oktmo,
                    attrs=_stage_attrs(d))]


def _tallies(d: ol.OlympiadProtocolPublished) -> list[tuple[str, UUID | None, str | None, int, int, int]]:
    """(record prefix, organisation, municipality, participants, winners, prize-winners); an event of the
    first contract version carries the stage's totals only."""
    if not d.organisations:
        return [(str(d.stage_id), None, d.municipality_oktmo, d.participants, d.winners, d.prize_winners)]
    return [(f"{d.stage_id}:{t.organisation_id}", t.organisation_id, t.municipality_oktmo, t.participants,
             t.winners, t.prize_winners) for t in d.organisations]


def _olympiad_protocol(d: ol.OlympiadProtocolPublished, v: int) -> list[FactRow]:
    """Participations by result (counts as values, a zero kept so a republished protocol can lower one),
    versioned by the protocol's version."""
    out = []
    for prefix, organisation, oktmo, participants, winners, prize in _tallies(d):
        by_result = {ol.OlympiadStatus.WINNER: winners, ol.OlympiadStatus.PRIZE_WINNER: prize,
                     ol.OlympiadStatus.PARTICIPANT: max(participants - winners - prize, 0)}
        out += [FactRow("olympiad_participation", f"{prefix}:{result.value}", d.protocol_version, organisation,
                        oktmo, value=count, attrs={**_stage_attrs(d), "result": result.value})
                for result, count in by_result.items()]
    return out


def _olympiad_pupil(d: ol.OlympiadAppealResolved | ol.OlympiadAdmitted, v: int) -> list[FactRow]:
    """A participant by the region's code (never a person): an appeal's outcome, an admission to the stage."""
    if isinstance(d, ol.OlympiadAdmitted):
        return [FactRow("olympiad_admission", f"{d.stage_id}:{d.participant_code}", v,
                        municipality_oktmo=d.municipality_oktmo, value=d.score,
                        attrs={**_stage_attrs(d), "grade": d.grade, "reason": d.reason.value})]
    return [FactRow("olympiad_appeal", f"{d.stage_id}:{d.participant_code}", v,
                    municipality_oktmo=d.municipality_oktmo, value=d.score,
                    attrs={**_stage_attrs(d), "grade": d.grade, "result": d.status.value})]


def _competition(d: cp.EntryFacts, v: int, day: date) -> list[FactRow]:
    """One row per staff member of an entry (a student entry: one row, its members counted as the value);
    dated by the event's time, which the entry's events do not otherwise carry."""
    attrs: dict[str, Any] = {"kind": d.kind.value, "level": d.level.value, "competition_id": str(d.competition_id),
                             "stage_id": str(d.stage_id), "entry_id": str(d.entry_id)}
    if isinstance(d, cp.CompetitionResultPublished):
        attrs |= {"result": d.status.value, "place": d.place}
    people: list[UUID | None] = list(d.person_ids) or [None]
    return [FactRow("competition_participation", f"{d.entry_id}:{p}" if p else str(d.entry_id), v,
                    d.organisation_id, d.municipality_oktmo, p, day, value=1 if p else d.member_count, attrs=attrs)
            for p in people]


Mapper = Callable[[Any, int], list[FactRow]]

MAPPERS: dict[type, Mapper] = {
    o.OrganisationRegistered: _organisation, o.OrganisationUpdated: _organisation,
    o.OrganisationClosed: _organisation, o.OrganisationReorganised: _organisation,
    o.OrganisationFlagSet: _flag, o.OrganisationFlagCleared: _flag,
    o.OrganisationSiteStatusGranted: _site, o.OrganisationSiteStatusEnded: _site,
    st.EmploymentStarted: _employment, st.EmploymentChanged: _employment, st.EmploymentEnded: _employment,
    c.CourseCompleted: _course, c.CategoryAwarded: _category,
    mt.MentoringStarted: _mentoring, mt.MentoringEnded: _mentoring,
    g.DeficitsDiagnosed: _diagnosis, g.RouteOpened: _route, g.RouteClosed: _route,
    b.BodyCreated: _body, b.BodyClosed: _body, b.MemberJoined: _member, b.MemberLeft: _member,
    me.EventScheduled: _event, me.EventChanged: _event, me.EventCancelled: _event,
    me.RegistrationConfirmed: _registration, me.RegistrationWaitlisted: _registration,
    me.RegistrationCancelled: _registration, me.CompletedWithHours: _participation,
    pl.PlanApproved: _plan, pl.PlanItemStatusChanged: _plan_item,
    rq.RequestDeclared: _request, rq.RequestAssigned: _request, rq.RequestConsulted: _request,
    rq.RequestClosed: _request,
    ol.OlympiadStageOpened: _olympiad_stage, ol.OlympiadProtocolPublished: _olympiad_protocol,
    ol.OlympiadAppealResolved: _olympiad_pupil, ol.OlympiadAdmitted: _olympiad_pupil,
}
_DATED: dict[type, Callable[[Any, int, date], list[FactRow]]] = {  # dated by the event's time
    pr.PracticeIdentified: _practice, pr.PracticeStatusChanged: _practice, pr.PracticeDisseminated: _practice,
    cp.CompetitionEntryAccepted: _competition, cp.CompetitionResultPublished: _competition,
    cp.CompetitionEntryAdvanced: _competition,
}


def handled(model: type) -> bool:
    return model in MAPPERS or model in _DATED


def rows_of(event: CloudEvent) -> list[FactRow]:
    model = event_type(event.type).model
    data = event.data if type(event.data) is model else model.model_validate(event.data)  # parse_event typed it
    version = getattr(data, "version", None) or _micros(event)
    if model in _DATED:
        return _DATED[model](data, version, event.time.date())
    mapper = MAPPERS.get(model)
    return mapper(data, version) if mapper else []
