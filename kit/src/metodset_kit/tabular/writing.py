"""Writing xlsx with openpyxl: templates and exports share one layout (so an export imports back unchanged),
and the report of a job is the uploaded sheet with every bad cell coloured and commented."""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import format_cell
from .columns import TYPE_HELP, Column, ColumnType, Kind, RowError, folded
from .reading import INSTRUCTION_SHEET, LISTS_SHEET

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
BAD_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
ROW_FILL = PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
_BOLD = Font(bold=True)
_VALIDATED_ROWS = 50_000  # drop-down lists and formats reach this far down the sheet
_INLINE_LIST_LIMIT = 250  # Excel's inline list is at most 255 characters: longer lists go on the hidden sheet


def _sheet_title(kind: Kind) -> str:
    return kind.title[:31]


def kind_workbook(kind: Kind, records: Iterable[dict] = ()) -> bytes:
    """The kind's sheet (captions, drop-down lists, formats) with the records, an instruction and the lists."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(kind))
    _layout(sheet, kind)
    _validations(book, sheet, kind)
    sheet.append([_header(sheet, c) for c in kind.columns])
    for record in records:
        sheet.append([_value(sheet, c, record.get(c.key)) for c in kind.columns])
    _instruction(book.create_sheet(INSTRUCTION_SHEET), kind)
    return _saved(book)


def _layout(sheet, kind: Kind) -> None:
    sheet.freeze_panes = "A2"
    for i, column in enumerate(kind.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width


def _header(sheet, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, column.caption)
    cell.font = _BOLD
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _value(sheet, column: Column, value):
    value = format_cell(column, value)
    if column.type is ColumnType.DATE and value is not None:
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value  # a text value is written as a string cell: an ИНН keeps its leading zeros


def _validations(book: Workbook, sheet, kind: Kind) -> None:
    lists = None
    for i, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        area = f"{letter}2:{letter}{_VALIDATED_ROWS}"
        if column.type is ColumnType.CHOICE:
            titles = column.catalogue.titles
            inline = '"' + ",".join(titles) + '"'
            if len(inline) <= _INLINE_LIST_LIMIT and not any("," in t or '"' in t for t in titles):
                formula = inline
            else:
                if lists is None:
                    lists = book.create_sheet(LISTS_SHEET)
                    lists.sheet_state = "hidden"
                    lists_columns = []
                lists_columns.append(titles)
                n = len(lists_columns)
                formula = f"{quote_sheetname(LISTS_SHEET)}!${get_column_letter(n)}$1:${get_column_letter(n)}$" \
                          f"{len(titles)}"
            rule = DataValidation(type="list", formula1=formula, allow_blank=not column.required,
                                  showErrorMessage=column.validated, errorTitle=column.caption,
                                  error="Выберите значение из списка")
        elif column.type is ColumnType.DATE:
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                  showErrorMessage=True, errorTitle=column.caption,
                                  error="Нужна дата ДД.ММ.ГГГГ")
        elif column.type is ColumnType.BOOL:
            rule = DataValidation(type="list", formula1='"да,нет"', allow_blank=True, showErrorMessage=True,
                                  errorTitle=column.caption, error="«да» или «нет»")
        else:
            continue
        rule.add(area)
        sheet.data_validations.append(rule)
    if lists is not None:
        for row in _transposed(lists_columns):
            lists.append(row)


def _transposed(columns: list[list[str]]) -> Iterable[list]:
    height = max(len(c) for c in columns)
    for i in range(height):
        yield [c[i] if i < len(c) else None for c in columns]


def _instruction(sheet, kind: Kind) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 60
    sheet.column_dimensions["E"].width = 30
    sheet.append([WriteOnlyCell(sheet, f"Шаблон «{kind.title}»")])
    sheet.append(["Заполните лист с данными: одна строка — одна запись; порядок столбцов любой, лишние столбцы "
                  "пропускаются. Даты — ДД.ММ.ГГГГ, да/нет — словами, значения из списков — как в списке."])
    sheet.append([])
    sheet.append([_bold(sheet, t) for t in ("Столбец", "Обязательный", "Формат", "Описание и допустимые значения",
                                             "Пример")])
    for column in kind.columns:
        described = column.help
        if column.catalogue is not None:
            described = (described + "\n" if described else "") + "Допустимые значения: " + \
                "; ".join(column.catalogue.titles)
        sheet.append([column.caption, "да" if column.required else "нет", TYPE_HELP[column.type], described,
                      column.example])


def _bold(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.font = _BOLD
    return cell


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_workbook(kind: Kind, table: Sequence[list], errors: Sequence[RowError]) -> bytes:
    """The uploaded sheet re-written, each bad cell coloured with a comment, a bad row (no column) coloured
    whole with the comment on its first cell."""
    header_at = next((i for i, r in enumerate(table) if any(c not in (None, "") for c in r)), 0)
    header = table[header_at] if table else []
    position = {folded(str(c)): i for i, c in reversed(list(enumerate(header))) if c not in (None, "")}
    by_row: dict[int, dict[int | None, list[str]]] = {}
    for e in errors:
        where = position.get(folded(e.column)) if e.column else None
        by_row.setdefault(e.row, {}).setdefault(where, []).append(e.message)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(kind))
    sheet.freeze_panes = f"A{header_at + 2}"
    for number, cells in enumerate(table, start=1):
        marks = by_row.get(number)
        if not marks:
            is_header = number == header_at + 1
            sheet.append([_plain(sheet, c) for c in cells] if is_header else list(map(_cell_value, cells)))
            continue
        width = max([len(cells), *(i + 1 for i in marks if i is not None)])
        out = []
        for i in range(width):
            cell = WriteOnlyCell(sheet, _cell_value(cells[i]) if i < len(cells) else None)
            messages = marks.get(i, []) + (marks.get(None, []) if i == 0 else [])
            if i in marks:
                cell.fill = BAD_FILL
            elif None in marks:
                cell.fill = ROW_FILL
            if messages:
                cell.comment = Comment("\n".join(messages), "Метод-сеть")
            out.append(cell)
        sheet.append(out)
    return _saved(book)


def _plain(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, _cell_value(value))
    cell.font = _BOLD
    return cell


def _cell_value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time | int | float | str | bool) or value is None:
        return value
    return str(value)  # a timedelta or anything else calamine hands over


def emphasise(sheet, row: int | None = None, fill: PatternFill | None = None, bold: bool = True) -> None:
    """A report row (the last one by default) wrapped at the top, bold and filled as asked: captions, totals."""
    for cell in sheet[sheet.max_row if row is None else row]:
        if bold:
            cell.font = _BOLD
        if fill is not None:
            cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def set_widths(sheet, widths: Sequence[float]) -> None:
    """Column widths of a report sheet, from column A."""
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
