"""Imports of organisations through the registry's REST: jobs in both modes, re-upload, the report, who sees
a job, export → import round trip."""
import io

import openpyxl
import pytest

from metodset_kit.tabular.writing import BAD_FILL, kind_workbook
from metodset_registry.imports.organisations import ORGANISATIONS
from tests.factories import legal_inn, ogrn
from tests.registry_app import KALUGA, OBNINSK
from tests.waiting import import_finished

pytestmark = pytest.mark.integration
SCHOOL = "Общеобразовательная организация"


def school(n: int, oktmo: str = KALUGA, **more) -> dict:
    return {"name": f"МБОУ СОШ № {n}", "short_name": f"СОШ {n}", "kind": "school", "municipality_oktmo": oktmo,
            "inn": legal_inn(5000 + n), "ogrn": ogrn(5000 + n), "phone": "+7 (4842) 56-12-34", **more}


def xlsx(records) -> bytes:
    return kind_workbook(ORGANISATIONS, records)


async def run(api, headers, data: bytes, mode: str = "VALID_ROWS", name: str = "orgs.xlsx",
              kind: str = "organisations") -> dict:
    started = await api.post("/imports", params={"kind": kind, "mode": mode}, headers=headers,
                             files={"file": (name, data)})
    assert started.status_code == 202, started.text
    return await import_finished(api, headers, started.json()["id"])


async def outbox_count(api) -> int:
    return await api.pool.fetchval("select count(*) from outbox")


async def test_valid_rows_mode_writes_good_rows_reports_bad_ones_and_a_second_upload_changes_nothing(api, as_role):
    coordinator = as_role()
    bad_inn = school(3, inn="7700000001")
    data = xlsx([school(1), school(2), bad_inn, school(4, kind="учитль")])
    before = await outbox_count(api)
    job = await run(api, coordinator, data)
    assert job["status"] == "DONE", job
    assert (job["total"], job["done"], job["created"], job["updated"], job["unchanged"]) == (4, 4, 2, 0, 0)
    assert {(e["row"], e["column"]) for e in job["errors"]} == {(4, "ИНН"), (5, "Вид организации")}
    assert await outbox_count(api) == before + 2

    again = await run(api, coordinator, data)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert await outbox_count(api) == before + 2  # no events


async def test_a_changed_row_updates_the_organisation_with_one_event(api, as_role):
    coordinator = as_role()
    await run(api, coordinator, xlsx([school(10), school(11)]))
    before = await outbox_count(api)
    job = await run(api, coordinator, xlsx([school(10, address="г. Калуга, ул. Новая, 1"), school(11)]))
    assert (job["created"], job["updated"], job["unchanged"]) == (0, 1, 1)
    assert await outbox_count(api) == before + 1
    assert await api.pool.fetchval("select address from organisations where inn = $1", legal_inn(5010)) == \
        "г. Калуга, ул. Новая, 1"


async def test_all_or_nothing_writes_nothing_when_a_row_is_bad(api, as_role):
    coordinator = as_role()
    before = await api.pool.fetchval("select count(*) from organisations")
    job = await run(api, coordinator, xlsx([school(20), school(21, municipality_oktmo="29999999")]),
                    mode="ALL_OR_NOTHING")
    assert job["status"] == "DONE" and job["created"] == 0
    assert job["errors"] == [{"row": 3, "column": "ОКТМО муниципалитета",
                              "message": "Муниципалитет с ОКТМО 29999999 не найден"}]
    assert await api.pool.fetchval("select count(*) from organisations") == before


async def test_a_methodist_imports_only_into_their_municipality(api, as_role):
    methodist = as_role("municipal_methodist", municipality=OBNINSK)
    job = await run(api, methodist, xlsx([school(30, OBNINSK), school(31, KALUGA)]))
    assert job["created"] == 1
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "ОКТМО муниципалитета")]


async def test_a_repeated_inn_in_the_file_is_a_bad_row(api, as_role):
    job = await run(api, as_role(), xlsx([school(40), school(40)]))
    assert job["created"] == 1
    assert job["errors"] == [{"row": 3, "column": "ИНН",
                              "message": f"ИНН {legal_inn(5040)} уже встречается в строке 2"}]


async def test_the_report_colours_and_comments_each_bad_cell(api, as_role):
    coordinator = as_role()
    job = await run(api, coordinator, xlsx([school(50), school(51, kind="шкала")]))
    report = await api.get(f"/imports/{job['id']}/report.xlsx", headers=coordinator)
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0]
    kind_column = [c.value for c in sheet[1]].index("Вид организации") + 1
    bad = sheet.cell(row=3, column=kind_column)
    assert bad.value == "шкала"
    assert bad.fill.fgColor.rgb == BAD_FILL.fgColor.rgb
    assert "Нет такого вида организации «шкала»" in bad.comment.text
    assert sheet.cell(row=2, column=kind_column).comment is None


