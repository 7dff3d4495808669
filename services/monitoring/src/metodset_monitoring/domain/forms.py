"""Form definitions of data-collection campaigns and the validation of what a respondent enters. Pure.

A form is a list of typed fields: a number (range, integer or not), a choice from options (one or several),
a date (range), a text (max length), a file (a reference to a file stored by the monitoring service: its
sha256, type and size, checked against the field's allowed types and size limit). Every bad value is
reported with the field's code and a Russian message naming the field by its title."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from metodset_kit.hostile import bad_text

CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 10_000
MAX_FILE_BYTES = 50 * 1024 * 1024


class FieldType(StrEnum):
    NUMBER = "number"
    CHOICE = "choice"
    DATE = "date"
    TEXT = "text"
    FILE = "file"


FIELD_TYPE_TITLES = {FieldType.NUMBER: "число", FieldType.CHOICE: "выбор из списка", FieldType.DATE: "дата",
                     FieldType.TEXT: "текст", FieldType.FILE: "файл"}


class FormError(ValueError):
    """A form definition that cannot be used; `field` names the part at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Option:
    code: str
    title: str


@dataclass(frozen=True)
class FormField:
    code: str
    title: str
    type: FieldType
    required: bool = False
    minimum: Decimal | None = None  # number
    maximum: Decimal | None = None
    integer: bool = False
    options: tuple[Option, ...] = ()  # choice
    multiple: bool = False
    earliest: date | None = None  # date
    latest: date | None = None
    max_length: int = 1000  # text
    file_types: tuple[str, ...] = ()  # file: allowed type codes (pdf, docx, ...); empty: any allowed type
    max_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    fields: tuple[FormField, ...]

    def field(self, code: str) -> FormField | None:
        return next((f for f in self.fields if f.code == code), None)


def checked(form: Form) -> Form:
    """The form itself, or FormError naming what makes it unusable."""
    if not CODE.match(form.code):
        raise FormError("code", "Код формы: латинские строчные буквы, цифры и _, начинается с буквы")
    if not form.fields:
        raise FormError("fields", "В форме нет ни одного поля")
    seen: set[str] = set()
    for i, f in enumerate(form.fields):
        where = f"fields.{i}"
        if not CODE.match(f.code):
            raise FormError(f"{where}.code", f"Код поля «{f.title}»: латинские строчные буквы, цифры и _")
        if f.code in seen:
            raise FormError(f"{where}.code", f"Код поля {f.code} повторяется")
        seen.add(f.code)
        _check_field(f, where)
    return form


def _check_field(f: FormField, where: str) -> None:
    if f.type is FieldType.NUMBER and None not in (f.minimum, f.maximum) and f.minimum > f.maximum:
        raise FormError(f"{where}.minimum", f"Поле «{f.title}»: минимум больше максимума")
    if f.type is FieldType.CHOICE:
        codes = [o.code for o in f.options]
        if not codes:
            raise FormError(f"{where}.options", f"Поле «{f.title}»: нет вариантов выбора")
        if len(set(codes)) != len(codes) or not all(CODE.match(c) for c in codes):
            raise FormError(f"{where}.options", f"Поле «{f.title}»: коды вариантов должны быть разными (a-z, 0-9, _)")
    if f.type is FieldType.DATE and None not in (f.earliest, f.latest) and f.earliest > f.latest:
        raise FormError(f"{where}.earliest", f"Поле «{f.title}»: начало диапазона дат позже конца")
    if f.type is FieldType.TEXT and not 1 <= f.max_length <= MAX_TEXT:
        raise FormError(f"{where}.maxLength", f"Поле «{f.title}»: длина текста — от 1 до {MAX_TEXT}")
    if f.type is FieldType.FILE and not 1 <= f.max_bytes <= MAX_FILE_BYTES:
        raise FormError(f"{where}.maxBytes", f"Поле «{f.title}»: предельный размер файла — до {MAX_FILE_BYTES} байт")


# ---- values -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldProblem:
    field: str  # the field's code
    message: str


@dataclass(frozen=True)
class Checked:
    values: dict[str, Any] = field(default_factory=dict)  # the clean values (JSON-ready), empty ones left out
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Bad(ValueError):
    pass


