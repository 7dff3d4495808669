"""The gateway's organisation marks: plain small lists, counted by the cost estimate as unpaged lists."""
from graphql import parse

from metodset_gateway.cost import operation_cost
from metodset_gateway.limits import UNPAGED_LIST_SIZE
from metodset_gateway.marks import Flag, SiteStatus
from metodset_gateway.paging import list_pages
from metodset_gateway.schema import schema

SCHEMA = schema._schema


def cost(query: str) -> int:
    return operation_cost(SCHEMA, parse(query), list_pages(SCHEMA))


def test_flags_and_sites_are_not_paged_and_cost_an_unpaged_list_each():
    assert ("Organisation", "flags") not in list_pages(SCHEMA)
    one = cost('{ organisation(id: "x") { id } }')
    with_marks = cost('{ organisation(id: "x") { id flags(asOf: "2025-09-01") { kind from } sites { title } } }')
    assert with_marks - one == (1 + UNPAGED_LIST_SIZE * 2) + (1 + UNPAGED_LIST_SIZE * 1)
    assert cost('{ organisation(id: "x") { parent { parent { id } } } }') == one + 2  # objects, not lists


def test_marks_read_the_registry_answer():
    flag = Flag.from_json({"id": "f", "kind": "low_results", "kindTitle": "Низкие", "from": "2025-09-01",
                           "to": None, "source": "Приказ № 1", "cleared": False, "setTo": None})
    assert flag.kind.value == "low_results" and flag.to is None and flag.from_.year == 2025
    site = SiteStatus.from_json({"id": "s", "kind": "innovation", "kindTitle": "Инновационная площадка",
                                 "level": "federal", "title": "t", "from": "2025-01-01", "to": "2027-12-31",
                                 "topic": None, "order": {"number": "1", "date": "2024-12-20"}, "ended": False})
    assert site.level.value == "federal" and site.order_date.isoformat() == "2024-12-20"


def test_schema_names_the_mutations_of_the_brief():
    mutations = set(SCHEMA.mutation_type.fields)
    assert {"setOrganisationFlag", "clearOrganisationFlag", "grantSiteStatus", "endSiteStatus",
            "reorganiseOrganisation"} <= mutations
    org = SCHEMA.type_map["Organisation"].fields
    assert {"flags", "sites", "parent", "status"} <= set(org) and "asOf" in org["flags"].args
