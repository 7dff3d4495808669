"""The xlsx reports over indicator values, with Russian captions: «Показатели эффективности методической
работы» (a sheet per indicator: municipalities with the previous periods next to the current one, the change,
the target and the region's row) and the rating of municipalities or organisations with rank changes."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from metodset_kit.tabular.writing import emphasise, set_widths

from .domain.catalogue import DIRECTION_TITLES, IndicatorDefinition
from .domain.periods import Period
from .domain.reports import REPORT_TITLE, IndicatorTable, RatingRow, TableRow, period_title

RATING_TITLE = "Рейтинг"
RATING_CAPTIONS = ("Место", "Муниципалитет", "ОКТМО", "Организация", "id организации", "Значение",
                   "Место за прошлый год", "Изменение места")
_REGION = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_SHARE = "доля"


def _heading(sheet, period: Period, today: date) -> None:
    sheet.append([f"{REPORT_TITLE}, {period_title(period)}"])
    emphasise(sheet)
    sheet.append([f"По состоянию на {today:%d.%m.%Y}"])


def _about(d: IndicatorDefinition) -> str:
    target = "" if d.target is None else f"; цель: {d.target:g}"
    return f"{d.title} (единица: {d.unit or '—'}{target}; {DIRECTION_TITLES[d.direction]})"


def _number_format(d: IndicatorDefinition) -> str:
    return "0.0%" if d.unit == _SHARE else "0.00"


def _met(row: TableRow) -> str | None:
    return None if row.target_met is None else ("да" if row.target_met else "нет")


def table_captions(t: IndicatorTable) -> list[str]:
    return ["Муниципалитет", "ОКТМО", *(p.code for p in t.periods), "Изменение за год", "Цель", "Цель достигнута"]


def _table_sheet(sheet, t: IndicatorTable, today: date) -> None:
    d = t.definition
    set_widths(sheet, (40, 12, *([14] * len(t.periods)), 18, 10, 16))
    _heading(sheet, t.periods[-1], today)
    sheet.append([_about(d)])
    sheet.append([])
    sheet.append(table_captions(t))
    emphasise(sheet)
    sheet.freeze_panes = f"C{sheet.max_row + 1}"
    for row in [*t.rows, *([t.region] if t.region else [])]:
        sheet.append([row.label, row.code, *row.values, row.change, d.target, _met(row)])
        for cell in sheet[sheet.max_row][2:len(t.periods) + 4]:
            cell.number_format = _number_format(d)
    if t.region:
        emphasise(sheet, fill=_REGION)
    if not t.rows and not t.region:
        sheet.append(["Значений за эти периоды нет"])


def indicators_workbook(tables: list[IndicatorTable], period: Period, today: date) -> bytes:
    """A sheet per indicator, named by its code (sheet names hold at most 31 characters)."""
    book = Workbook()
    if tables:
        book.remove(book.active)
    else:  # a workbook needs a sheet: say why it is empty
        book.active.title = "Показатели"
        _heading(book.active, period, today)
        book.active.append(["Показателей с периодом этого вида в каталоге нет"])
    for t in tables:
        _table_sheet(book.create_sheet(t.definition.code[:31]), t, today)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rating_workbook(title: str, unit: str, period: Period, rows: list[RatingRow], by_organisation: bool,
                    today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = RATING_TITLE
    set_widths(sheet, (8, 40, 12, 50, 38, 14, 20, 16))
    _heading(sheet, period, today)
    sheet.append([f"{RATING_TITLE}: {title}" + (f" (единица: {unit})" if unit else "")])
    sheet.append([])
    sheet.append(list(RATING_CAPTIONS))
    emphasise(sheet)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for r in rows:
        municipality = r.municipality_name or r.municipality_oktmo
        sheet.append([r.rank, municipality, r.municipality_oktmo, r.label if by_organisation else None,
                      r.subject if by_organisation else None, r.value, r.previous_rank, r.movement])
        sheet.cell(row=sheet.max_row, column=6).number_format = "0.0%" if unit == _SHARE else "0.00"
    if not rows:
        sheet.append(["Значений за этот период нет"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
