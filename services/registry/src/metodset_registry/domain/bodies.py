"""Methodical bodies (councils, associations, communities, temporary groups), their members and the
compositions approved by orders: the rules, as plain Python without I/O.

Dates are inclusive at both ends, like the marks' periods: a body works from `created_on` to `closed_on`
(its last day), a member takes part from `from` to `to` (the last day; None — until further notice)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from uuid import UUID

from metodset_contracts.bodies import (
    LEVEL_TITLES,
    ROLE_TITLES,
    ApprovedMember,
    BodyClosed,
    BodyCreated,
    BodyLevel,
    CompositionApproved,
    MemberJoined,
    MemberLeft,
    MemberRole,
)
from metodset_contracts.reference import catalogue
from metodset_kit.scope import Principal

from .periods import EARLIEST, Period, PeriodError, PeriodOverlap, describe, ended

TEMPORARY = "temporary"
COUNCIL = "council"
ANY_LEVEL = "any"
_YEAR = re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})")


class BodyError(PeriodError):
    """A body, membership or composition that cannot be; `field` names the request's value at fault."""


class BodyConflict(PeriodOverlap):
    """Clashes with what is recorded: a second chair, a person twice in one body, a closed body."""


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    group: str  # council, association, community, temporary
    level: str  # regional, municipal, organisation or any
    subject: bool  # a subject is required

    @property
    def fixed_level(self) -> BodyLevel | None:
        return None if self.level == ANY_LEVEL else BodyLevel(self.level)


def kind_from(code: str, title: str, extra: Mapping) -> Kind:
    """A kind from a catalogue item; a region's own item without group or level is a community of any level."""
    return Kind(code, title, extra.get("group", "community"), extra.get("level", ANY_LEVEL), bool(extra.get("subject")))


@dataclass(frozen=True)
class Catalogues:
    """The catalogues a body is checked against: the reference ones, or the region's copy with its own items."""

    kinds: Mapping[str, Kind]
    subjects: Mapping[str, str]  # code → title


@cache
def reference() -> Catalogues:
    return Catalogues({i.code: kind_from(i.code, i.title, i.extra) for i in catalogue("body_kinds").items},
                      catalogue("subjects").titles())


def kinds() -> Mapping[str, Kind]:
    return reference().kinds


def kind_of(code: str, catalogues: Catalogues | None = None) -> Kind:
    found = (catalogues or reference()).kinds.get(code)
    if found is None:
        raise BodyError("kind", f"Вид объединения «{code}» не найден в справочнике видов методических объединений")
    return found


@dataclass(frozen=True)
class Body:
    id: UUID
    name: str
    kind: str
    level: BodyLevel
    created_on: date
    municipality_oktmo: str | None = None  # a municipal body's municipality
    organisation_id: UUID | None = None  # an organisation's body
    subject: str | None = None
    goal: str | None = None
    term_start: date | None = None
    term_end: date | None = None
    closed_on: date | None = None  # the last day it worked

    @property
    def period(self) -> Period:
        return Period(self.created_on, self.closed_on)

    @property
    def active(self) -> bool:
        return self.closed_on is None

    def active_on(self, day: date) -> bool:
        return self.period.covers(day)

    @property
    def level_title(self) -> str:
        return LEVEL_TITLES[self.level]


def level_for(kind: Kind, level: BodyLevel | None) -> BodyLevel:
    """The body's level: fixed by its kind, or given for kinds of any level."""
    if kind.fixed_level is not None:
        if level is not None and level is not kind.fixed_level:
            raise BodyError("level", f"«{kind.title}» — объединение уровня «{LEVEL_TITLES[kind.fixed_level]}», "
                                     f"не «{LEVEL_TITLES[level]}»")
        return kind.fixed_level
    if level is None:
        raise BodyError("level", f"Для вида «{kind.title}» укажите уровень: региональный, муниципальный или "
                                 "уровень организации")
    return level


def check_owner(level: BodyLevel, municipality_oktmo: str | None, organisation_id: UUID | None) -> None:
    if level is BodyLevel.REGIONAL and (municipality_oktmo or organisation_id):
        field = "municipalityOktmo" if municipality_oktmo else "organisationId"
        raise BodyError(field, "Региональное объединение не принадлежит муниципалитету или организации")
    if level is BodyLevel.MUNICIPAL:
        if not municipality_oktmo:
            raise BodyError("municipalityOktmo", "Муниципальное объединение принадлежит муниципалитету: укажите ОКТМО")
        if organisation_id:
            raise BodyError("organisationId", "Муниципальное объединение не принадлежит организации")
    if level is BodyLevel.ORGANISATION:
        if not organisation_id:
            raise BodyError("organisationId", "Объединение организации (ШМО, кафедра, совет ОО) принадлежит "
                                              "организации: укажите её")
        if municipality_oktmo:
            raise BodyError("municipalityOktmo", "Муниципалитет объединения организации — муниципалитет самой "
                                                 "организации; не указывайте его")


