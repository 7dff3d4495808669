"""Which registered person a row of a file means, without I/O: by СНИЛС, else by normalised full name plus
birth date. The same name and birth date with another СНИЛС is a likely duplicate, reported, never merged;
several persons with the same name and birth date need the СНИЛС. Shared by every import that names persons."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .staff import full_name


@dataclass(frozen=True)
class Match:
    person: dict | None  # the registered (or already planned) person the row means
    how: str  # "snils", "name" or "none"
    problem: str | None = None  # why no person may be taken (the row is bad: the СНИЛС column)


def describe(p: dict) -> str:
    return f"{full_name(p['last_name'], p['first_name'], p['middle_name'])}, {p['birth_date']:%d.%m.%Y}"


def match_person(snils: str | None, key: str, birth: date | None, by_snils: dict[str, dict],
                 by_name: dict[tuple, list[dict]]) -> Match:
    candidates = by_name.get((key, birth), [])
    if snils:
        person = by_snils.get(snils)
        if person is not None:
            return Match(person, "snils")
        others = [c for c in candidates if c["snils"] and c["snils"] != snils]
        if others:
            return Match(None, "none", f"Возможный дубликат: в реестре уже есть работник {describe(others[0])} с "
                                       "другим СНИЛС. Проверьте СНИЛС; одинаковых людей система не объединяет сама")
    if len(candidates) > 1:
        return Match(None, "none", "В реестре несколько работников с такими ФИО и датой рождения: укажите СНИЛС")
    if candidates:
        return Match(candidates[0], "name")
    return Match(None, "none")
