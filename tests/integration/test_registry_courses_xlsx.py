"""The courses kind through the shared import: the issue's captions in its order, persons found by СНИЛС or by
name and birth date (never registered), bad rows explained per cell in both modes, re-upload unchanged."""
import datetime as dt
import io

import openpyxl
import pytest

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.courses import COURSES
from tests.factories import legal_inn, snils
from tests.integration.test_registry_imports import run
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
CAPTIONS = ["СНИЛС", "Фамилия", "Имя", "Отчество", "Дата рождения", "Программа", "Организация, проводившая обучение",
            "Часы", "Дата начала", "Дата окончания", "Номер удостоверения", "Вид"]


def row(n: int, **more) -> dict:
    return {"snils": snils(n), "lastName": f"Курсова{n}", "firstName": "Анна", "middleName": "Петровна",
            "birthDate": dt.date(1985, 2, 1), "programme": "Функциональная грамотность", "provider": "КИРО",
            "hours": 36, "startDate": dt.date.today() - dt.timedelta(days=20),
            "endDate": dt.date.today() - dt.timedelta(days=10),
            "certificateNumber": f"C-{n}", "kind": "повышение квалификации", **more}


@pytest.fixture(scope="module")
async def people(api, as_role):
    coordinator = as_role()
    orgs = {}
    for name, n, oktmo in (("K", 9401, KALUGA), ("O", 9402, OBNINSK)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        orgs[name] = r.json()["id"]
    ids = {}
    for n, org, with_snils in ((401, "K", True), (402, "K", False), (403, "O", True)):
        p = await api.post("/persons", headers=coordinator, json={
            "lastName": f"Курсова{n}", "firstName": "Анна", "middleName": "Петровна", "birthDate": "1985-02-01",
            **({"snils": snils(n)} if with_snils else {})})
        assert p.status_code == 201, p.text
        ids[n] = p.json()["id"]
        hired = await api.post("/employments", headers=coordinator, json={
            "personId": ids[n], "organisationId": orgs[org], "position": "teacher", "startDate": "2015-09-01"})
        assert hired.status_code == 201, hired.text
    return {"orgs": orgs, "ids": ids}


async def test_the_courses_template_has_the_issue_s_captions_in_order(api, as_role):
    response = await api.get("/templates/courses.xlsx", headers=as_role())
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == CAPTIONS


async def test_courses_are_imported_bad_rows_explained_and_a_second_upload_changes_nothing(api, as_role, people):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    good = [row(401), row(402, snils=None, provider=legal_inn(9401)),
            row(402, snils=None, kind="профессиональная переподготовка", hours=300, certificateNumber="D-2")]
    bad = [row(401, hours=15, certificateNumber="X"), row(499), row(403), row(401, kind="стажировка"),
           row(401, endDate=dt.date.today() + dt.timedelta(days=3), certificateNumber="Y")]
    data = kind_workbook(COURSES, good + bad)

    strict = await run(api, methodist, data, mode="ALL_OR_NOTHING", kind="courses")
    assert strict["created"] == 0 and len(strict["errors"]) == 5, strict
    assert await api.pool.fetchval("select count(*) from courses where person_id = any($1::uuid[])",
                                   list(people["ids"].values())) == 0

    job = await run(api, methodist, data, kind="courses")
    assert (job["status"], job["created"], job["unchanged"]) == ("DONE", 3, 0), job
    assert {(e["row"], e["column"]) for e in job["errors"]} == {
        (5, "Часы"), (6, "СНИЛС"), (7, "СНИЛС"), (8, "Вид"), (9, "Дата окончания")}
    messages = {e["row"]: e["message"] for e in job["errors"]}
    assert "не найден" in messages[6] and "области доступа" in messages[7] and "16" in messages[5]
    provider = await api.pool.fetchval("select provider_organisation_id from courses "
                                       "where certificate_number = 'C-402'")
    assert str(provider) == people["orgs"]["K"]

    again = await run(api, methodist, kind_workbook(COURSES, good), kind="courses")
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 3, []), again
    growth = (await api.get(f"/persons/{people['ids'][402]}/growth", headers=methodist)).json()
    assert growth["courseOverdue"] is False
