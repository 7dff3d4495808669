"""The xlsx «Анализ выполнения годового плана»: the plan's items by direction, each direction with its totals,
and a summary table of plan-versus-fact per direction and overall (Russian captions)."""
from __future__ import annotations

import io
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from metodset_kit.tabular.writing import emphasise, set_widths

from .plans_repository import Plan
from .plans_schemas import PlanPublic, TallyPublic

TITLE = "Анализ выполнения годового плана"
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь")
ITEM_CAPTIONS = ("№", "Содержание работы", "Сроки", "Ответственный (id)", "Ожидаемый результат", "Выполнение",
                 "Примечание")
SUMMARY_CAPTIONS = ("Направление", "Всего пунктов", "Учитывается (без отменённых)", "Выполнено", "Перенесено",
                    "Не выполнено в срок", "Отменено", "Срок не наступил", "Доля выполнения, %")
WIDTHS = (28, 60, 22, 38, 40, 22, 30, 18, 20)
_SECTION = PatternFill("solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_TOTAL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")


def file_name(plan: Plan) -> str:
    return quote(f"Анализ выполнения годового плана {plan.year}-{plan.year + 1}.xlsx")


def _month_title(text: str) -> str:
    year, month = text.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _summary_row(t: TallyPublic) -> list:
    return [t.direction_title, t.total, t.counted, t.done, t.moved, t.overdue, t.cancelled, t.pending,
            percent(t.share)]


def analysis_workbook(plan: PlanPublic) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Анализ выполнения плана"  # a sheet name holds 31 characters at most
    set_widths(sheet, WIDTHS)
    sheet.append([f"{TITLE} работы на {plan.academic_year} учебный год"])
    emphasise(sheet)
    sheet.append([plan.organisation_name or str(plan.organisation_id)])
    sheet.append([f"По состоянию на {plan.fulfilment.as_of:%d.%m.%Y}"
                  + (f"; план утверждён {plan.approved_on:%d.%m.%Y}" if plan.approved_on else "")])
    sheet.append([])
    _items(sheet, plan)
    sheet.append([])
    sheet.append(["Итоги выполнения плана по направлениям"])
    emphasise(sheet)
    sheet.append(list(SUMMARY_CAPTIONS))
    emphasise(sheet)
    for t in plan.fulfilment.directions:
        sheet.append(_summary_row(t))
    sheet.append(["Итого", *_summary_row(plan.fulfilment.overall)[1:]])
    emphasise(sheet, fill=_TOTAL)
    sheet.append([])
    sheet.append(["Доля выполнения — выполненные пункты от всех пунктов, кроме отменённых. Пункт «не выполнен в "
                  "срок», если прошёл последний месяц его срока (месяц переноса для перенесённого)."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _items(sheet, plan: PlanPublic) -> None:
    sheet.append(list(ITEM_CAPTIONS))
    emphasise(sheet)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for t in plan.fulfilment.directions:
        items = [i for i in plan.items if i.direction == t.direction]
        sheet.append([f"Направление: {t.direction_title}"])
        emphasise(sheet, fill=_SECTION)
        for n, i in enumerate(items, start=1):
            when = ", ".join(_month_title(m) for m in i.months)
            status = i.status_title + (f" на {_month_title(i.moved_to)}" if i.moved_to else "")
            sheet.append([n, i.title, when, str(i.responsible_id) if i.responsible_id else None, i.expected_result,
                          status, i.note])
            emphasise(sheet, bold=False)
        sheet.append([f"Итого по направлению «{t.direction_title}»",
                      f"пунктов: {t.total}; выполнено: {t.done}; перенесено: {t.moved}; не выполнено в срок: "
                      f"{t.overdue}; отменено: {t.cancelled}",
                      None, None, None,
                      "—" if t.share is None else f"{percent(t.share)} %"])
        emphasise(sheet, fill=_TOTAL)
