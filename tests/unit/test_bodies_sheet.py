"""The bodies sheet's rows as the import use case takes them: СНИЛС as digits, a new body's first working day."""
import datetime as dt

from metodset_kit.tabular import Row
from metodset_registry.imports.bodies import prepared

RMO = {"name": "РМО  учителей математики", "kind": "municipal_association", "municipality_oktmo": "29701000",
       "organisation_inn": None, "subject": "математика", "created_on": None, "term_end": None}


def test_a_body_without_a_start_starts_on_its_earliest_member_in_the_file():
    rows = [Row(2, {**RMO, "from": dt.date(2023, 9, 1)}), Row(3, {**RMO, "name": "рмо учителей математики",
                                                                   "from": dt.date(2022, 1, 10)}),
            Row(4, {**RMO, "name": "РМО учителей физики", "from": None})]
    out = prepared(rows)
    assert [r["created_on"] for r in out] == [dt.date(2022, 1, 10), dt.date(2022, 1, 10), None]
    assert [r["row"] for r in out] == [2, 3, 4]


def test_a_given_start_is_kept_and_opens_a_temporary_group_s_term():
    group = {**RMO, "kind": "рабочая группа", "created_on": dt.date(2024, 1, 1), "term_end": dt.date(2024, 12, 31)}
    [out] = prepared([Row(2, {**group, "from": dt.date(2024, 2, 1)})])
    assert (out["created_on"], out["term_start"], out["term_end"]) == (dt.date(2024, 1, 1), dt.date(2024, 1, 1),
                                                                        dt.date(2024, 12, 31))


def test_a_snils_written_with_dashes_becomes_its_digits():
    [out] = prepared([Row(2, {**RMO, "snils": "112-233-445 95"})])
    assert out["snils"] == "11223344595" and "term_start" not in out
