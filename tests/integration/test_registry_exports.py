"""Exports of the staff and bodies lists and the bodies kind of import through the registry's REST: scope (a
methodist exports only their municipality's, another's gets a refusal or an empty file), audit entries, template
headers and drop-downs, round trips unchanged with no events, a bodies file's bad rows in both modes."""
import datetime as dt
import io

import openpyxl
import pytest

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.bodies import BODIES
from metodset_registry.imports.staff import STAFF
from tests.factories import legal_inn, snils
from tests.integration.test_registry_imports import outbox_count, run
from tests.integration.test_registry_staff_xlsx import CAPTIONS as STAFF_CAPTIONS
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
BODY_CAPTIONS = ["Наименование", "Вид", "Уровень", "ОКТМО муниципалитета", "ИНН организации", "Предмет", "Цель",
                 "Начало работы", "Окончание работы", "СНИЛС участника", "Фамилия", "Имя", "Отчество",
                 "Дата рождения", "Роль", "Дата включения", "Дата выхода"]
RMO = "районное (городское) методическое объединение (РМО/ГМО)"
BIRTH = dt.date(1985, 2, 1)


def worker(n: int, inn: str, **more) -> dict:
    return {"lastName": f"Ёлкина{n}", "firstName": "Анна", "middleName": "Петровна", "birthDate": BIRTH,
            "snils": snils(n), "organisationInn": inn, "position": "учитель", "subjects": "математика",
            "startDate": dt.date(2020, 9, 1), "main": True, **more}


def member(n: int | None = None, **more) -> dict:
    """A row of the РМО of Kaluga's mathematics teachers with a member (n) or without."""
    row = {"name": "РМО учителей математики", "kind": RMO, "municipality_oktmo": KALUGA, "subject": "математика",
           "created_on": dt.date(2021, 9, 1)}
    if n is not None:
        row |= {"snils": snils(n), "last_name": f"Ёлкина{n}", "first_name": "Анна", "middle_name": "Петровна",
                "birth_date": BIRTH, "role": "член", "from": dt.date(2022, 9, 1)}
    return row | more


@pytest.fixture(scope="module")
async def region(api, as_role):
    """Two schools (Kaluga, Obninsk) with staff: Kaluga's 1–3 (3 without a СНИЛС), Obninsk's 4."""
    coordinator = as_role()
    inns = {}
    for oktmo, n in ((KALUGA, 9801), (OBNINSK, 9802)):
        r = await api.post("/organisations", headers=coordinator, json={
            "name": f"МБОУ СОШ № {n}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        inns[oktmo] = legal_inn(n)
    rows = [worker(1, inns[KALUGA]), worker(2, inns[KALUGA]), worker(3, inns[KALUGA], snils=None),
            worker(4, inns[OBNINSK])]
    job = await run(api, coordinator, kind_workbook(STAFF, rows), kind="staff")
    assert (job["created"], job["errors"]) == (4, []), job
    return inns


def sheet_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def data_rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]


async def audited(api, operation: str, role: str) -> set[str]:
    rows = await api.pool.fetch("select resource_id from audit_log where operation = $1 and role = $2",
                                operation, role)
    return {r["resource_id"] for r in rows}


async def test_a_methodist_exports_their_municipality_s_staff_audited_and_it_imports_back_unchanged(
        api, as_role, region):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    r = await api.get("/staff/export.xlsx", headers=methodist)
    assert r.status_code == 200, r.text
    sheet = sheet_of(r.content)
    assert [c.value for c in sheet[1]] == STAFF_CAPTIONS
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)
    rows = data_rows(sheet)
    assert sorted(row["Фамилия"] for row in rows) == ["Ёлкина1", "Ёлкина2", "Ёлкина3"]
    assert {row["ИНН организации"] for row in rows} == {region[KALUGA]}
    people = await api.pool.fetch("select id from persons where last_name = any($1)", ["Ёлкина1", "Ёлкина2",
                                                                                        "Ёлкина3"])
    assert await audited(api, "staff.export", "municipal_methodist") == {str(p["id"]) for p in people}

    before = await outbox_count(api)
    job = await run(api, methodist, r.content, mode="ALL_OR_NOTHING", name="export.xlsx", kind="staff")
    assert (job["status"], job["errors"], job["warnings"]) == ("DONE", [], []), job
    assert (job["created"], job["updated"], job["unchanged"]) == (0, 0, 3)
    assert await outbox_count(api) == before