def check_values(form: Form, raw: dict[str, Any], *, complete: bool) -> Checked:
    """Each value checked against its field; `complete` (a submission, not a draft) also requires the required
    fields. Unknown field codes are problems too, so a typo is never silently dropped."""
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for code in raw:
        if form.field(code) is None:
            problems.append(FieldProblem(code, f"В форме «{form.title}» нет поля {code}"))
    for f in form.fields:
        value = raw.get(f.code)
        if _empty(value):
            if complete and f.required:
                problems.append(FieldProblem(f.code, f"Поле «{f.title}» обязательно"))
            continue
        try:
            values[f.code] = _clean(f, value)
        except _Bad as exc:
            problems.append(FieldProblem(f.code, f"Поле «{f.title}»: {exc}"))
    return Checked(values, problems)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _clean(f: FormField, value: Any) -> Any:
    return {FieldType.NUMBER: _number, FieldType.CHOICE: _choice, FieldType.DATE: _date, FieldType.TEXT: _text,
            FieldType.FILE: _file}[f.type](f, value)


def _number(f: FormField, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad("ожидается число")
    try:
        n = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise _Bad(f"«{str(value)[:40]}» — не число") from None
    if not n.is_finite():
        raise _Bad("ожидается число")
    if f.integer and n != n.to_integral_value():
        raise _Bad("ожидается целое число")
    if f.minimum is not None and n < f.minimum:
        raise _Bad(f"значение {_num(n)} меньше допустимого минимума {_num(f.minimum)}")
    if f.maximum is not None and n > f.maximum:
        raise _Bad(f"значение {_num(n)} больше допустимого максимума {_num(f.maximum)}")
    return int(n) if f.integer else float(n)


def _choice(f: FormField, value: Any) -> str | list[str]:
    chosen = value if isinstance(value, list) else [value]
    if not f.multiple and len(chosen) > 1:
        raise _Bad("можно выбрать только один вариант")
    codes = {o.code for o in f.options}
    for c in chosen:
        if not isinstance(c, str) or c not in codes:
            raise _Bad(f"нет варианта «{str(c)[:40]}»; допустимы: {', '.join(sorted(codes))}")
    if len(set(chosen)) != len(chosen):
        raise _Bad("вариант выбран дважды")
    return sorted(chosen) if f.multiple else chosen[0]


def _date(f: FormField, value: Any) -> str:
    try:
        d = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        d = None
    if d is None:
        raise _Bad("ожидается дата ГГГГ-ММ-ДД")
    if f.earliest is not None and d < f.earliest:
        raise _Bad(f"дата раньше {f.earliest:%d.%m.%Y}")
    if f.latest is not None and d > f.latest:
        raise _Bad(f"дата позже {f.latest:%d.%m.%Y}")
    return d.isoformat()


def _text(f: FormField, value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("ожидается текст")
    reason = bad_text(value)
    if reason:
        raise _Bad(reason)
    if len(value.strip()) > f.max_length:
        raise _Bad(f"текст длиннее {f.max_length} символов")
    return value.strip()


def _file(f: FormField, value: Any) -> dict:
    """A reference the upload endpoint returned: {"sha256", "fileType", "sizeBytes", "fileName"}."""
    if not isinstance(value, dict) or not SHA256.match(str(value.get("sha256", ""))):
        raise _Bad("ожидается ссылка на загруженный файл (sha256, fileType, sizeBytes)")
    kind, size = value.get("fileType"), value.get("sizeBytes")
    if f.file_types and kind not in f.file_types:
        raise _Bad(f"тип файла {str(kind)[:10]} не допускается; допустимы: {', '.join(f.file_types)}")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise _Bad("неизвестен размер файла")
    if size > f.max_bytes:
        raise _Bad(f"файл больше {f.max_bytes} байт")
    name = value.get("fileName")
    return {"sha256": value["sha256"], "fileType": kind, "sizeBytes": size,
            "fileName": name if isinstance(name, str) and not bad_text(name) else None}


def _num(x: float) -> str:
    """5.0 as 5, 2.5 as 2,5: numbers as people write them."""
    return f"{x:g}".replace(".", ",")
