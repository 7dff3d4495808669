"""The xlsx «Полнота представления данных»: a campaign's completeness per municipality with the total (Russian
captions), and the list of respondents with the status of their forms."""
from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from metodset_contracts.campaigns import STATUS_TITLES
from metodset_kit.tabular.writing import emphasise, set_widths

from .domain.campaigns import Campaign, Completeness, Submission, overdue

TITLE = "Полнота представления данных"
CAPTIONS = ("Муниципалитет", "ОКТМО", "Назначено", "Представлено", "Принято регионом", "Возвращено на доработку",
            "Просрочено", "Доля представивших, %")
RESPONDENT_CAPTIONS = ("Муниципалитет", "ОКТМО", "Организация", "id организации", "Состояние формы", "Представлена",
                       "Просрочена")
WIDTHS = (40, 12, 14, 14, 18, 24, 14, 22)
RESPONDENT_WIDTHS = (40, 12, 50, 38, 24, 14, 12)
_TOTAL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")


def file_name(c: Campaign) -> str:
    return f"{TITLE} {c.code}.xlsx"


def _row(r: Completeness, names: Mapping[str, str]) -> list:
    share = r.submitted_share
    label = names.get(r.municipality_oktmo, r.municipality_oktmo) if r.municipality_oktmo else "Итого"
    return [label, r.municipality_oktmo, r.assigned, r.submitted, r.approved, r.returned, r.overdue,
            None if share is None else round(share * 100, 1)]


def completeness_workbook(c: Campaign, rows: list[Completeness], subs: list[Submission], today: date,
                          names: Mapping[str, str] | None = None) -> bytes:
    """`names`: municipalities by ОКТМО and organisations by id (shown by code where not known)."""
    names = names or {}
    book = Workbook()
    sheet = book.active
    sheet.title = "Полнота"
    set_widths(sheet, WIDTHS)
    sheet.append([f"{TITLE}: «{c.title}», период {c.period}"])
    emphasise(sheet)
    sheet.append([f"Срок представления {c.deadline:%d.%m.%Y}; по состоянию на {today:%d.%m.%Y}"])
    sheet.append([])
    sheet.append(list(CAPTIONS))
    emphasise(sheet)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for r in rows[:-1]:
        sheet.append(_row(r, names))
    sheet.append(_row(rows[-1], names))
    emphasise(sheet, fill=_TOTAL)
    sheet.append([])
    sheet.append(["Представлено — формы, переданные на согласование или принятые; просрочено — не представленные "
                  "к сроку (черновики и возвращённые)."])
    respondents = book.create_sheet("Респонденты")
    set_widths(respondents, RESPONDENT_WIDTHS)
    respondents.append(list(RESPONDENT_CAPTIONS))
    emphasise(respondents)
    for s in sorted(subs, key=lambda s: (s.municipality_oktmo, str(s.organisation_id or ""))):
        org = str(s.organisation_id) if s.organisation_id else None
        respondents.append([names.get(s.municipality_oktmo, s.municipality_oktmo), s.municipality_oktmo,
                            names.get(org, org) if org else "муниципалитет", org, STATUS_TITLES[s.status],
                            s.submitted_at.strftime("%d.%m.%Y") if s.submitted_at else None,
                            "да" if overdue(c, s, today) else "нет"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
