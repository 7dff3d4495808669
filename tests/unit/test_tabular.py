"""The kit's import reading without a database: header matching, each cell type, each bad-row kind, csv
encodings and delimiters, the template and the export layout reading back the same values."""
import datetime as dt
from decimal import Decimal

import pytest

from metodset_kit.tabular import Catalogue, Column, ColumnType, Kind
from metodset_kit.tabular.cells import CellError, format_cell, parse_cell
from metodset_kit.tabular.jobs import duplicates
from metodset_kit.tabular.reading import FileRefused, file_type, match_headers, parse, preflight
from metodset_kit.tabular.writing import kind_workbook

POSITIONS = Catalogue.of([("teacher", "учитель"), ("director", "директор"), ("senior", "старший воспитатель")])
SUBJECTS = Catalogue.of([("math", "Математика"), ("physics", "Физика"), ("ru", "Русский язык")])


def _even(value: str) -> str | None:
    return None if int(value[-1]) % 2 == 0 else "Контрольное число не сходится"


KIND = Kind("people", "Работники", (
    Column("last", "Фамилия", required=True),
    Column("born", "Дата рождения", ColumnType.DATE, required=True),
    Column("code", "Код", check=_even, unique=True),
    Column("position", "Должность", ColumnType.CHOICE, catalogue=POSITIONS, unknown="Нет такой должности"),
    Column("subjects", "Предметы", ColumnType.CHOICES, catalogue=SUBJECTS),
    Column("rate", "Ставка", ColumnType.DECIMAL),
    Column("hours", "Часы", ColumnType.INTEGER),
    Column("main", "Основное место работы", ColumnType.BOOL),
), handler=None)


def col(key: str) -> Column:
    return KIND.column(key)


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_headers_match_in_any_order_ignoring_case_spaces_and_yo():
    found, warnings = match_headers(KIND, ["  дата   РОЖДЕНИЯ", "фамилия", "Основное место работы", "Стаж"])
    assert [c.key for c in found.values()] == ["born", "last", "main"]
    assert warnings == ["Столбец «Стаж» не относится к шаблону «Работники» и пропущен"]
    yo = Kind("k", "К", (Column("x", "Дата приёма", required=True),), handler=None)
    assert match_headers(yo, ["дата приема"])[0]


def test_a_missing_required_column_refuses_the_file_naming_it():
    with pytest.raises(FileRefused, match="нет обязательного столбца «Дата рождения»"):
        parse(KIND, csv("Фамилия;Код\nИванов;2\n"))


@pytest.mark.parametrize(("raw", "expected"), [
    ("01.09.2020", dt.date(2020, 9, 1)), ("1.9.2020", dt.date(2020, 9, 1)),
    (dt.datetime(2020, 9, 1), dt.date(2020, 9, 1)),
    (dt.date(2020, 9, 1), dt.date(2020, 9, 1)), ("2020-09-01", dt.date(2020, 9, 1))])
def test_dates_as_date_cells_or_text(raw, expected):
    assert parse_cell(col("born"), raw) == expected


@pytest.mark.parametrize("raw", ["31.02.2020", "вчера", "2020.09.01", 44075.0])
def test_a_bad_date_is_explained(raw):
    with pytest.raises(CellError, match="ДД.ММ.ГГГГ"):
        parse_cell(col("born"), raw)


@pytest.mark.parametrize(("raw", "expected"), [("0,5", Decimal("0.5")), ("1.25", Decimal("1.25")),
                                               (0.75, Decimal("0.75")), (1, Decimal(1)), (" 1 ", Decimal(1))])
def test_decimals_with_comma_or_dot(raw, expected):
    assert parse_cell(col("rate"), raw) == expected


@pytest.mark.parametrize("raw", ["пол", "0,5,5", "NaN", True])
def test_a_bad_decimal_is_explained(raw):
    with pytest.raises(CellError, match="не число"):
        parse_cell(col("rate"), raw)


def test_integers_and_bools():
    assert parse_cell(col("hours"), "18") == 18 and parse_cell(col("hours"), 18.0) == 18
    with pytest.raises(CellError, match="целое"):
        parse_cell(col("hours"), "1,5")
    assert parse_cell(col("main"), "Да") is True and parse_cell(col("main"), "нет") is False
    assert parse_cell(col("main"), True) is True
    with pytest.raises(CellError, match="«да» или «нет»"):
        parse_cell(col("main"), "может быть")


def test_bools_are_written_as_read_whether_given_as_values_or_as_text():
    assert [format_cell(col("main"), v) for v in (True, False, "да", "нет", "Нет")] == ["да", "нет", "да", "нет", "нет"]


def test_catalogue_values_by_title_or_code_and_a_near_miss_suggests():
    assert parse_cell(col("position"), "Учитель") == "teacher"
    assert parse_cell(col("position"), "director") == "director"
    assert parse_cell(col("position"), "  СТАРШИЙ   воспитатель ") == "senior"
    with pytest.raises(CellError) as miss:
        parse_cell(col("position"), "учитль")
    assert str(miss.value) == "Нет такой должности «учитль»; возможно, «учитель»"
    with pytest.raises(CellError, match="допустимые значения — на листе «Инструкция»"):
        parse_cell(col("position"), "космонавт")


