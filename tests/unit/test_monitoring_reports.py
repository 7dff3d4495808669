"""Monitoring reports without a database: the indicator table with dynamics and the region row, the rating rows
with rank changes, the charts' data, the xlsx read back and the PNGs drawn."""
import io
from datetime import date

from openpyxl import load_workbook
from PIL import Image

from metodset_monitoring import charts
from metodset_monitoring.domain.catalogue import Direction, parse_definition
from metodset_monitoring.domain.periods import parse
from metodset_monitoring.domain.ratings import ranked, with_previous
from metodset_monitoring.domain.reports import bars, history, indicator_table, period_title, rating_rows, series
from metodset_monitoring.indicators_report import indicators_workbook, rating_workbook

KALUGA, OBNINSK, HIDDEN = "29701000", "29715000", "29705000"
SHARE = parse_definition({"code": "share_x", "title": "Доля педагогов", "unit": "доля", "target": 0.8,
                          "formula": {"numerator": {"kind": "a"}, "denominator": {"kind": "b"}}})
HOURS = parse_definition({"code": "hours_x", "title": "Часы ожидания", "unit": "часов", "target": 24,
                          "direction": "lower", "formula": {"numerator": {"kind": "a"}}})
PERIODS = history(parse("2025/2026"), 3)


def test_period_titles_and_history_oldest_first():
    assert [p.code for p in PERIODS] == ["2023/2024", "2024/2025", "2025/2026"]
    assert period_title(parse("2025/2026")) == "2025/2026 учебный год"
    assert period_title(parse("2026")) == "2026 год"
    assert period_title(parse("2026-Q2")) == "2 квартал 2026 года"


def _values():
    return {(KALUGA, "2024/2025"): 0.5, (KALUGA, "2025/2026"): 0.9, (OBNINSK, "2025/2026"): 0.4,
            (HIDDEN, "2025/2026"): 0.1, ("region", "2023/2024"): 0.3, ("region", "2024/2025"): 0.45,
            ("region", "2025/2026"): 0.6}


def test_the_table_has_dynamics_change_target_and_only_visible_municipalities():
    t = indicator_table(SHARE, PERIODS, _values(), {KALUGA, OBNINSK})
    assert [r.subject for r in t.rows] == [KALUGA, OBNINSK]
    kaluga, obninsk = t.rows
    assert kaluga.values == [None, 0.5, 0.9] and kaluga.change == 0.4 and kaluga.target_met is True
    assert obninsk.values == [None, None, 0.4] and obninsk.change is None and obninsk.target_met is False
    assert t.region.label == "Регион" and t.region.values == [0.3, 0.45, 0.6] and t.region.change == 0.15
    lower = indicator_table(HOURS, PERIODS, {(KALUGA, "2025/2026"): 12.0}, {KALUGA})
    assert lower.rows[0].target_met is True and lower.region is None


def test_rating_rows_keep_ranks_over_everyone_and_tell_movement():
    places = with_previous(ranked({KALUGA: 0.9, OBNINSK: 0.4, HIDDEN: 0.95}, Direction.HIGHER),
                           ranked({KALUGA: 0.2, OBNINSK: 0.6}, Direction.HIGHER))
    rows = rating_rows(places, {KALUGA: KALUGA, OBNINSK: OBNINSK, HIDDEN: HIDDEN}, {KALUGA, OBNINSK})
    assert [(r.rank, r.subject, r.previous_rank, r.movement) for r in rows] == [
        (2, KALUGA, 2, "="), (3, OBNINSK, 1, "↓ 2")]
    up = rating_rows(with_previous(ranked({KALUGA: 1.0}, Direction.HIGHER), ranked({KALUGA: 0.1, OBNINSK: 0.5},
                                                                                   Direction.HIGHER)), {}, {KALUGA})
    assert up[0].movement == "↑ 1"
    assert rating_rows(ranked({KALUGA: 1.0}, Direction.HIGHER), {}, {KALUGA})[0].movement == "новый"
    assert bars(rows) == [(KALUGA, 0.9), (OBNINSK, 0.4)]
    assert series(PERIODS, {"2025/2026": 0.5}) == (["2023/2024", "2024/2025", "2025/2026"], [None, None, 0.5])


