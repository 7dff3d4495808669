"""Reading an uploaded xlsx or csv against a kind's columns: the file's type by its content, headers matched
by caption in any order, every cell parsed; what is wrong is collected, never raised row by row."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import python_calamine

from .cells import CellError, is_empty, parse_cell
from .columns import Column, Kind, Row, RowError, folded

XLSX, CSV = "xlsx", "csv"
INSTRUCTION_SHEET = "Инструкция"
LISTS_SHEET = "Списки"
_SERVICE_SHEETS = {folded(INSTRUCTION_SHEET), folded(LISTS_SHEET)}


class FileRefused(ValueError):
    """The file as a whole cannot be imported (its type, a corrupt file, a missing required column)."""


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)  # rows whose every cell parsed
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int = 0  # non-empty data rows


def file_type(data: bytes) -> str:
    """xlsx or csv, decided by the content (an xlsx is a zip holding xl/workbook.xml)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "xl/workbook.xml" in z.namelist():
                    return XLSX
        except zipfile.BadZipFile:
            raise FileRefused("Файл повреждён: архив xlsx не читается") from None
        raise FileRefused("Это не файл xlsx: архив без книги Excel")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("Старый формат Excel (xls) не принимается: сохраните файл как xlsx")
    head = data[:4096]
    if b"\x00" in head:
        raise FileRefused("Файл не похож ни на xlsx, ни на csv")
    return CSV


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1251 (Excel's «CSV» on Russian Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def csv_rows(data: bytes) -> list[list]:
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def xlsx_rows(data: bytes, nrows: int | None = None) -> list[list]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in book.sheets_metadata
                 if m.visible == python_calamine.SheetVisibleEnum.Visible and folded(m.name) not in _SERVICE_SHEETS]
        if not names:
            raise FileRefused("В книге нет листа с данными")
        return book.get_sheet_by_name(names[0]).to_python(skip_empty_area=False, nrows=nrows)
    except FileRefused:
        raise
    except Exception as exc:  # calamine's errors (zip, xml, password) and anything a broken file provokes
        raise FileRefused(f"Файл повреждён или не читается как xlsx ({type(exc).__name__})") from None


def sheet_rows(data: bytes, nrows: int | None = None) -> list[list]:
    if file_type(data) == XLSX:
        return xlsx_rows(data, nrows)
    rows = csv_rows(data)
    return rows[:nrows] if nrows else rows


def preflight(kind: Kind, data: bytes) -> list[str]:
    """What can be told at upload, cheaply: the file's type, that it opens, and its headers (FileRefused)."""
    if not data:
        raise FileRefused("Файл пуст")
    table = sheet_rows(data, nrows=50)
    header = next((r for r in table if any(not is_empty(c) for c in r)), None)
    if header is None:
        raise FileRefused("Файл пуст: нет строки заголовков")
    return match_headers(kind, header)[1]


def match_headers(kind: Kind, header: list) -> tuple[dict[int, Column], list[str]]:
    """Which file column holds which of the kind's columns, and warnings for the columns ignored.
    A required column missing refuses the file, naming it."""
    by_caption = {folded(c.caption): c for c in kind.columns}
    found: dict[int, Column] = {}
    warnings = []
    for i, cell in enumerate(header):
        if is_empty(cell):
            continue
        column = by_caption.get(folded(str(cell)))
        if column is None:
            warnings.append(f"Столбец «{str(cell).strip()}» не относится к шаблону «{kind.title}» и пропущен")
        elif column in found.values():
            warnings.append(f"Столбец «{column.caption}» повторяется; взят первый")
        else:
            found[i] = column
    missing = [c.caption for c in kind.columns if c.required and c not in found.values()]
    if missing:
        names = ", ".join(f"«{m}»" for m in missing)
        raise FileRefused(f"В файле нет обязательного столбца {names}" if len(missing) == 1
                          else f"В файле нет обязательных столбцов {names}")
    return found, warnings


def parse(kind: Kind, data: bytes) -> Parsed:
    """The file's rows typed by the kind's columns; FileRefused when the file as a whole cannot be taken."""
    table = sheet_rows(data)
    start = next((i for i, r in enumerate(table) if any(not is_empty(c) for c in r)), None)
    if start is None:
        raise FileRefused("Файл пуст: нет строки заголовков")
    columns, warnings = match_headers(kind, table[start])
    parsed = Parsed(warnings=warnings)
    for index in range(start + 1, len(table)):
        cells = table[index]
        if all(is_empty(c) for c in cells):
            continue
        parsed.total += 1
        row = _row(index + 1, cells, columns, parsed.errors)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def _row(number: int, cells: list, columns: dict[int, Column], errors: list[RowError]) -> Row | None:
    values = {c.key: None for c in columns.values()}
    bad = False
    for i, column in columns.items():
        raw = cells[i] if i < len(cells) else None
        if is_empty(raw):
            if column.required:
                errors.append(RowError(number, column.caption, "Обязательное поле не заполнено"))
                bad = True
            continue
        try:
            values[column.key] = parse_cell(column, raw)
        except CellError as exc:
            errors.append(RowError(number, column.caption, str(exc)))
            bad = True
    return None if bad else Row(number, values)