def check_subject(kind: Kind, subject: str | None, subjects: Mapping[str, str]) -> None:
    if subject is None:
        if kind.subject:
            raise BodyError("subject", f"Для вида «{kind.title}» укажите предмет")
        return
    if kind.group == COUNCIL:
        raise BodyError("subject", f"У совета («{kind.title}») нет предмета")
    if subject not in subjects:
        raise BodyError("subject", f"Предмет «{subject}» не найден в справочнике предметов")


def check_term(kind: Kind, goal: str | None, start: date | None, end: date | None) -> None:
    if kind.group == TEMPORARY:
        if not goal:
            raise BodyError("goal", f"У временной группы («{kind.title}») должна быть цель")
        if start is None:
            raise BodyError("termStart", "Укажите начало срока работы временной группы")
        if end is None:
            raise BodyError("termEnd", "Укажите окончание срока работы временной группы")
    if (start is None) != (end is None) and kind.group != TEMPORARY:
        raise BodyError("termEnd" if end is None else "termStart", "Срок указывается полностью: начало и окончание")
    if start is not None and end is not None and end < start:
        raise BodyError("termEnd", f"Окончание срока {end.isoformat()} раньше начала {start.isoformat()}")


def create(body: Body, today: date, catalogues: Catalogues | None = None) -> BodyCreated:
    """Check a new body against its kind; the event telling it was created."""
    catalogues = catalogues or reference()
    kind = kind_of(body.kind, catalogues)
    level_for(kind, body.level)
    check_owner(body.level, body.municipality_oktmo, body.organisation_id)
    check_subject(kind, body.subject, catalogues.subjects)
    check_term(kind, body.goal, body.term_start, body.term_end)
    if body.created_on < EARLIEST or body.created_on > today:
        raise BodyError("createdOn", f"Дата создания {body.created_on.isoformat()} должна быть не раньше "
                                     f"{EARLIEST.isoformat()} и не позже сегодняшней")
    return BodyCreated(**_facts(body), name=body.name, subject=body.subject, created_on=body.created_on,
                       term_start=body.term_start, term_end=body.term_end)


def _facts(body: Body) -> dict:
    return dict(body_id=body.id, kind=body.kind, level=body.level, municipality_oktmo=body.municipality_oktmo,
                organisation_id=body.organisation_id)


@dataclass(frozen=True)
class Membership:
    id: UUID
    body_id: UUID
    person_id: UUID
    role: MemberRole
    period: Period  # as in force now: cut when the member left

    @property
    def role_title(self) -> str:
        return ROLE_TITLES[self.role]


def _open(body: Body) -> None:
    if body.closed_on is not None:
        raise BodyConflict("id", f"Объединение закрыто {body.closed_on.isoformat()}; изменения не принимаются")


def join(body: Body, member: Membership, existing: Iterable[Membership]) -> MemberJoined:
    """Add a member: within the body's working days, one chair at a time, a person once at a time."""
    _open(body)
    p = member.period
    if p.start < body.created_on:
        raise BodyError("from", f"Дата включения {p.start.isoformat()} раньше создания объединения "
                                f"{body.created_on.isoformat()}")
    if p.end is not None and p.end < p.start:
        raise BodyError("to", f"Дата выхода {p.end.isoformat()} раньше даты включения {p.start.isoformat()}")
    others = [m for m in existing if m.id != member.id]
    same = next((m for m in others if m.person_id == member.person_id and m.period.overlaps(p)), None)
    if same is not None:
        raise BodyConflict("personId", f"Педагог уже состоит в объединении ({same.role_title}, "
                                       f"{describe(same.period)}); периоды участия не могут пересекаться")
    if member.role is MemberRole.CHAIR:
        chair = next((m for m in others if m.role is MemberRole.CHAIR and m.period.overlaps(p)), None)
        if chair is not None:
            raise BodyConflict("role", f"У объединения уже есть председатель на период {describe(chair.period)}; "
                                       "председатель может быть только один")
    return MemberJoined(**_membership_facts(member))


