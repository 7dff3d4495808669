"""A row of a staff import (a person and one employment) checked and typed, without I/O.

Values come as JSON or as spreadsheet cells: dates as dates or «ДД.ММ.ГГГГ» text, catalogue values as codes
or Russian titles, subjects as a list or «математика; физика», main as да/нет. Every problem names the
row's field (camelCase, as the REST rows and the xlsx helper name them) with a Russian message."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from metodset_kit.hostile import bad_text

from .identifiers import legal_inn_problem, normalise_snils, snils_problem
from .staff import StaffRuleError, check_birth_date, name_key, parse_rate

# The staff template's columns in order: the caption people see and the key of a row (and of its errors)
COLUMNS = (("Фамилия", "lastName"), ("Имя", "firstName"), ("Отчество", "middleName"),
           ("Дата рождения", "birthDate"), ("СНИЛС", "snils"), ("ИНН организации", "organisationInn"),
           ("Должность", "position"), ("Предметы", "subjects"), ("Ставка", "rate"), ("Дата приёма", "startDate"),
           ("Основное место работы", "main"))
_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_YES = {"да", "yes", "true", "1", "основное", "основная"}
_NO = {"нет", "no", "false", "0", "совместительство", "по совместительству"}
_SPLIT = re.compile(r"[;,\n]")


@dataclass(frozen=True)
class Catalogue:
    """Codes of a catalogue with their titles: a value is a code or a title (any case, ё/е alike)."""

    titles: dict[str, str]  # code → title
    by_title: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, titles: dict[str, str]) -> Catalogue:
        """Titles match as written and without a trailing parenthesis («директор» for «директор (заведующий)»)."""
        short = {_plain(t.split("(")[0]): c for c, t in titles.items() if "(" in t}
        return cls(titles, {**short, **{_plain(t): c for c, t in titles.items()}})

    def code(self, value: str) -> str | None:
        value = value.strip()
        if value in self.titles:
            return value
        return self.by_title.get(_plain(value))

    def suggestion(self, value: str) -> str | None:
        near = difflib.get_close_matches(_plain(value), list(self.by_title), n=1, cutoff=0.75)
        return self.titles[self.by_title[near[0]]] if near else None


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


@dataclass
class PersonLine:
    """A checked row naming a person (the staff rows, the diagnostics rows): names, birth date, СНИЛС, or the
    problems that stop it."""

    index: int
    row: int
    last_name: str = ""
    first_name: str = ""
    middle_name: str | None = None
    birth_date: date | None = None
    snils: str | None = None
    errors: list[dict] = field(default_factory=list)

    @cached_property  # read several times per row by the matching; the names are final once checked
    def key(self) -> str:
        return name_key(self.last_name, self.first_name, self.middle_name)

    def fail(self, field_name: str, message: str) -> None:
        self.errors.append({"field": field_name, "message": message})


@dataclass
class StaffLine(PersonLine):
    """A checked staff row: the person's fields and the employment's."""

    inn: str = ""
    position: str = ""
    subjects: tuple[str, ...] = ()
    rate: Decimal = Decimal("1.00")
    main: bool = True
    start_date: date | None = None


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.fullmatch(value)
        try:
            if match:
                return date(int(match[3]), int(match[2]), int(match[1]))
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"«{value}» — не дата: нужна дата или текст ДД.ММ.ГГГГ")


def _text(line: PersonLine, raw: dict, name: str, caption: str, required: bool = True) -> str | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            line.fail(name, f"Не заполнено поле «{caption}»")
        return None
    value = " ".join(str(value).split())
    if len(value) > 100 or bad_text(value):
        line.fail(name, f"«{caption}»: не больше 100 печатных символов")
        return None
    return value


def _date(line: PersonLine, raw: dict, name: str, caption: str) -> date | None:
    value = raw.get(name)
    if value is None or value == "":
        line.fail(name, f"Не заполнено поле «{caption}»")
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        line.fail(name, f"«{caption}»: {exc}")
        return None


def _code(line: StaffLine, name: str, value: str, catalogue: Catalogue, what: str) -> str | None:
    code = catalogue.code(value)
    if code is None:
        near = catalogue.suggestion(value)
        hint = f"; возможно, «{near}»" if near else ""
        line.fail(name, f"{what} «{value}» нет в справочнике{hint}")
    return code


def _flag(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None or value == "":
        return True
    text = _plain(str(value))
    return True if text in _YES else False if text in _NO else None


def check_person(line: PersonLine, raw: dict, today: date) -> None:
    """The person's fields of a row (lastName, firstName, middleName, birthDate, snils) checked into the line."""
    line.last_name = _text(line, raw, "lastName", "Фамилия") or ""
    line.first_name = _text(line, raw, "firstName", "Имя") or ""
    line.middle_name = _text(line, raw, "middleName", "Отчество", required=False)
    line.birth_date = _date(line, raw, "birthDate", "Дата рождения")
    if line.birth_date:
        try:
            check_birth_date(line.birth_date, today)
        except StaffRuleError as exc:
            line.fail("birthDate", str(exc))
    snils = raw.get("snils")
    if snils not in (None, ""):
        problem = snils_problem(str(snils))
        if problem:
            line.fail("snils", problem)
        else:
            line.snils = normalise_snils(str(snils))


def check_row(index: int, raw: dict, positions: Catalogue, subjects: Catalogue, today: date) -> StaffLine:
    line = StaffLine(index=index, row=raw.get("row") or index + 1)
    check_person(line, raw, today)
    inn = str(raw.get("organisationInn") or "").strip()
    problem = legal_inn_problem(inn) if inn else "Не заполнено поле «ИНН организации»"
    if problem:
        line.fail("organisationInn", problem)
    line.inn = inn
    position = _text(line, raw, "position", "Должность")
    if position:
        line.position = _code(line, "position", position, positions, "Должности") or ""
    line.subjects = _subjects(line, raw.get("subjects"), subjects)
    try:
        line.rate = parse_rate(raw.get("rate") if raw.get("rate") not in (None, "") else "1")
    except StaffRuleError as exc:
        line.fail("rate", str(exc))
    main = _flag(raw.get("main"))
    if main is None:
        line.fail("main", f"«Основное место работы»: «{raw.get('main')}» — нужно «да» или «нет»")
    line.main = bool(main)
    line.start_date = _date(line, raw, "startDate", "Дата приёма")
    return line


def _subjects(line: StaffLine, value, catalogue: Catalogue) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list) else _SPLIT.split(str(value))
    codes = []
    for item in (str(i).strip() for i in items):
        if item:
            code = _code(line, "subjects", item, catalogue, "Предмета")
            if code and code not in codes:
                codes.append(code)
    return tuple(codes)