async def test_another_municipality_s_methodist_and_an_analyst_never_get_the_staff(api, as_role, region):
    other = as_role("municipal_methodist", municipality=OBNINSK)
    listed = await api.get("/staff", params={"municipality": KALUGA}, headers=other)
    exported = await api.get("/staff/export.xlsx", params={"municipality": KALUGA}, headers=other)
    assert exported.status_code == listed.status_code == 403
    assert "Ёлкина1".encode() not in exported.content
    own = data_rows(sheet_of((await api.get("/staff/export.xlsx", headers=other)).content))
    assert [row["Фамилия"] for row in own] == ["Ёлкина4"]
    analyst = as_role("analyst")
    assert (await api.get("/staff/export.xlsx", headers=analyst)).status_code == \
        (await api.get("/staff", headers=analyst)).status_code == 403


async def test_the_staff_export_takes_the_list_s_filters(api, as_role, region):
    coordinator = as_role()
    r = await api.get("/staff/export.xlsx", params={"municipality": OBNINSK, "position": "teacher",
                                                    "asOf": dt.date.today().isoformat()}, headers=coordinator)
    assert [row["Фамилия"] for row in data_rows(sheet_of(r.content))] == ["Ёлкина4"]
    before = dt.date(2019, 1, 1).isoformat()
    assert data_rows(sheet_of((await api.get("/staff/export.xlsx", params={"asOf": before},
                                             headers=coordinator)).content)) == []