async def test_another_caller_cannot_see_the_job_but_the_coordinator_can(api, as_role):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    job = await run(api, methodist, xlsx([school(60)]))
    other = as_role("municipal_methodist", municipality=OBNINSK, subject="another-methodist")
    seen = await api.get(f"/imports/{job['id']}", headers=other)
    missing = await api.get("/imports/00000000-0000-0000-0000-000000000000", headers=other)
    assert seen.status_code == missing.status_code == 404
    assert seen.json()["detail"][0]["type"] == missing.json()["detail"][0]["type"] == "not_found"
    assert seen.json()["detail"][0]["loc"] == missing.json()["detail"][0]["loc"] == ["path", "id"]
    assert (await api.get(f"/imports/{job['id']}/report.xlsx", headers=other)).status_code == 404
    assert (await api.get(f"/imports/{job['id']}", headers=as_role())).status_code == 200
    moved = as_role("municipal_methodist", municipality=OBNINSK, subject="same-person")
    job = await run(api, as_role("municipal_methodist", municipality=KALUGA, subject="same-person"), xlsx([school(61)]))
    assert (await api.get(f"/imports/{job['id']}", headers=moved)).status_code == 404  # their scope changed


async def test_export_imports_back_unchanged(api, as_role):
    coordinator = as_role()
    await run(api, coordinator, xlsx([school(70, website="https://s70.ru", email="s70@kaluga.ru",
                                             address="г. Калуга"), school(71, short_name=None)]))
    exported = await api.get("/organisations/export.xlsx", params={"municipality": KALUGA}, headers=coordinator)
    assert exported.status_code == 200, exported.text
    count = await api.pool.fetchval("select count(*) from organisations where municipality_oktmo = $1 "
                                    "and closed_on is null", KALUGA)
    before = await outbox_count(api)
    job = await run(api, coordinator, exported.content, name="export.xlsx")
    assert job["errors"] == [] and job["warnings"] == []
    assert (job["total"], job["created"], job["updated"], job["unchanged"]) == (count, 0, 0, count)
    assert await outbox_count(api) == before


async def test_export_takes_the_list_s_as_of(api, as_role):
    import datetime as dt

    today = dt.date.today()
    ok = await api.get("/organisations/export.xlsx", params={"asOf": today.isoformat()}, headers=as_role())
    assert ok.status_code == 200 and ok.content.startswith(b"PK")
    later = await api.get("/organisations/export.xlsx", params={"asOf": (today + dt.timedelta(days=2)).isoformat()},
                          headers=as_role())
    assert later.status_code == 422 and later.json()["detail"][0]["loc"] == ["query", "asOf"]


async def test_csv_in_cp1251_with_semicolons_and_a_missing_required_column_is_refused(api, as_role):
    coordinator = as_role()
    good = f"Наименование;ИНН;Вид организации;ОКТМО муниципалитета;Лишний\nМБОУ СОШ № 80;{legal_inn(5080)};{SCHOOL};" \
           f"{KALUGA};x\n"
    job = await run(api, coordinator, good.encode("cp1251"), name="orgs.csv")
    assert job["created"] == 1 and job["errors"] == []
    assert job["warnings"] == ["Столбец «Лишний» не относится к шаблону «Организации» и пропущен"]
    refused = await api.post("/imports", params={"kind": "organisations", "mode": "VALID_ROWS"}, headers=coordinator,
                             files={"file": ("bad.csv", "Наименование;Вид организации\nx;y\n".encode())})
    assert refused.status_code == 422
    assert "«ИНН»" in refused.json()["detail"][0]["msg"] and "«ОКТМО муниципалитета»" in \
        refused.json()["detail"][0]["msg"]


async def test_a_corrupt_xlsx_and_an_analyst_are_refused_at_upload(api, as_role):
    corrupt = await api.post("/imports", params={"kind": "organisations", "mode": "VALID_ROWS"}, headers=as_role(),
                             files={"file": ("x.xlsx", b"PK\x03\x04garbage")})
    assert corrupt.status_code == 422 and "повреждён" in corrupt.json()["detail"][0]["msg"]
    analyst = await api.post("/imports", params={"kind": "organisations", "mode": "VALID_ROWS"},
                             headers=as_role("analyst"), files={"file": ("x.xlsx", xlsx([school(90)]))})
    assert analyst.status_code == 403


async def test_the_template_has_captions_an_instruction_and_drop_downs(api, as_role):
    response = await api.get("/templates/organisations.xlsx", headers=as_role())
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["Наименование", "Краткое наименование", "Вид организации",
                                               "ОКТМО муниципалитета", "ИНН"]
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    assert "Инструкция" in book.sheetnames
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)
