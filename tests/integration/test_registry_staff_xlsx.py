"""The staff kind through the shared import: the template's captions in the issue's order, a file with a near
miss and a likely duplicate reported per cell, re-upload unchanged."""
import io

import openpyxl
import pytest

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.staff import STAFF
from tests.factories import legal_inn, snils
from tests.integration.test_registry_imports import run
from tests.registry_app import KALUGA

pytestmark = pytest.mark.integration
CAPTIONS = ["Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "ИНН организации", "Должность", "Предметы",
            "Ставка", "Дата приёма", "Основное место работы"]


def person(n: int, **more) -> dict:
    import datetime as dt
    return {"lastName": f"Ёлкина{n}", "firstName": "Анна", "middleName": "Петровна",
            "birthDate": dt.date(1985, 2, 1), "snils": snils(n), "organisationInn": legal_inn(9701),
            "position": "учитель", "subjects": "математика; физика", "startDate": dt.date(2020, 9, 1),
            "main": True, **more}


async def test_the_staff_template_has_the_issue_s_captions_in_order(api, as_role):
    response = await api.get("/templates/staff.xlsx", headers=as_role())
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == CAPTIONS


async def test_staff_rows_are_imported_bad_ones_explained_and_a_second_upload_changes_nothing(api, as_role):
    coordinator = as_role()
    school = await api.post("/organisations", headers=coordinator, json={
        "name": "МБОУ СОШ № 97", "kind": "school", "municipalityOktmo": KALUGA, "inn": legal_inn(9701)})
    assert school.status_code == 201, school.text
    data = kind_workbook(STAFF, [person(1), person(2, position="учитль")])
    job = await run(api, coordinator, data, kind="staff")
    assert (job["status"], job["created"]) == ("DONE", 1), job
    [error] = job["errors"]
    assert (error["row"], error["column"]) == (3, "Должность") and "возможно, «учитель»" in error["message"]

    again = await run(api, coordinator, kind_workbook(STAFF, [person(1)]), kind="staff")
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 1, [])

    twin = await run(api, coordinator, kind_workbook(STAFF, [person(1, snils=snils(3))]), kind="staff")
    assert [(e["row"], e["column"]) for e in twin["errors"]] == [(2, "СНИЛС")]
    assert "дубликат" in twin["errors"][0]["message"]