async def test_the_bodies_template_has_the_captions_drop_downs_and_an_instruction(api, as_role):
    r = await api.get("/templates/bodies.xlsx", headers=as_role())
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == BODY_CAPTIONS
    assert "Инструкция" in book.sheetnames
    lists = {str(v.sqref).rstrip("0123456789").split(":")[0].rstrip("0123456789")
             for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert {"B", "C", "F", "O"} <= lists  # Вид, Уровень, Предмет, Роль


async def test_bodies_with_members_by_snils_or_by_name_import_and_again_unchanged(api, as_role, region):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    rows = [member(1, role="председатель"), member(2),
            member(3, snils=None, last_name="ЕЛКИНА3", middle_name="петровна")]  # by name and birth date
    job = await run(api, methodist, kind_workbook(BODIES, rows), mode="ALL_OR_NOTHING", kind="bodies")
    assert (job["status"], job["errors"]) == ("DONE", []), job
    assert (job["created"], job["updated"]) == (1, 2)
    body = await api.pool.fetchrow("select id, created_on from bodies where name = 'РМО учителей математики'")
    assert body["created_on"] == dt.date(2021, 9, 1)
    assert await api.pool.fetchval("select count(*) from body_members where body_id = $1", body["id"]) == 3
    before = await outbox_count(api)
    again = await run(api, methodist, kind_workbook(BODIES, rows), kind="bodies")
    assert (again["created"], again["updated"], again["unchanged"], again["errors"]) == (0, 0, 3, [])
    assert await outbox_count(api) == before


def bad_file() -> list[dict]:
    group = {"name": "Совет новаторов", "kind": "профессиональное сообщество, ассоциация", "level": "муниципальный",
             "municipality_oktmo": KALUGA, "created_on": dt.date(2022, 1, 10)}
    return [
        group | {"snils": snils(1), "role": "председатель", "from": dt.date(2022, 2, 1)},  # good
        member(None, name="РМО физиков", kind="районое (городское) методическое объединение (РМО/ГМО)"),
        member(None, name="РМО без предмета", subject=None),
        group | {"snils": snils(99), "role": "член"},  # nobody has this СНИЛС
        group | {"last_name": "Никто", "first_name": "Иван", "birth_date": BIRTH, "role": "член"},
        group | {"snils": snils(2), "role": "председатель", "from": dt.date(2022, 3, 1)},  # a second chair
    ]


EXPECTED = {(3, "Вид"), (4, "Предмет"), (5, "СНИЛС участника"), (6, "Фамилия"), (7, "Роль")}


@pytest.mark.parametrize("mode", ["ALL_OR_NOTHING", "VALID_ROWS"])
async def test_each_kind_of_bad_bodies_row_is_reported_with_its_sheet_row_and_caption(api, as_role, region, mode):
    coordinator = as_role()
    bodies_before = await api.pool.fetchval("select count(*) from bodies")
    job = await run(api, coordinator, kind_workbook(BODIES, bad_file()), mode=mode, kind="bodies")
    assert job["status"] == "DONE", job
    assert {(e["row"], e["column"]) for e in job["errors"]} == EXPECTED, job["errors"]
    messages = {e["column"]: e["message"] for e in job["errors"]}
    assert f"возможно, «{RMO}»" in messages["Вид"]
    assert "укажите предмет" in messages["Предмет"]
    assert "не найден" in messages["СНИЛС участника"] and "Никто Иван" in messages["Фамилия"]
    assert "председатель может быть только один" in messages["Роль"]
    written = await api.pool.fetchval("select count(*) from bodies") - bodies_before
    if mode == "ALL_OR_NOTHING":
        assert (job["created"], written) == (0, 0)
    else:
        assert (job["created"], written) == (1, 1)


async def test_bodies_export_scope_audit_and_round_trip(api, as_role, region):
    methodist = as_role("municipal_methodist", municipality=KALUGA)
    shmo = member(2, name="ШМО учителей математики", kind="школьное методическое объединение (ШМО)",
                  municipality_oktmo=None, organisation_inn=region[KALUGA])
    job = await run(api, methodist, kind_workbook(BODIES, [member(1, role="председатель"), member(2), shmo]),
                    kind="bodies")
    assert job["errors"] == [], job
    closed = await api.post("/bodies", headers=methodist, json={
        "name": "Закрытый совет", "kind": "municipal_methodical_council", "municipalityOktmo": KALUGA,
        "createdOn": "2020-09-01"})
    assert (await api.post(f"/bodies/{closed.json()['id']}/close", headers=methodist, json={})).status_code == 200
    r = await api.get("/bodies/export.xlsx", params={"municipality": KALUGA}, headers=methodist)
    assert r.status_code == 200, r.text
    sheet = sheet_of(r.content)
    assert [c.value for c in sheet[1]] == BODY_CAPTIONS
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)
    rows = data_rows(sheet)
    rmo = [row for row in rows if row["Наименование"] == "РМО учителей математики"]
    assert {row["Фамилия"] for row in rmo} >= {"Ёлкина1", "Ёлкина2"}
    assert {row["Роль"] for row in rmo if row["Фамилия"] == "Ёлкина1"} == {"председатель"}
    assert "Закрытый совет" in {row["Наименование"] for row in rows}
    assert [(row["ИНН организации"], row["ОКТМО муниципалитета"], row["Фамилия"]) for row in rows
            if row["Наименование"] == "ШМО учителей математики"] == [(region[KALUGA], None, "Ёлкина2")]
    names = sorted({row["Фамилия"] for row in rows if row["Фамилия"]})
    people = await api.pool.fetch("select id from persons where last_name = any($1)", names)
    assert names and await audited(api, "bodies.export", "municipal_methodist") == {str(p["id"]) for p in people}

    before = await outbox_count(api)
    job = await run(api, methodist, r.content, mode="ALL_OR_NOTHING", name="export.xlsx", kind="bodies")
    assert (job["status"], job["errors"], job["warnings"]) == ("DONE", [], []), job
    assert (job["created"], job["updated"], job["unchanged"]) == (0, 0, len(rows))
    assert await outbox_count(api) == before


async def test_bodies_export_gives_another_municipality_nothing_and_refuses_an_analyst(api, as_role, region):
    await run(api, as_role(), kind_workbook(BODIES, [member(1, role="председатель")]), kind="bodies")
    other = as_role("municipal_methodist", municipality=OBNINSK)
    r = await api.get("/bodies/export.xlsx", params={"municipality": KALUGA}, headers=other)
    assert r.status_code == 200 and data_rows(sheet_of(r.content)) == []
    assert "Ёлкина1".encode() not in r.content
    members = await api.get(f"/bodies/{await api.pool.fetchval('select id from bodies limit 1')}/members",
                            headers=as_role("analyst"))
    assert members.status_code == 404
    assert (await api.get("/bodies/export.xlsx", headers=as_role("analyst"))).status_code == 403