def test_the_indicator_workbook_reads_back_with_russian_captions_and_numbers():
    tables = [indicator_table(SHARE, PERIODS, _values(), {KALUGA, OBNINSK}, {KALUGA: "городской округ «Город Калуга»"}),
              indicator_table(HOURS, PERIODS, {}, set())]
    book = load_workbook(io.BytesIO(indicators_workbook(tables, PERIODS[-1], date(2026, 3, 1))))
    assert book.sheetnames == ["share_x", "hours_x"]
    sheet = book["share_x"]
    assert sheet["A1"].value == "Показатели эффективности методической работы, 2025/2026 учебный год"
    assert sheet["A2"].value == "По состоянию на 01.03.2026"
    assert "Доля педагогов" in sheet["A3"].value and "цель: 0.8" in sheet["A3"].value
    assert [c.value for c in sheet[5]] == ["Муниципалитет", "ОКТМО", "2023/2024", "2024/2025", "2025/2026",
                                          "Изменение за год", "Цель", "Цель достигнута"]
    assert [c.value for c in sheet[6]] == ["городской округ «Город Калуга»", KALUGA, None, 0.5, 0.9, 0.4, 0.8, "да"]
    assert [c.value for c in sheet[7]][:2] == [OBNINSK, OBNINSK]  # no name announced yet: the code
    assert [c.value for c in sheet[8]] == ["Регион", None, 0.3, 0.45, 0.6, 0.15, 0.8, "нет"]
    assert sheet["E6"].number_format == "0.0%"
    assert book["hours_x"]["A6"].value == "Значений за эти периоды нет"
    empty = load_workbook(io.BytesIO(indicators_workbook([], parse("2026"), date(2026, 3, 1))))["Показатели"]
    assert [empty["A1"].value, empty["A3"].value] == [
        "Показатели эффективности методической работы, 2026 год", "Показателей с периодом этого вида в каталоге нет"]


def test_the_rating_workbook_reads_back():
    places = with_previous(ranked({KALUGA: 0.9, OBNINSK: 0.4}, Direction.HIGHER),
                           ranked({KALUGA: 0.2, OBNINSK: 0.6}, Direction.HIGHER))
    rows = rating_rows(places, {KALUGA: KALUGA, OBNINSK: OBNINSK}, {KALUGA, OBNINSK}, {OBNINSK: "Обнинск"})
    data = rating_workbook("Доля педагогов", "доля", parse("2025/2026"), rows, False, date(2026, 3, 1))
    sheet = load_workbook(io.BytesIO(data))["Рейтинг"]
    assert sheet["A3"].value == "Рейтинг: Доля педагогов (единица: доля)"
    assert [c.value for c in sheet[5]] == ["Место", "Муниципалитет", "ОКТМО", "Организация", "id организации",
                                          "Значение", "Место за прошлый год", "Изменение места"]
    assert [c.value for c in sheet[6]] == [1, KALUGA, KALUGA, None, None, 0.9, 2, "↑ 1"]
    assert [c.value for c in sheet[7]] == [2, "Обнинск", OBNINSK, None, None, 0.4, 1, "↓ 1"]
    school = "0f5c2b1e-6d1a-4e8f-9a51-2b7d3c4e5f60"
    by_school = rating_rows(ranked({school: 0.7}, Direction.HIGHER), {school: OBNINSK}, {school},
                            {school: "МБОУ СОШ № 1", OBNINSK: "Обнинск"})
    data = rating_workbook("Доля педагогов", "доля", parse("2025/2026"), by_school, True, date(2026, 3, 1))
    sheet = load_workbook(io.BytesIO(data))["Рейтинг"]
    assert [c.value for c in sheet[6]] == [1, "Обнинск", OBNINSK, "МБОУ СОШ № 1", school, 0.7, None, "новый"]
    assert bars(by_school) == [("МБОУ СОШ № 1", 0.7)]


def _image(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data))


def test_charts_are_pngs_growing_with_the_bars():
    few = _image(charts.rating_png("Доля педагогов", "доля", [(KALUGA, 0.9)], 0.8))
    many = _image(charts.rating_png("Доля педагогов", "доля", [(f"2970{i:04d}", i / 30) for i in range(30)]))
    assert few.size[0] == 900 and many.size[1] > few.size[1] >= 300
    line = _image(charts.dynamics_png("Доля педагогов", "доля", [p.code for p in PERIODS],
                                      [(f"Муниципалитет {KALUGA}", [None, 0.5, 0.9]), ("Регион", [0.3, 0.45, 0.6])],
                                      0.8))
    assert line.size == (900, 450)
    assert len(line.convert("RGB").getcolors(maxcolors=1 << 20)) > 10  # drawn, not blank
