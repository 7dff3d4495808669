"""Monitoring's reports on a real PostgreSQL: values computed by the engine from projected facts (this year's
upgrades against the years before), then the xlsx read back with openpyxl (captions, numbers, the region row,
rank changes), the PNG charts, and the scope: another municipality's unpublished value is not in the table, and
its chart answers 404 like a missing one."""
import io
import uuid
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from metodset_contracts.organisations import MunicipalityRegistered
from metodset_kit.consumer import claim_new
from metodset_monitoring.compute import seed_catalogue
from metodset_monitoring.facts_projection import FACTS
from metodset_monitoring.projection import MUNICIPALITY_NAMES
from metodset_monitoring.recomputer import Recomputer
from tests.integration.test_monitoring_indicators import KALUGA, OBNINSK, PERIOD, _course, _ev, _job, _org
from tests.monitoring_app import monitoring_client
from tests.registry_app import bearer

pytestmark = pytest.mark.integration

UPGRADED = "staff_upgraded_3y_share"
HIDDEN = "request_response_hours"  # not published: other municipalities' values are not shown
PREVIOUS = PERIOD.previous()
BEFORE = PREVIOUS.previous()
KALUGA_NAME = "городской округ «Город Калуга»"


@pytest.fixture(scope="module")
async def api(infra, namespace):
    async with monitoring_client(infra, namespace) as http:
        async with http.pool.acquire() as conn:
            await seed_catalogue(conn)
        http.infra = infra
        yield http


@pytest.fixture(scope="module")
async def world(api):
    """Kaluga: 4 teachers, 2 upgraded this year; Obninsk: 2 teachers, none — nobody upgraded in the years before.
    The unpublished indicator's values written as the engine stores them."""
    kaluga, obninsk = _org(KALUGA, 71), _org(OBNINSK, 72)
    teachers = [uuid.uuid4() for _ in range(6)]
    jobs = [_job(kaluga, p) for p in teachers[:4]] + [_job(obninsk, p) for p in teachers[4:]]
    courses = [_course(p, PERIOD.start + timedelta(days=10)) for p in teachers[:2]]
    # Kaluga's name announced by the registry; Obninsk's not (yet): its code stands in
    await _project(api.pool, [_ev(MunicipalityRegistered(oktmo=KALUGA, name=KALUGA_NAME)), kaluga, obninsk, *jobs,
                              *courses])
    await Recomputer(api.pool).run_once()
    await api.pool.execute(
        "insert into indicator_values (code, period, level, subject, municipality_oktmo, numerator, denominator, "
        "value) values ($1, $2, 'municipality', $3, $3, 30, 2, 15), ($1, $2, 'municipality', $4, $4, 80, 2, 40), "
        "($1, $2, 'region', 'region', null, 110, 4, 27.5) on conflict do nothing", HIDDEN, PERIOD.code, KALUGA,
        OBNINSK)
    return {"kaluga": kaluga.data["organisationId"]}


async def _project(pool, events) -> None:
    """As the consumers would (not through that module's helper: it records what its replay test replays)."""
    async with pool.acquire() as conn, conn.transaction():
        for projection in (MUNICIPALITY_NAMES, FACTS):
            await projection.apply(conn, await claim_new(
                conn, projection.name, [e for e in events if e.type in projection.handled_types]))


def _book(response):
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet, first: int) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]


async def test_the_indicator_table_with_dynamics_and_the_region_row(api, world):
    book = _book(await api.get("/reports/indicators.xlsx", params={"code": UPGRADED, "period": PERIOD.code},
                               headers=bearer(api.infra, "analyst")))
    sheet = book[UPGRADED]
    assert sheet["A1"].value == f"Показатели эффективности методической работы, {PERIOD.code} учебный год"
    assert sheet["A2"].value.startswith("По состоянию на ")
    assert "единица: доля" in sheet["A3"].value and "цель: 1" in sheet["A3"].value
    assert _rows(sheet, 5)[0] == ["Муниципалитет", "ОКТМО", BEFORE.code, PREVIOUS.code, PERIOD.code,
                                  "Изменение за год", "Цель", "Цель достигнута"]
    assert _rows(sheet, 6) == [[KALUGA_NAME, KALUGA, 0.0, 0.0, 0.5, 0.5, 1, "нет"],
                               [OBNINSK, OBNINSK, 0.0, 0.0, 0.0, 0.0, 1, "нет"],
                               ["Регион", None, 0.0, 0.0, pytest.approx(1 / 3), pytest.approx(1 / 3), 1, "нет"]]


async def test_all_indicators_of_a_period_a_sheet_each_and_unpublished_ones_only_in_scope(api, world):
    methodist = bearer(api.infra, "municipal_methodist", municipality=OBNINSK)
    book = _book(await api.get("/reports/indicators.xlsx", params={"period": PERIOD.code}, headers=methodist))
    assert {UPGRADED, HIDDEN} <= set(book.sheetnames)
    assert [r[1] for r in _rows(book[UPGRADED], 6)] == [KALUGA, OBNINSK, None]  # published
    assert [r[:5] for r in _rows(book[HIDDEN], 6)] == [[OBNINSK, OBNINSK, None, None, 40],
                                                        ["Регион", None, None, None, 27.5]]
    assert _book(await api.get("/reports/indicators.xlsx", params={"period": "2026"},
                               headers=methodist)).sheetnames == ["Показатели"]  # no calendar-year indicators
    missing = await api.get("/reports/indicators.xlsx", params={"code": "no_such_indicator"}, headers=methodist)
    assert missing.status_code == 404


