"""The demo's staff file: the region's template rows written with the kit's writer read back as the same rows."""
from collections import Counter

from metodset_kit.tabular.reading import parse
from metodset_registry.imports.staff import STAFF
from metodset_tools.demo.staff import workbook
from metodset_tools.region import generate, staff_rows


def test_the_demo_s_staff_file_reads_back_with_main_and_secondary_jobs_apart():
    rows = staff_rows(generate(5, 1, 12, 0.5), ended=True) + staff_rows(generate(5, 1, 12, 0.5))
    parsed = parse(STAFF, workbook(rows))
    assert len(parsed.rows) == len(rows)
    assert Counter(r.values["main"] for r in parsed.rows) == Counter(row[-1] == "да" for row in rows)
    assert Counter(row[-1] for row in rows)["нет"] > 0  # a secondary job is there to be told apart
    assert [r.values["lastName"] for r in parsed.rows] == [row[0] for row in rows]
