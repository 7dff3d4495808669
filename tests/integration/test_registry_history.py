"""Organisations as of a date on a real database: every write keeps a version, reads find the one of a day."""
import asyncio
import uuid
from datetime import date, timedelta

import asyncpg
import pytest

from metodset_kit import db
from metodset_registry.domain.history import end_of_day
from tests.conftest import settings_for
from tests.factories import legal_inn
from tests.registry_app import KALUGA, OBNINSK, bearer, registry_client

pytestmark = pytest.mark.integration


def day(back: int) -> str:
    return (date.today() - timedelta(days=back)).isoformat()


async def _date_versions(pool, org_id, starts: list[int]) -> None:
    """Move the versions of an organisation into the past: version n opens during day `starts[n-1]` back
    (an hour after the end of the day before) and closes when the next one opens."""
    opens = [end_of_day(date.today() - timedelta(days=b + 1)) + timedelta(hours=1) for b in starts]
    for n, start in enumerate(opens[:-1], start=1):
        await pool.execute("update organisation_past_versions set valid_from = $3, valid_to = $4 "
                           "where organisation_id = $1 and version = $2", org_id, n, start, opens[n])
    await pool.execute("update organisations set version_from = $2 where id = $1", org_id, opens[-1])  # the open one


@pytest.fixture(scope="module")
async def api(infra, namespace):
    """A school registered 3 days back, renamed 2 days back, closed yesterday (as of yesterday); another
    school of Kaluga registered 3 days back and never changed."""
    async with registry_client(infra, namespace, **bearer(infra)) as http:
        first = await http.post("/organisations", json={"name": "МБОУ СОШ № 1", "kind": "school",
                                                        "municipalityOktmo": KALUGA, "inn": legal_inn(901)})
        org = first.json()["id"]
        assert (await http.patch(f"/organisations/{org}", json={"name": "МБОУ Лицей № 1"})).status_code == 200
        closed = await http.post(f"/organisations/{org}/close", json={"closedOn": day(1)})
        assert closed.status_code == 200, closed.text
        other = await http.post("/organisations", json={"name": "МБОУ СОШ № 2", "kind": "school",
                                                        "municipalityOktmo": KALUGA, "inn": legal_inn(902)})
        assert other.status_code == 201, other.text
        await _date_versions(http.pool, first.json()["id"], [3, 2, 1])
        await _date_versions(http.pool, other.json()["id"], [3])
        http.org, http.other = org, other.json()["id"]
        yield http


async def test_every_change_keeps_a_version_and_only_the_last_is_open(api):
    rows = await api.pool.fetch("select version, name, closed_on, valid_to is null as open from organisation_versions "
                                "where organisation_id = $1 order by version", api.org)
    assert [(r["version"], r["name"], r["open"]) for r in rows] == \
        [(1, "МБОУ СОШ № 1", False), (2, "МБОУ Лицей № 1", False), (3, "МБОУ Лицей № 1", True)]
    assert [r["closed_on"] for r in rows] == [None, None, date.today() - timedelta(days=1)]


@pytest.mark.parametrize(("back", "name", "active", "version"), [
    (3, "МБОУ СОШ № 1", True, 1), (2, "МБОУ Лицей № 1", True, 2), (1, "МБОУ Лицей № 1", False, 3),
    (0, "МБОУ Лицей № 1", False, 3)])
async def test_an_organisation_reads_as_it_was_at_the_end_of_each_day(api, back, name, active, version):
    r = await api.get(f"/organisations/{api.org}", params={"asOf": day(back)})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["active"], r.json()["version"]) == (name, active, version)


async def test_before_its_registration_an_organisation_is_not_found(api):
    r = await api.get(f"/organisations/{api.org}", params={"asOf": day(4)})
    assert r.status_code == 404
    assert r.json()["detail"][0]["type"] == "not_found" and r.json()["detail"][0]["loc"] == ["path", "id"]
    assert (await api.get(f"/organisations/{api.org}")).json()["name"] == "МБОУ Лицей № 1"


async def test_an_unknown_organisation_is_named_where_its_id_was_given(api):
    for r in (await api.get(f"/organisations/{uuid.uuid4()}"),
              await api.patch(f"/organisations/{uuid.uuid4()}", json={"phone": "+7 4842 000000"}),
              await api.post(f"/organisations/{uuid.uuid4()}/close")):
        assert r.status_code == 404, r.text
        assert r.json()["detail"][0]["loc"] == ["path", "id"]


async def test_a_date_after_today_is_refused_naming_as_of(api):
    for path in (f"/organisations/{api.org}", "/organisations"):
        r = await api.get(path, params={"asOf": day(-1)})
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"] == ["query", "asOf"]


async def _names(api, **params) -> tuple[list[str], int]:
    r = await api.get("/organisations", params={"municipality": KALUGA, **params})
    assert r.status_code == 200, r.text
    return [o["name"] for o in r.json()["items"]], r.json()["totalCount"]


