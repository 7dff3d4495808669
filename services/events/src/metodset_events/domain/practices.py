"""Rules of the bank of practices, without I/O: a practice moves forward one status at a time — identified,
studied, summarised, disseminated — and becomes disseminated only with an event where it was presented.
Who manages a practice: the coordinator any, a municipal methodist those of their municipality's
organisations. Anybody authenticated reads the bank."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from uuid import UUID

from metodset_contracts.practices import (
    STATUS_TITLES,
    PracticeDisseminated,
    PracticeIdentified,
    PracticeLevel,
    PracticeStatus,
    PracticeStatusChanged,
)
from metodset_kit.scope import Principal

ORDER = (PracticeStatus.IDENTIFIED, PracticeStatus.STUDIED, PracticeStatus.SUMMARISED, PracticeStatus.DISSEMINATED)


class PracticeRuleError(ValueError):
    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Practice:
    id: UUID
    title: str
    organisation_id: UUID
    municipality_oktmo: str
    level: PracticeLevel
    status: PracticeStatus = PracticeStatus.IDENTIFIED
    description: str = ""
    author_ids: tuple[UUID, ...] = ()
    subject: str | None = None
    version: int = 1
    event_ids: tuple[UUID, ...] = field(default=())  # where it was disseminated, in the order linked


def may_manage(principal: Principal, practice_municipality: str) -> bool:
    return principal.may_manage_municipality(practice_municipality)


def _facts(p: Practice) -> dict:
    return {"practice_id": p.id, "organisation_id": p.organisation_id, "municipality_oktmo": p.municipality_oktmo,
            "subject": p.subject, "level": p.level, "status": p.status}


def identify(practice: Practice) -> PracticeIdentified:
    if not practice.title.strip():
        raise PracticeRuleError("title", "Укажите название практики")
    if len(set(practice.author_ids)) != len(practice.author_ids):
        raise PracticeRuleError("authorIds", "Автор указан дважды")
    return PracticeIdentified(**_facts(practice), author_ids=list(practice.author_ids))


def next_status(status: PracticeStatus) -> PracticeStatus | None:
    i = ORDER.index(status)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def change_status(practice: Practice, to: PracticeStatus) -> tuple[Practice, PracticeStatusChanged]:
    """One step forward; disseminated only once an event where it was presented is linked."""
    expected = next_status(practice.status)
    if to != expected:
        now = STATUS_TITLES[practice.status]
        hint = f"следующее — «{STATUS_TITLES[expected]}»" if expected else "это последнее состояние"
        raise PracticeRuleError("status", f"Практика «{now}»: перейти в «{STATUS_TITLES[to]}» нельзя, {hint}",
                                "transition")
    if to is PracticeStatus.DISSEMINATED and not practice.event_ids:
        raise PracticeRuleError("status", "Распространённой практика становится с мероприятием, где её представили: "
                                          "укажите мероприятие (распространение)", "no_event")
    return _moved(practice, to)


def _moved(practice: Practice, to: PracticeStatus) -> tuple[Practice, PracticeStatusChanged]:
    new = dataclasses.replace(practice, status=to, version=practice.version + 1)
    return new, PracticeStatusChanged(**_facts(new), previous_status=practice.status)


def disseminate(practice: Practice, event_id: UUID) -> tuple[Practice, list]:
    """Link an event where the practice was presented: a summarised practice becomes disseminated; one already
    disseminated gains another event; earlier statuses are refused (a practice is summarised first)."""
    if event_id in practice.event_ids:
        raise PracticeRuleError("eventId", "Это мероприятие уже указано для практики", "duplicate")
    if practice.status not in (PracticeStatus.SUMMARISED, PracticeStatus.DISSEMINATED):
        raise PracticeRuleError("eventId", f"Практика «{STATUS_TITLES[practice.status]}»: распространяют обобщённую "
                                           "практику", "transition")
    linked = dataclasses.replace(practice, event_ids=(*practice.event_ids, event_id))
    facts: list = []
    if linked.status is PracticeStatus.SUMMARISED:
        linked, changed = _moved(linked, PracticeStatus.DISSEMINATED)
        facts.append(changed)
    else:
        linked = dataclasses.replace(linked, version=linked.version + 1)
    facts.append(PracticeDisseminated(**_facts(linked), event_id=event_id))
    return linked, facts
