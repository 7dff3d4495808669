"""GET /organisations pages by cursor on a real database: every organisation once, in order, filters kept."""
import base64
import json

import pytest

from tests.factories import legal_inn
from tests.registry_app import KALUGA, OBNINSK, bearer, registry_client

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def api(infra, namespace):
    """The registry's app on the module's database with 20 organisations: 12 in Kaluga (3 closed, 2 with one
    name), 8 in Obninsk; called in process."""
    async with registry_client(infra, namespace, **bearer(infra)) as http:
        for n in range(20):
            name = "МБОУ СОШ № 1" if n in (3, 4) else f"МБОУ СОШ № {n % 10}{n}"
            body = {"name": name, "kind": "kindergarten" if n % 4 == 0 else "school",
                    "municipalityOktmo": KALUGA if n < 12 else OBNINSK, "inn": legal_inn(500 + n)}
            r = await http.post("/organisations", json=body)
            assert r.status_code == 201, r.text
            if n in (1, 5, 9):
                assert (await http.post(f"/organisations/{r.json()['id']}/close", json={})).status_code == 200
        yield http


async def _walk(api, size: int, **params) -> tuple[list[dict], list[int]]:
    """All pages of `size`: the items in the order received and the totalCount of every page."""
    items, totals, after = [], [], None
    while True:
        query = {**params, "limit": size, **({"after": after} if after else {})}
        r = await api.get("/organisations", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        assert set(page) == {"items", "nextCursor", "totalCount"}
        assert len(page["items"]) <= size
        items += page["items"]
        totals.append(page["totalCount"])
        after = page["nextCursor"]
        if after is None:
            return items, totals
        assert len(page["items"]) == size  # only the last page is short


def _order(org: dict) -> tuple:
    return org["municipalityOktmo"], org["name"], org["id"]


async def test_pages_of_seven_walk_every_organisation_once_in_order(api):
    everything = (await api.get("/organisations", params={"limit": 5000})).json()
    assert everything["nextCursor"] is None and everything["totalCount"] == 20 == len(everything["items"])
    items, totals = await _walk(api, 7)
    assert len(totals) == 3 and set(totals) == {20}
    assert [o["id"] for o in items] == [o["id"] for o in everything["items"]]
    assert len({o["id"] for o in items}) == 20
    # the database's order (its collation for names), the same as one big page
    assert [o["municipalityOktmo"] for o in items] == sorted(o["municipalityOktmo"] for o in items)
    twins = [o for o in items if o["name"] == "МБОУ СОШ № 1"]
    assert len(twins) == 2 and twins[0]["id"] < twins[1]["id"]  # one name: the id decides


async def test_pages_keep_the_filters(api):
    items, totals = await _walk(api, 7, municipality=KALUGA, active="true")
    assert set(totals) == {9} and len(items) == 9 and len({o["id"] for o in items}) == 9
    assert all(o["municipalityOktmo"] == KALUGA and o["active"] for o in items)
    schools, totals = await _walk(api, 2, kind="school", municipality=[KALUGA, OBNINSK])
    assert len(schools) == set(totals).pop() == 15 and all(o["kind"] == "school" for o in schools)
    assert [_order(o)[:2] for o in schools] == [_order(o)[:2] for o in
                                                (await api.get("/organisations", params={"kind": "school"})).json()
                                                ["items"]]


def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [
    "not a cursor", "", "eyJ2Ijo", _cursor([1, 2]), _cursor({"v": 2, "o": "organisations", "k": ["a", "b", "c"]}),
    _cursor({"v": 1, "o": "municipalities", "k": ["29701000", "a", "00000000-0000-0000-0000-000000000000"]}),
    _cursor({"v": 1, "o": "organisations", "k": ["29701000", "a"]}),
    _cursor({"v": 1, "o": "organisations", "k": ["29701000", "a", "not-a-uuid"]}),
    _cursor({"v": 1, "o": "organisations", "k": ["29701000", 5, "00000000-0000-0000-0000-000000000000"]}),
    _cursor({"v": 1, "o": "organisations", "k": ["29701000", "a\x00", "00000000-0000-0000-0000-000000000000"]}),
    "A" * 3000,
])
async def test_a_malformed_or_tampered_cursor_is_422_naming_after(api, after):
    r = await api.get("/organisations", params={"after": after})
    assert r.status_code == 422, r.text
    [detail] = r.json()["detail"]
    assert detail["loc"] == ["query", "after"]
    if len(after) < 3000:
        assert "курсор" in detail["msg"]


async def test_a_well_formed_cursor_starts_after_its_key(api):
    """A client may build a cursor from the last row it holds: the next page begins after that key."""
    items, _ = await _walk(api, 100)
    pivot = items[11]
    after = _cursor({"v": 1, "o": "organisations", "k": list(_order(pivot))})
    page = (await api.get("/organisations", params={"after": after})).json()
    assert [o["id"] for o in page["items"]] == [o["id"] for o in items[12:]] and page["totalCount"] == 20
