"""The diagnostics kind through the shared import: the template (person, instrument, date, one column per area
of the reference instrument), persons matched as the staff import matches them, bad rows reported per cell,
a second upload unchanged, a corrected score updated."""
import datetime as dt
import io
import json

import openpyxl
import pytest

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.diagnostics import DIAGNOSTICS
from tests.factories import legal_inn, snils
from tests.integration.test_registry_imports import run
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
AREAS = ["Предметные знания", "Методические компетенции", "Психолого-педагогические компетенции",
         "Цифровые компетенции", "Формирование функциональной грамотности", "Воспитательная работа"]
CODES = ["subject_knowledge", "methodical", "psychological_pedagogical", "digital", "functional_literacy",
         "upbringing"]
DAY = dt.date.today() - dt.timedelta(days=20)


def row(n: int, **more) -> dict:
    return {"snils": snils(n), "lastName": f"Ёлкина{n}", "firstName": "Анна", "middleName": "Петровна",
            "birthDate": dt.date(1985, 2, 1), "date": DAY, **dict.fromkeys(CODES, 80), **more}


@pytest.fixture(scope="module")
async def people(api, as_role):
    coordinator = as_role()
    orgs = {}
    for name, n, oktmo in (("K", 9401, KALUGA), ("O", 9402, OBNINSK)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        orgs[name] = r.json()["id"]
    ids = {}
    for n, org in ((1, "K"), (2, "K"), (3, "O")):
        p = await api.post("/persons", headers=coordinator, json={
            "lastName": f"Ёлкина{n}", "firstName": "Анна", "middleName": "Петровна", "birthDate": "1985-02-01",
            **({"snils": snils(n)} if n != 2 else {})})
        ids[n] = p.json()["id"]
        hired = await api.post("/employments", headers=coordinator, json={
            "personId": ids[n], "organisationId": orgs[org], "position": "teacher", "startDate": "2020-09-01"})
        assert hired.status_code == 201, hired.text
    return ids


async def test_the_template_names_the_person_the_instrument_the_date_and_each_area(api, as_role):
    response = await api.get("/templates/diagnostics.xlsx", headers=as_role())
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["СНИЛС", "Фамилия", "Имя", "Отчество", "Дата рождения", "Инструмент",
                                           "Дата диагностики", *AREAS]


async def test_results_are_imported_bad_rows_explained_and_a_second_upload_changes_nothing(api, as_role, people):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    rows = [row(1, digital=20), row(2, snils=None), row(3), row(4), row(1, instrument="Неизвестная анкета",
                                                                       date=DAY - dt.timedelta(days=1)),
            row(2, snils=None, digital=101, date=DAY - dt.timedelta(days=2))]
    job = await run(api, methodist, kind_workbook(DIAGNOSTICS, rows), kind="diagnostics")
    assert (job["status"], job["created"]) == ("DONE", 2), job
    errors = {(e["row"], e["column"]): e["message"] for e in job["errors"]}
    assert set(errors) == {(4, "Фамилия"), (5, "Фамилия"), (6, "Инструмент"), (7, None)}
    assert errors[(4, "Фамилия")] == errors[(5, "Фамилия")]  # out of scope reads like not in the registry
    assert "от 0 до" in errors[(7, None)]
    deficits = (await api.get(f"/persons/{people[1]}/deficits", headers=methodist)).json()["items"]
    assert [(d["area"], d["level"]) for d in deficits] == [("digital", "critical")]

    again = await run(api, methodist, kind_workbook(DIAGNOSTICS, rows[:2]), kind="diagnostics")
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 2, [])
    fixed = await run(api, methodist, kind_workbook(DIAGNOSTICS, [row(1, digital=75)]), kind="diagnostics")
    assert (fixed["created"], fixed["updated"], fixed["unchanged"]) == (0, 1, 0)
    assert (await api.get(f"/persons/{people[1]}/deficits", headers=methodist)).json()["items"] == []
    events = await api.pool.fetch("select value from outbox where event_type like '%deficits.diagnosed%' "
                                  "and key = $1 order by seq", people[1])
    assert [json.loads(e["value"])["data"]["deficits"] for e in events] == [[{"area": "digital",
                                                                               "level": "critical"}], []]