def _membership_facts(member: Membership) -> dict:
    return dict(body_id=member.body_id, membership_id=member.id, person_id=member.person_id, role=member.role,
                valid_from=member.period.start, valid_to=member.period.end)


def leave(member: Membership, last_day: date) -> tuple[Membership, MemberLeft]:
    """A member leaves: the last day they took part (history is kept, the period is cut)."""
    new = replace(member, period=ended(member.period, last_day))
    return new, MemberLeft(**_membership_facts(new))


def close(body: Body, last_day: date, today: date,
          members: Sequence[Membership]) -> tuple[Body, BodyClosed, list[tuple[Membership, MemberLeft]]]:
    """Close a body on its last working day; members still taking part after it leave on that day."""
    _open(body)
    if last_day < body.created_on:
        raise BodyError("closedOn", f"Дата закрытия {last_day.isoformat()} раньше создания "
                                    f"{body.created_on.isoformat()}")
    if last_day > today:
        raise BodyError("closedOn", f"Дата закрытия {last_day.isoformat()} позже сегодняшней")
    if any(m.period.start > last_day for m in members):
        raise BodyConflict("closedOn", "Есть участники, включённые в состав после даты закрытия")
    left = [leave(m, last_day) for m in members if m.period.end is None or m.period.end > last_day]
    new = replace(body, closed_on=last_day)
    return new, BodyClosed(**_facts(new), closed_on=last_day), left


def active_on(members: Iterable[Membership], day: date) -> list[Membership]:
    return [m for m in members if m.period.covers(day)]


@dataclass(frozen=True)
class Composition:
    id: UUID
    body_id: UUID
    order_number: str
    order_date: date
    academic_year: str
    members: tuple[ApprovedMember, ...]


def academic_year(text: str) -> str:
    """An academic year as ГГГГ/ГГГГ: «2026/2027», and the way orders often write it, «2026/27» or «2026-2027»."""
    m = _YEAR.fullmatch(text.strip())
    if m:
        first, second = int(m[1]), int(m[2])
        if len(m[2]) == 2:
            second += first // 100 * 100 + (100 if first % 100 == 99 else 0)
        if second == first + 1:
            return f"{first}/{second}"
    raise BodyError("academicYear", f"Учебный год «{text}» указывается как ГГГГ/ГГГГ, например 2026/2027")


def approve(body: Body, composition: Composition, today: date) -> CompositionApproved:
    _open(body)
    academic_year(composition.academic_year)
    if not body.created_on <= composition.order_date <= today:
        raise BodyError("orderDate", f"Дата приказа {composition.order_date.isoformat()} должна быть не раньше "
                                     f"создания объединения и не позже сегодняшней")
    people = [m.person_id for m in composition.members]
    if len(set(people)) != len(people):
        raise BodyError("members", "Педагог указан в составе дважды")
    if sum(m.role is MemberRole.CHAIR for m in composition.members) > 1:
        raise BodyError("members", "В составе может быть только один председатель")
    return CompositionApproved(body_id=body.id, composition_id=composition.id, order_number=composition.order_number,
                               order_date=composition.order_date, academic_year=composition.academic_year,
                               members=list(composition.members))


def approved_on(compositions: Iterable[Composition], day: date) -> Composition | None:
    """The composition in force on a day: the latest approved on or before it (the later-recorded one of a
    day wins; `compositions` come in the order they were recorded)."""
    found = None
    for c in compositions:
        if c.order_date <= day and (found is None or c.order_date >= found.order_date):
            found = c
    return found


def composition_of(members: Iterable[Membership], day: date) -> tuple[ApprovedMember, ...]:
    """The members taking part on a day, as a composition to approve."""
    order = list(MemberRole)
    current = sorted(active_on(members, day), key=lambda m: (order.index(m.role), str(m.person_id)))
    return tuple(ApprovedMember(person_id=m.person_id, role=m.role) for m in current)


def may_manage(principal: Principal, body: Body, organisation_municipality: str | None = None) -> bool:
    """Regional bodies: the regional coordinator; municipal ones: the municipality's methodist too; an
    organisation's: its administrator and the methodist of its municipality too. Managers also read members
    (persons' names); everybody else sees the body and its counts only."""
    if body.level is BodyLevel.REGIONAL:
        return principal.may_manage_region()
    if body.level is BodyLevel.MUNICIPAL:
        return principal.may_manage_municipality(body.municipality_oktmo or "")
    return principal.may_edit_organisation(str(body.organisation_id), organisation_municipality or "")