async def test_the_list_as_of_a_day_has_what_was_registered_and_active_then(api):
    assert await _names(api, asOf=day(4)) == ([], 0)
    assert await _names(api, asOf=day(3), active="true") == (["МБОУ СОШ № 1", "МБОУ СОШ № 2"], 2)
    assert await _names(api, asOf=day(2)) == (["МБОУ Лицей № 1", "МБОУ СОШ № 2"], 2)
    assert await _names(api, asOf=day(1), active="true") == (["МБОУ СОШ № 2"], 1)
    assert await _names(api, asOf=day(1), active="false") == (["МБОУ Лицей № 1"], 1)
    assert await _names(api, asOf=day(3), municipality=OBNINSK) == ([], 0)


async def test_pages_as_of_a_day_follow_their_cursor_and_a_cursor_keeps_its_date(api):
    first = (await api.get("/organisations", params={"asOf": day(3), "limit": 1})).json()
    assert [o["name"] for o in first["items"]] == ["МБОУ СОШ № 1"] and first["nextCursor"]
    after = first["nextCursor"]
    second = (await api.get("/organisations", params={"asOf": day(3), "limit": 1, "after": after})).json()
    assert [o["name"] for o in second["items"]] == ["МБОУ СОШ № 2"] and second["nextCursor"] is None
    for other in ({"asOf": day(2)}, {}):
        r = await api.get("/organisations", params={**other, "limit": 1, "after": after})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "after"]


async def test_a_batch_registration_writes_the_first_version_of_each(api):
    rows = [{"name": f"МБДОУ Детский сад № {n}", "kind": "kindergarten", "municipalityOktmo": OBNINSK,
             "inn": legal_inn(910 + n)} for n in range(3)]
    r = await api.post("/organisations/batch", json=rows)
    assert r.status_code == 201, r.text
    versions = await api.pool.fetch("select organisation_id, version, name, inn, valid_to from organisation_versions "
                                    "where organisation_id = any($1::uuid[]) order by name", r.json()["ids"])
    assert [(v["version"], v["name"], v["inn"], v["valid_to"]) for v in versions] == \
        [(1, row["name"], row["inn"], None) for row in rows]
    assert (await _names(api, asOf=day(0), municipality=OBNINSK))[1] == 3


async def test_the_migration_dates_existing_organisations_from_their_registration(infra, namespace):
    settings = settings_for(infra, namespace, "backfill")
    pool = await db.create_pool(settings)
    try:
        migrations = db.migrations_in("kit", "metodset_kit") + db.migrations_in("registry", "metodset_registry")
        await db.migrate(pool, [m for m in migrations if m.component == "kit" or m.version < 4])
        await pool.execute("insert into municipalities (oktmo, name) values ('29701000', 'Калуга')")
        org = await pool.fetchval(
            "insert into organisations (id, name, kind, municipality_oktmo, inn, version, closed_on, phone, created_at)"
            " values (gen_random_uuid(), 'МКОУ ООШ', 'school', '29701000', '4028000001', 4, '2025-06-30',"
            " '8 4842 00', '2024-01-10 09:00+03') returning id")
        await db.migrate(pool, migrations)
        row = await pool.fetchrow("select * from organisation_versions where organisation_id = $1", org)
        assert (row["version"], row["name"], row["closed_on"].isoformat(), row["phone"], row["valid_to"]) == \
            (4, "МКОУ ООШ", "2025-06-30", "8 4842 00", None)
        assert row["valid_from"] == await pool.fetchval("select created_at from organisations where id = $1", org)
    finally:
        await pool.close()


async def test_organisations_are_never_deleted_so_no_version_loses_its_organisation(api):
    r = await api.post("/organisations", json={"name": "МБОУ СОШ № 77", "kind": "school",
                                                "municipalityOktmo": OBNINSK, "inn": legal_inn(977)})
    assert r.status_code == 201, r.text
    with pytest.raises(asyncpg.RestrictViolationError, match="не удаляются"):
        await api.pool.execute("delete from organisations where id = $1", uuid.UUID(r.json()["id"]))
    assert await api.pool.fetchval("select count(*) from organisation_versions where organisation_id = $1",
                                   uuid.UUID(r.json()["id"])) == 1


async def test_concurrent_changes_of_one_organisation_leave_one_open_version(api):
    """No index re-checks it: the writers serialise on the organisation's row, and each closes the open version."""
    r = await api.post("/organisations", json={"name": "МБОУ СОШ № 78", "kind": "school",
                                                "municipalityOktmo": OBNINSK, "inn": legal_inn(978)})
    org = r.json()["id"]
    answers = await asyncio.gather(*(api.patch(f"/organisations/{org}", json={"phone": f"8 4842 00 00 {n:02d}"})
                                     for n in range(8)))
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    rows = await api.pool.fetch("select version, valid_to is null as open from organisation_versions "
                                "where organisation_id = $1 order by version", uuid.UUID(org))
    assert [(v["version"], v["open"]) for v in rows] == [(n, n == 9) for n in range(1, 10)]