def test_a_list_of_choices_separated_by_semicolons_or_commas():
    assert parse_cell(col("subjects"), "математика; Физика,русский язык") == ["math", "physics", "ru"]
    with pytest.raises(CellError, match="возможно, «Физика»"):
        parse_cell(col("subjects"), "Математика; Физикаа")


def test_a_text_column_keeps_the_digits_of_a_number_cell_and_runs_the_domain_check():
    assert parse_cell(col("code"), 1234.0) == "1234"
    with pytest.raises(CellError, match="Контрольное число"):
        parse_cell(col("code"), "1235")


def test_every_bad_row_is_reported_with_the_sheet_row_and_the_column_caption_and_empty_rows_are_skipped():
    parsed = parse(KIND, csv("Фамилия;Дата рождения;Код;Должность;Ставка\n"
                             "Иванов;01.02.1980;2;учитель;1\n"
                             ";;;;\n"
                             ";02.03.1981;4;;\n"
                             "Петров;32.01.1980;3;учитль;пол\n"))
    assert parsed.total == 3 and [r.number for r in parsed.rows] == [2]
    assert [(e.row, e.column) for e in parsed.errors] == [
        (4, "Фамилия"), (5, "Дата рождения"), (5, "Код"), (5, "Должность"), (5, "Ставка")]
    assert parsed.errors[0].message == "Обязательное поле не заполнено"


def test_a_repeated_unique_value_is_a_bad_row():
    parsed = parse(KIND, csv("Фамилия,Дата рождения,Код\nА,01.01.1980,2\nБ,01.01.1981,2\n"))
    assert [(e.row, e.column, e.message) for e in duplicates(KIND, parsed)] == \
        [(3, "Код", "Код 2 уже встречается в строке 2")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_each_encoding_and_delimiter(encoding, delimiter):
    text = delimiter.join(["Фамилия", "Дата рождения", "Должность"]) + "\n" + \
        delimiter.join(["Ёлкина", "01.02.1980", "старший воспитатель"]) + "\n"
    parsed = parse(KIND, csv(text, encoding))
    assert parsed.errors == []
    assert parsed.rows[0].values == {"last": "Ёлкина", "born": dt.date(1980, 2, 1), "position": "senior"}


def test_file_type_by_content_and_corrupt_files_are_refused():
    assert file_type(kind_workbook(KIND)) == "xlsx"
    assert file_type(csv("a;b\n")) == "csv"
    with pytest.raises(FileRefused, match="повреждён"):
        preflight(KIND, b"PK\x03\x04\x00\x00 broken")
    with pytest.raises(FileRefused, match="xls"):
        preflight(KIND, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(FileRefused, match="пуст"):
        preflight(KIND, b"")


def test_the_export_layout_reads_back_the_same_values():
    record = {"last": "Ёлкина", "born": dt.date(1980, 2, 1), "code": "0042", "position": "senior",
              "subjects": ["math", "ru"], "rate": Decimal("0.5"), "hours": 18, "main": True}
    parsed = parse(KIND, kind_workbook(KIND, [record]))
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.rows[0].values == record and parsed.rows[0].number == 2


def test_a_long_catalogue_goes_to_a_hidden_sheet_referenced_by_a_range():
    import io

    import openpyxl
    long = Catalogue.of([(f"c{i}", f"Значение номер {i}") for i in range(60)])
    kind = Kind("k", "Длинный", (Column("v", "Значение", ColumnType.CHOICE, catalogue=long),), handler=None)
    book = openpyxl.load_workbook(io.BytesIO(kind_workbook(kind)))
    assert book["Списки"].sheet_state == "hidden"
    [rule] = book.worksheets[0].data_validations.dataValidation
    assert rule.formula1 == "'Списки'!$A$1:$A$60"


def test_the_report_colours_a_bad_cell_and_a_whole_bad_row_with_their_comments():
    import io

    import openpyxl

    from metodset_kit.tabular import RowError
    from metodset_kit.tabular.reading import sheet_rows
    from metodset_kit.tabular.writing import BAD_FILL, ROW_FILL, report_workbook
    data = csv("Фамилия;Дата рождения;Должность\nИванов;01.02.1980;учитль\nПетров;01.02.1980;учитель\n")
    errors = [RowError(2, "Должность", "Нет такой должности «учитль»; возможно, «учитель»"),
              RowError(3, None, "Возможный дубликат: Петров 01.02.1980 уже есть")]
    sheet = openpyxl.load_workbook(io.BytesIO(report_workbook(KIND, sheet_rows(data), errors))).worksheets[0]
    assert sheet["C2"].fill.fgColor.rgb == BAD_FILL.fgColor.rgb and "учитль" in sheet["C2"].comment.text
    assert sheet["A2"].comment is None
    assert {sheet.cell(3, c).fill.fgColor.rgb for c in (1, 2, 3)} == {ROW_FILL.fgColor.rgb}
    assert "дубликат" in sheet["A3"].comment.text
    assert sheet["A1"].value == "Фамилия" and sheet["A1"].font.bold


def test_a_column_not_validated_passes_the_text_to_the_handler_and_lists_the_values_in_the_template():
    loose = Column("position", "Должность", ColumnType.CHOICE, catalogue=POSITIONS, validated=False)
    assert parse_cell(loose, " методист региона ") == "методист региона"
