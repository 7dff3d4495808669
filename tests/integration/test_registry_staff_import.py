"""The staff batch import on a real database: matching by СНИЛС and by name with birth date, likely duplicates
reported, both modes, re-runs that change nothing and publish nothing, per-row errors in Russian."""
from datetime import date, timedelta

import pytest

from metodset_kit.scope import Principal, Role
from metodset_registry.staff import import_ as staff_import
from tests.factories import legal_inn, snils
from tests.registry_app import KALUGA, OBNINSK

pytestmark = pytest.mark.integration
START = (date.today() - timedelta(days=300)).strftime("%d.%m.%Y")
COORDINATOR = Principal("coordinator", Role.REGIONAL_COORDINATOR)


@pytest.fixture(scope="module")
async def orgs(api, as_role):
    out = {}
    for name, n, oktmo in (("A", 9201, KALUGA), ("B", 9202, KALUGA), ("C", 9203, OBNINSK)):
        r = await api.post("/organisations", headers=as_role(), json={
            "name": f"МБОУ СОШ {name}", "kind": "school", "municipalityOktmo": oktmo, "inn": legal_inn(n)})
        assert r.status_code == 201, r.text
        out[name] = r.json()["id"]
    return out


def row(last, first, middle, birth, snils_=None, inn=9201, position="учитель", subjects="математика; физика",
        rate="1", main="да", start=START, n=None):
    return {"lastName": last, "firstName": first, "middleName": middle, "birthDate": birth, "snils": snils_,
            "organisationInn": legal_inn(inn), "position": position, "subjects": subjects, "rate": rate,
            "main": main, "startDate": start, **({"row": n} if n else {})}


ROWS = [
    row("Ёлкина", "Мария", "Ивановна", "12.04.1990", snils(11), n=2),
    row("Ёлкина", "Мария", "Ивановна", "12.04.1990", snils(11), inn=9202, main="нет", rate="0.25", n=3),
    row("Петров", "Иван", None, "1985-01-20", None, position="teacher", subjects=["russian"], n=4),
    row("Сидорова", "Анна", "Олеговна", "01.02.1975", snils(12), position="директор", subjects="", n=5),
]


async def _outbox(api) -> int:
    return await api.pool.fetchval("select count(*) from outbox where topic like '%registry.staff.v1'")


async def test_created_then_the_same_rows_change_nothing(api, as_role, orgs):
    before = await _outbox(api)
    r = await api.post("/staff/batch", headers=as_role(), params={"mode": "ALL_OR_NOTHING"}, json=ROWS)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["applied"] and report["errors"] == 0, report
    assert [o["outcome"] for o in report["rows"]] == ["created"] * 4
    assert [o["row"] for o in report["rows"]] == [2, 3, 4, 5]
    assert report["rows"][0]["personId"] == report["rows"][1]["personId"]
    assert await _outbox(api) - before == 3 + 4  # three persons, four employments
    again = await api.post("/staff/batch", headers=as_role(), params={"mode": "ALL_OR_NOTHING"}, json=ROWS)
    assert [o["outcome"] for o in again.json()["rows"]] == ["unchanged"] * 4
    assert await _outbox(api) - before == 7
    # the same person written differently (case, ё, spaces) is still the same person
    respelled = [row("ЕЛКИНА", "мария", " Ивановна ", "1990-04-12", snils(11), n=2)]
    third = await api.post("/staff/batch", headers=as_role(), json=respelled)
    assert third.json()["rows"][0]["outcome"] == "unchanged"


async def test_a_likely_duplicate_is_reported_not_merged(api, as_role, orgs):
    await api.post("/staff/batch", headers=as_role(), json=ROWS)
    persons = await api.pool.fetchval("select count(*) from persons")
    twin = [row("Елкина", "МАРИЯ", "Ивановна", "12.04.1990", snils(13), n=7)]
    r = (await api.post("/staff/batch", headers=as_role(), params={"mode": "VALID_ROWS"}, json=twin)).json()
    [outcome] = r["rows"]
    assert outcome["outcome"] == "error" and outcome["row"] == 7
    assert outcome["errors"][0]["field"] == "snils" and "дубликат" in outcome["errors"][0]["message"]
    assert await api.pool.fetchval("select count(*) from persons") == persons


async def test_both_modes_with_a_bad_row(api, as_role, orgs):
    rows = [row("Кузнецов", "Олег", "Петрович", "03.03.1988", snils(21), n=2),
            row("Кузнецова", "Ольга", None, "31.02.1988", snils(22), position="учитль", n=3)]
    strict = (await api.post("/staff/batch", headers=as_role(), params={"mode": "ALL_OR_NOTHING"},
                             json=rows)).json()
    assert not strict["applied"]
    assert [o["outcome"] for o in strict["rows"]] == ["skipped", "error"]
    fields = {e["field"]: e["message"] for e in strict["rows"][1]["errors"]}
    assert set(fields) == {"birthDate", "position"} and "«учитель»" in fields["position"]
    assert not await api.pool.fetchval("select count(*) from persons where snils = $1", snils(21))
    lenient = (await api.post("/staff/batch", headers=as_role(), params={"mode": "VALID_ROWS"}, json=rows)).json()
    assert lenient["applied"] and [o["outcome"] for o in lenient["rows"]] == ["created", "error"]
    assert await api.pool.fetchval("select count(*) from persons where snils = $1", snils(21)) == 1


async def test_updates_snils_completed_and_rate_changed(api, as_role, orgs):
    await api.post("/staff/batch", headers=as_role(), json=ROWS)
    before = await _outbox(api)
    completed = row("Петров", "Иван", None, "20.01.1985", snils(14), position="teacher", subjects="русский язык",
                    rate="0.5")
    r = (await api.post("/staff/batch", headers=as_role(), json=[completed])).json()
    assert r["rows"][0]["outcome"] == "updated", r
    person = await api.pool.fetchrow("select id, snils, version from persons where snils = $1", snils(14))
    assert person["version"] == 2
    types = await api.pool.fetch("select event_type from outbox where topic like '%registry.staff.v1' and seq > "
                                 "(select max(seq) from outbox) - 2 order by seq")
    assert [t["event_type"].split(".")[3:5] for t in types] == [["person", "updated"], ["employment", "changed"]]
    assert await _outbox(api) - before == 2
    again = (await api.post("/staff/batch", headers=as_role(), json=[completed])).json()
    assert again["rows"][0]["outcome"] == "unchanged" and await _outbox(api) - before == 2


async def test_scope_of_the_importer(api, as_role, orgs):
    rows = [row("Волков", "Пётр", "Ильич", "05.05.1991", snils(31), inn=9203, n=2)]
    r = (await api.post("/staff/batch", headers=as_role("municipal_methodist", municipality=KALUGA),
                        params={"mode": "VALID_ROWS"}, json=rows)).json()
    assert r["rows"][0]["errors"][0]["field"] == "organisationInn"
    assert (await api.post("/staff/batch", headers=as_role("analyst"), json=rows)).status_code == 403


async def test_called_with_a_connection_inside_the_callers_transaction(api, orgs):
    rows = [row("Морозов", "Илья", "Ильич", "06.06.1992", snils(41), n=2)]
    async with api.pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        seen = []

        async def progress(done, total):
            seen.append((done, total))

        report = await staff_import.import_staff(conn, COORDINATOR, rows, "VALID_ROWS", progress=progress)
        assert report.created == 1 and seen == [(1, 1)]
        await transaction.rollback()
    assert await api.pool.fetchval("select count(*) from persons where snils = $1", snils(41)) == 0
