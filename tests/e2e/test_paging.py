"""Cursor pages through GraphQL against the running stack: walking `after: endCursor` visits every
organisation once, in the registry's order, for a municipality's list and for the filtered top-level list."""
import httpx
import pytest

from tests.conftest import token
from tests.factories import legal_inn

pytestmark = pytest.mark.e2e

KALUGA, OBNINSK = "29701000", "29715000"
CREATE_MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
IN_MUNICIPALITY = """query($oktmo: String!, $first: Int, $after: String, $closed: Boolean!) {
  municipality(oktmo: $oktmo) { organisations(first: $first, after: $after, includeClosed: $closed) {
    totalCount nodes { id name municipalityOktmo active } pageInfo { hasNextPage endCursor } } } }"""
TOP_LEVEL = """query($first: Int, $after: String, $filter: OrganisationFilter) {
  organisations(first: $first, after: $after, filter: $filter) {
    totalCount nodes { id name kind municipalityOktmo active } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture(scope="module")
async def registered(gql, stack, infra) -> dict[str, list[str]]:
    """11 organisations in Kaluga (every third a kindergarten, one closed) and 4 in Obninsk, ids by OKTMO."""
    for oktmo, name in ((KALUGA, "Калуга"), (OBNINSK, "Обнинск")):
        r = await gql()(CREATE_MUNICIPALITY, {"i": {"oktmo": oktmo, "name": name}})
        assert r["data"]["createMunicipality"]["oktmo"] == oktmo, r
    rows = [{"name": f"Организация {n:02d}", "kind": "kindergarten" if n % 3 == 0 else "school",
             "municipalityOktmo": KALUGA if n < 11 else OBNINSK, "inn": legal_inn(900 + n)} for n in range(15)]
    registry = stack.services["registry"].url
    bearer = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(f"{registry}/organisations/batch", json=rows, headers=bearer)
        assert r.status_code == 201, r.text
        ids = r.json()["ids"]
        assert (await http.post(f"{registry}/organisations/{ids[4]}/close", json={}, headers=bearer)).status_code \
            == 200
    return {KALUGA: ids[:11], OBNINSK: ids[11:], "closed": [ids[4]]}


async def _walk(gql, query: str, pick, first: int, **variables) -> tuple[list[dict], set[int]]:
    """Every page of `first` until hasNextPage is false: the nodes in order and the totalCounts seen."""
    nodes, totals, after = [], set(), None
    for _ in range(50):
        r = await gql()(query, {**variables, "first": first, "after": after})
        assert "errors" not in r, r
        page = pick(r["data"])
        assert len(page["nodes"]) <= first
        nodes += page["nodes"]
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, totals
        assert len(page["nodes"]) == first and page["pageInfo"]["endCursor"]
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the pages did not end")


def _in_municipality(data):
    return data["municipality"]["organisations"]


async def test_a_municipality_list_is_walked_page_by_page_once_in_order(gql, registered):
    nodes, totals = await _walk(gql, IN_MUNICIPALITY, _in_municipality, 3, oktmo=KALUGA, closed=True)
    assert totals == {11} and sorted(n["id"] for n in nodes) == sorted(registered[KALUGA])
    assert [n["name"] for n in nodes] == [f"Организация {n:02d}" for n in range(11)]
    active, totals = await _walk(gql, IN_MUNICIPALITY, _in_municipality, 4, oktmo=KALUGA, closed=False)
    assert totals == {10} and [n["id"] for n in active] == [n["id"] for n in nodes if n["id"] not in
                                                          registered["closed"]]


async def test_the_top_level_list_pages_with_and_without_a_filter(gql, registered):
    everything, totals = await _walk(gql, TOP_LEVEL, lambda d: d["organisations"], 4)
    assert totals == {15} and len({n["id"] for n in everything}) == 15
    assert [n["municipalityOktmo"] for n in everything] == [KALUGA] * 11 + [OBNINSK] * 4
    schools, totals = await _walk(gql, TOP_LEVEL, lambda d: d["organisations"], 2,
                                  filter={"kind": "SCHOOL", "active": True, "municipalityOktmo": KALUGA})
    expected = [n["id"] for n in everything if n["kind"] == "SCHOOL" and n["active"]
                and n["municipalityOktmo"] == KALUGA]
    assert totals == {len(expected)} == {6} and [n["id"] for n in schools] == expected


async def test_first_zero_answers_the_total_and_a_bad_cursor_is_refused_naming_after(gql, registered):
    r = await gql()(TOP_LEVEL, {"first": 0, "filter": {"municipalityOktmo": OBNINSK}})
    page = r["data"]["organisations"]
    assert page == {"totalCount": 4, "nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}
    r = await gql()(TOP_LEVEL, {"first": 2, "after": "испорченный курсор"})
    assert r["data"] is None or r["data"]["organisations"] is None
    error = r["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "after", r
    assert "курсор" in error["message"]
