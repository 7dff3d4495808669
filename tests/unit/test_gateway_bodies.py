"""The gateway's methodical bodies: connections counted by the cost estimate, members and compositions as
small plain lists, the names other systems build against."""
from graphql import parse

from metodset_gateway.bodies import Body, Composition, Member
from metodset_gateway.cost import operation_cost
from metodset_gateway.limits import DEFAULT_PAGE, UNPAGED_LIST_SIZE
from metodset_gateway.paging import list_pages
from metodset_gateway.schema import schema

SCHEMA = schema._schema


def cost(query: str) -> int:
    return operation_cost(SCHEMA, parse(query), list_pages(SCHEMA))


def test_body_lists_are_paged_connections_counted_by_their_page():
    pages = list_pages(SCHEMA)
    for field in (("Query", "bodies"), ("Municipality", "bodies"), ("Municipality", "sites"),
                  ("Organisation", "bodies")):
        assert pages[field] == DEFAULT_PAGE, field
    assert cost("{ bodies(first: 10) { nodes { id name } totalCount } }") == 1 + (1 + 10 * 2) + 1
    assert cost("{ bodies { nodes { id } } }") == 1 + (1 + DEFAULT_PAGE)
    nested = cost('{ municipality(oktmo: "1") { bodies(first: 5) { nodes { id } } sites(first: 3) { nodes { id } } } }')
    assert nested == 1 + (1 + (1 + 5)) + (1 + (1 + 3))
    inside = cost('{ organisations(first: 4) { nodes { bodies(first: 5) { nodes { id } } } } }')
    assert inside == 1 + (1 + 4 * (1 + (1 + 5)))


def test_members_and_compositions_cost_an_unpaged_list_each():
    one = cost('{ body(id: "x") { id } }')
    more = cost('{ body(id: "x") { id members { role person { id fullName } } compositions { orderNumber } } }')
    assert more - one == (1 + UNPAGED_LIST_SIZE * (1 + 3)) + (1 + UNPAGED_LIST_SIZE * 1)


def test_schema_names_the_fields_of_the_brief():
    assert {"createBody", "closeBody", "addMember", "endMembership", "approveComposition"} \
        <= set(SCHEMA.mutation_type.fields)
    assert {"body", "bodies"} <= set(SCHEMA.query_type.fields)
    assert {"asOf", "first", "after", "filter"} <= set(SCHEMA.query_type.fields["bodies"].args)
    assert {"bodies", "sites"} <= set(SCHEMA.type_map["Municipality"].fields)
    assert {"members", "compositions", "composition"} <= set(SCHEMA.type_map["Body"].fields)


def test_bodies_read_the_registry_answer():
    body = Body.from_json({"id": "b", "name": "РМО", "kind": "municipal_association", "kindTitle": "РМО",
                           "group": "association", "level": "municipal", "levelTitle": "муниципальный",
                           "municipalityOktmo": "29701000", "organisationId": None, "subject": "physics",
                           "subjectTitle": "физика", "goal": None, "termStart": None, "termEnd": None,
                           "createdOn": "2025-09-01", "closedOn": None, "active": True, "memberCount": 3,
                           "composition": None})
    assert body.level.value == "municipal" and body.created_on.year == 2025 and body.member_count == 3
    member = Member.from_json({"id": "m", "person": {"id": "p", "fullName": None}, "role": "chair",
                               "roleTitle": "председатель", "from": "2025-09-01", "to": None})
    assert member.role.value == "chair" and member.person.full_name is None
    composition = Composition.from_json({"id": "c", "orderNumber": "1", "orderDate": "2025-09-05",
                                         "academicYear": "2025/2026", "memberCount": 2, "members": None})
    assert composition.members is None and composition.member_count == 2
