"""One cell's raw value (from calamine or csv) to the column's typed value, or a Russian reason why not."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation

from .columns import Catalogue, Column, ColumnType, folded

_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YES, NO = "да", "нет"


class CellError(ValueError):
    """Why a cell's value does not fit its column (the message is for people)."""


def is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text_of(raw) -> str:
    """A cell as text: a whole number typed as a number (an ИНН in a number cell) keeps its digits."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d.%m.%Y") if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.strftime("%d.%m.%Y")
    if isinstance(raw, bool):
        return YES if raw else NO
    return str(raw).strip()


def parse_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = text_of(raw)
    found = _DATE.match(text) or _ISO_DATE.match(text)
    if found:
        parts = [int(p) for p in found.groups()]
        day, month, year = parts if found.re is _DATE else reversed(parts)
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise CellError(f"«{text}» — не дата; нужна дата в формате ДД.ММ.ГГГГ")


def parse_decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(f"«{text_of(raw)}» — не число")
    if isinstance(raw, int | float):
        return Decimal(str(raw)).normalize() if isinstance(raw, float) else Decimal(raw)
    text = text_of(raw).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"«{text_of(raw)}» — не число; дробную часть отделяйте запятой или точкой") from None
    if not value.is_finite():
        raise CellError(f"«{text_of(raw)}» — не число")
    return value


def parse_integer(raw) -> int:
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise CellError(f"«{text_of(raw)}» — нужно целое число")
    return int(value)


def parse_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = folded(text_of(raw))
    if text in (YES, "1", "true", "д"):
        return True
    if text in (NO, "0", "false", "н"):
        return False
    raise CellError(f"«{text_of(raw)}» — нужно «да» или «нет»")


def suggestion(catalogue: Catalogue, text: str) -> str | None:
    titles = {folded(t): t for t in catalogue.titles}
    near = difflib.get_close_matches(folded(text), list(titles), n=1, cutoff=0.6)
    return titles[near[0]] if near else None


def parse_choice(column: Column, text: str) -> str:
    code = column.catalogue.code(text)
    if code is not None:
        return code
    message = f"{column.unknown} «{text}»"
    near = suggestion(column.catalogue, text)
    raise CellError(f"{message}; возможно, «{near}»" if near else f"{message}; допустимые значения — на листе "
                                                                    "«Инструкция»")


def parse_choices(column: Column, text: str) -> list[str]:
    """Values separated by «;» or «,» (a title holding a comma is still taken whole)."""
    codes = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code = column.catalogue.code(part)
        if code is not None:
            codes.append(code)
        else:
            codes += [parse_choice(column, p) for p in filter(None, (q.strip() for q in part.split(",")))]
    return list(dict.fromkeys(codes))


def parse_cell(column: Column, raw):
    """The typed value of a non-empty cell, or CellError."""
    kind = column.type
    if kind in (ColumnType.CHOICE, ColumnType.CHOICES) and not column.validated:
        value = text_of(raw)
    elif kind is ColumnType.DATE:
        value = parse_date(raw)
    elif kind is ColumnType.DECIMAL:
        value = parse_decimal(raw)
    elif kind is ColumnType.INTEGER:
        value = parse_integer(raw)
    elif kind is ColumnType.BOOL:
        value = parse_bool(raw)
    elif kind is ColumnType.CHOICE:
        value = parse_choice(column, text_of(raw))
    elif kind is ColumnType.CHOICES:
        value = parse_choices(column, text_of(raw))
    else:
        value = text_of(raw)
    if column.check is not None:
        reason = column.check(value)
        if reason:
            raise CellError(reason)
    return value


def format_cell(column: Column, value):
    """A value as the export writes it, so that reading it back gives the same value."""
    if value is None:
        return None
    kind = column.type
    if kind is ColumnType.BOOL:  # «нет» as text is a no, not a non-empty (true) string
        return YES if (parse_bool(value) if isinstance(value, str) else value) else NO
    if kind is ColumnType.CHOICE:
        return column.catalogue.title(str(value))
    if kind is ColumnType.CHOICES:
        values = value if isinstance(value, list | tuple) else [value]
        return "; ".join(column.catalogue.title(str(v)) for v in values)
    if kind is ColumnType.DECIMAL:
        return float(value)
    if kind in (ColumnType.DATE, ColumnType.INTEGER):
        return value
    return str(value)