async def test_ratings_with_previous_ranks_organisations_and_composite(api, world):
    analyst = bearer(api.infra, "analyst")
    sheet = _book(await api.get("/reports/ratings.xlsx", params={"code": UPGRADED, "period": PERIOD.code},
                                headers=analyst))["Рейтинг"]
    assert sheet["A3"].value.startswith("Рейтинг: ")
    assert _rows(sheet, 5) == [["Место", "Муниципалитет", "ОКТМО", "Организация", "id организации", "Значение",
                                "Место за прошлый год", "Изменение места"],
                               [1, KALUGA_NAME, KALUGA, None, None, 0.5, 1, "="],
                               [2, OBNINSK, OBNINSK, None, None, 0.0, 1, "↓ 1"]]
    orgs = _book(await api.get("/reports/ratings.xlsx", params={"code": UPGRADED, "level": "organisation"},
                               headers=analyst))["Рейтинг"]
    assert _rows(orgs, 6)[0][:6] == [1, KALUGA_NAME, KALUGA, "Школа № 71", world["kaluga"], 0.5]
    composite = _book(await api.get("/reports/ratings.xlsx", params={"code": "composite"}, headers=analyst))
    assert composite["Рейтинг"]["A3"].value.startswith("Рейтинг: Сводный рейтинг")
    assert _rows(composite["Рейтинг"], 6)[0][:3] == [1, KALUGA_NAME, KALUGA]
    methodist = bearer(api.infra, "municipal_methodist", municipality=OBNINSK)
    hidden = _book(await api.get("/reports/ratings.xlsx", params={"code": HIDDEN}, headers=methodist))["Рейтинг"]
    # lower is better; ranked over all
    assert _rows(hidden, 6) == [[2, OBNINSK, OBNINSK, None, None, 40, None, "новый"]]


def _png(response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png" and response.content[:4] == b"\x89PNG"
    return Image.open(io.BytesIO(response.content))


async def test_charts_are_pngs_and_a_refused_one_answers_like_a_missing_one(api, world):
    analyst = bearer(api.infra, "analyst")
    bars = _png(await api.get("/reports/charts/rating.png", params={"code": UPGRADED}, headers=analyst))
    assert bars.size[0] == 900 and 200 <= bars.size[1] <= 2000
    line = _png(await api.get("/reports/charts/dynamics.png", params={"code": UPGRADED, "oktmo": KALUGA},
                              headers=analyst))
    assert line.size == (900, 450)
    assert _png(await api.get("/reports/charts/rating.png", params={"code": "composite"}, headers=analyst))

    methodist = bearer(api.infra, "municipal_methodist", municipality=OBNINSK)
    assert _png(await api.get("/reports/charts/dynamics.png", params={"code": HIDDEN, "oktmo": OBNINSK},
                              headers=methodist))
    refused = await api.get("/reports/charts/dynamics.png", params={"code": HIDDEN, "oktmo": KALUGA},
                            headers=methodist)
    missing = await api.get("/reports/charts/dynamics.png", params={"code": HIDDEN, "oktmo": "29799000"},
                            headers=methodist)
    assert refused.status_code == missing.status_code == 404 and refused.json() == missing.json()
    assert (await api.get("/reports/charts/rating.png", params={"code": "no_such_indicator"},
                          headers=analyst)).status_code == 404
    assert (await api.get("/reports/charts/rating.png", params={"code": UPGRADED})).status_code == 401


async def test_graphql_links_the_reports_and_the_links_answer(api, world):
    from tests.integration.test_monitoring_campaigns import _graphql

    analyst = bearer(api.infra, "analyst")
    data = await _graphql(api, analyst, """query($p: String) { indicatorReports(code: "staff_upgraded_3y_share",
        period: $p) { tableUrl ratingUrl orgs: ratingUrl(level: ORGANISATION) ratingChartUrl
        dynamicsChartUrl(oktmo: "29701000") } all: indicatorReports { tableUrl ratingUrl } }""", {"p": PERIOD.code})
    links = data["indicatorReports"]
    period = PERIOD.code.replace("/", "%2F")
    assert links["tableUrl"] == f"/reports/indicators.xlsx?code={UPGRADED}&period={period}"
    assert links["orgs"].endswith("&level=organisation") and data["all"] == {
        "tableUrl": "/reports/indicators.xlsx", "ratingUrl": None}
    for key in ("tableUrl", "ratingUrl", "orgs", "ratingChartUrl", "dynamicsChartUrl"):
        assert (await api.get(links[key], headers=analyst)).status_code == 200, key
