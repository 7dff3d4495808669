"""The cost estimate: a pure function over a parsed document and the gateway's schema."""
from graphql import parse

from metodset_gateway.cost import operation_cost
from metodset_gateway.limits import MAX_PAGE, UNPAGED_LIST_SIZE
from metodset_gateway.paging import list_pages
from metodset_gateway.schema import schema

SCHEMA = schema._schema
PAGES = list_pages(SCHEMA)


def cost(query: str, **kw) -> int:
    return operation_cost(SCHEMA, parse(query), PAGES, **kw)


def probe(times: int) -> str:
    """The probe's query: organisation → municipality → organisations, nested `times` times."""
    return ('{ organisation(id: "x") { ' + "municipality { organisations { nodes { " * times + "id"
            + " } } }" * times + " } }")


def test_paged_list_fields_are_declared_once_in_the_schema():
    assert PAGES == {("Query", "municipalities"): 100, ("Municipality", "organisations"): 100,
                     ("Query", "organisations"): 100, ("Municipality", "staff"): 100, ("Organisation", "staff"): 100,
                     ("Query", "auditLog"): 100, ("Query", "bodies"): 100, ("Municipality", "bodies"): 100,
                     ("Municipality", "sites"): 100, ("Organisation", "bodies"): 100,
                     ("Municipality", "youngSpecialistsWithoutMentor"): 100, ("Person", "mentoring"): 100,
                     ("Query", "campaigns"): 100, ("Campaign", "submissions"): 100,
                     ("Person", "courses"): 20, ("Municipality", "attestationDue"): 100, ("Person", "diagnostics"): 100,
                     ("Query", "events"): 100, ("MethodicalEvent", "registrations"): 100, ("Person", "events"): 50,
                     ("Query", "supportRequests"): 100, ("Me", "events"): 50,
                     ("Query", "practices"): 100, ("Person", "routes"): 20,
                     ("Query", "competitions"): 100, ("CompetitionStage", "entries"): 100,
                     ("Query", "olympiadStages"): 100, ("OlympiadStage", "results"): 100,
                     ("OlympiadStage", "admitted"): 100, ("Query", "olympiadRating"): 100,
                     ("Query", "indicators"): 100, ("Query", "rating"): 100, ("IndicatorValue", "drillDown"): 50,
                     ("Query", "indicatorCatalogue"): 100,
                     ("Query", "recommendations"): 100, ("Query", "supportCases"): 100}


def test_staff_lists_count_their_page():
    query = '{ municipality(oktmo: "1") { staff(first: %d) { totalCount nodes { id fullName } } } }'
    assert cost(query % 50) - cost(query % 10) == 40 * 2
    assert cost("{ auditLog(first: 20) { nodes { id operation } } }") == 1 + 1 + 20 * 2


def test_a_field_costs_one_and_an_object_adds_its_selection():
    assert cost('{ municipality(oktmo: "1") { oktmo name } }') == 3


def test_a_list_multiplies_its_selection_by_the_page():
    assert cost("{ municipalities { oktmo name } }") == 1 + 100 * 2
    assert cost("{ municipalities(first: 5) { oktmo name } }") == 1 + 5 * 2
    query = "query($n: Int) { municipalities(first: $n) { oktmo } }"
    assert cost(query, variables={"n": 7}) == 1 + 7
    assert cost(query, variables={}) == 1 + 100  # no value: the default page


def test_first_beyond_the_maximum_is_estimated_at_the_maximum_page():
    assert cost("{ municipalities(first: 100000) { oktmo } }") == 1 + MAX_PAGE


def test_a_list_without_paging_counts_a_fixed_size():
    assert cost('{ municipality(oktmo: "1") { indicators { code value } } }') == 1 + 1 + UNPAGED_LIST_SIZE * 2


def test_a_cycle_through_the_same_list_counts_each_time():
    one, two, five = cost(probe(1)), cost(probe(2)), cost(probe(5))
    assert two > 100 * one - 100 and five > 100**5


def test_fragments_are_expanded_and_aliases_count_separately():
    inline = cost("{ municipalities { oktmo organisations { nodes { id name } } } }")
    spread = cost("{ municipalities { ...M } } fragment M on Municipality { oktmo organisations { nodes { ...O } } } "
                  "fragment O on Organisation { id name }")
    assert spread == inline
    twice = cost("{ a: municipalities { ...M } b: municipalities { ...M } } "
                 "fragment M on Municipality { oktmo organisations { nodes { id name } } }")
    assert twice == 2 * inline
    assert cost("{ municipalities { ... on Municipality { oktmo } } }") == cost("{ municipalities { oktmo } }")


def test_fragments_spread_into_each_other_are_estimated_without_walking_every_copy():
    # 20 fragments each spreading the next one twice: 2^20 copies if expanded naively, one walk each here
    chain = " ".join(f"fragment F{i} on Municipality {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20))
    query = f'{{ municipality(oktmo: "1") {{ ...F0 }} }} {chain} fragment F20 on Municipality {{ oktmo }}'
    assert cost(query) == 1 + 2**20


def test_introspection_is_cheap_and_the_operation_is_chosen_by_name():
    assert cost("{ __schema { types { name fields { name } } } }") == 1
    two = "query A { municipalities { oktmo } } query B { __typename }"
    assert cost(two, operation_name="A") == 101 and cost(two, operation_name="B") == 1


def test_a_document_without_the_operation_costs_nothing():
    assert cost("fragment F on Municipality { oktmo }") == 0
    assert cost("{ municipalities { oktmo } }", operation_name="missing") == 0


def test_a_connection_multiplies_its_nodes_by_its_page_and_counts_the_rest_once():
    assert cost("{ organisations { totalCount pageInfo { hasNextPage endCursor } } }") == 1 + 1 + 1 + 2
    assert cost("{ organisations { nodes { id name } } }") == 1 + 1 + 100 * 2
    assert cost('{ organisations(first: 7, after: "c") { totalCount nodes { id } } }') == 1 + 1 + 1 + 7
    query = "query($n: Int) { organisations(first: $n) { nodes { id } } }"
    assert cost(query, variables={"n": 3}) == 1 + 1 + 3
    assert cost("{ organisations(first: 100000) { nodes { id } } }") == 1 + 1 + MAX_PAGE
    nested = '{ municipality(oktmo: "1") { organisations(first: 2) { nodes { municipality { oktmo } } } } }'
    assert cost(nested) == 1 + 1 + 1 + 2 * (1 + 1)


def test_a_connection_page_reaches_its_nodes_through_fragments_only_at_its_own_level():
    inline = cost("{ organisations(first: 4) { nodes { id } } }")
    assert cost("{ organisations(first: 4) { ...C } } fragment C on OrganisationConnection { nodes { id } }") \
        == inline == cost("{ organisations(first: 4) { ... on OrganisationConnection { nodes { id } } } }")
    # the same fragment under two pages is estimated for each page
    two = ("{ a: organisations(first: 4) { ...C } b: organisations(first: 9) { ...C } } "
           "fragment C on OrganisationConnection { nodes { id } }")
    assert cost(two) == inline + cost("{ organisations(first: 9) { nodes { id } } }")
    # below a node, a list is its own again (indicators count the unpaged size, not the connection's page)
    deep = '{ organisations(first: 4) { nodes { municipality { indicators { code } } } } }'
    assert cost(deep) == 1 + 1 + 4 * (1 + 1 + UNPAGED_LIST_SIZE)
