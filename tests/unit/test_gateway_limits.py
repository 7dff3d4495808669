"""The gateway refuses abusive queries at validation, before any service is called."""
from metodset_gateway.schema import schema


def test_too_deep_a_query_is_refused():
    nested = "organisations { nodes { municipality { " * 7 + "oktmo" + " } } }" * 7
    r = schema.execute_sync(f'{{ municipality(oktmo: "29701000") {{ {nested} }} }}')
    assert r.errors and "maximum operation depth" in r.errors[0].message


def test_too_many_aliases_are_refused():
    aliases = " ".join(f"m{i}: municipalities {{ oktmo }}" for i in range(40))
    r = schema.execute_sync(f"{{ {aliases} }}")
    assert r.errors and "aliases" in r.errors[0].message


def test_literal_type_errors_name_the_field():
    r = schema.execute_sync('mutation { registerOrganisation(input: {name: 5, kind: SCHOOL, '
                            'municipalityOktmo: "29701000", inn: "7707083893"}) { id } }')
    assert r.errors[0].extensions["field"] == "name" and r.errors[0].message.startswith("input.name:")


def test_variable_type_errors_name_the_field_too():
    mutation = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }"
    wrong_type = {"name": 5, "kind": "SCHOOL", "municipalityOktmo": "29701000", "inn": "7707083893"}
    missing = {"kind": "SCHOOL", "municipalityOktmo": "29701000", "inn": "7707083893"}
    for variables in (wrong_type, missing):
        r = schema.execute_sync(mutation, variable_values={"i": variables})
        assert r.errors[0].extensions == {"code": "BAD_USER_INPUT", "field": "name"}


# --- bounds per document, hostile input, cost per role -------------------------------------------------------

from types import SimpleNamespace  # noqa: E402

import pytest  # noqa: E402
from graphql import GraphQLError  # noqa: E402

from metodset_gateway.guards import field_at  # noqa: E402
from metodset_gateway.limits import (  # noqa: E402
    MAX_COMMENTS,
    MAX_DIRECTIVES,
    MAX_DOCUMENT_BYTES,
    MAX_FIELDS,
    MAX_PAGE,
    MAX_TOKENS,
    MAX_VARIABLE_DEPTH,
    MAX_VARIABLES,
    Limits,
)
from metodset_gateway.paging import check_first  # noqa: E402
from metodset_kit.scope import Principal, Role  # noqa: E402

REGISTER = "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }"
ORG = {"name": "Школа", "kind": "SCHOOL", "municipalityOktmo": "29701000", "inn": "7707083893"}


def _codes(result) -> list:
    return [(e.extensions or {}).get("code") for e in result.errors or []]


def _only_error(result):
    assert result.data is None and len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize("query,limit,bound", [
    ('{ municipality(oktmo: "1") { ' + "oktmo " * (MAX_FIELDS + 1) + "} }", MAX_FIELDS, "fields"),
    ('{ municipality(oktmo: "1") { ' + "oktmo @include(if: true) " * (MAX_DIRECTIVES + 1) + "} }",
     MAX_DIRECTIVES, "directives"),
    ("query(" + " ".join(f"$v{i}: Int" for i in range(MAX_VARIABLES + 1)) + ") { __typename }",
     MAX_VARIABLES, "variables"),
])
def test_a_document_with_too_many_fields_directives_or_variables_is_refused(query, limit, bound):
    r = schema.execute_sync(query)
    refused = [e for e in r.errors or [] if (e.extensions or {}).get("code") == "QUERY_TOO_LARGE"]
    assert refused and refused[0].extensions == {"code": "QUERY_TOO_LARGE", "limit": limit, "bound": bound}
    assert f"больше {limit}" in refused[0].message


async def test_a_document_just_within_the_bounds_passes_them():
    query = '{ municipality(oktmo: "1") { ' + "oktmo " * (MAX_FIELDS - 1) + "} }"
    assert "QUERY_TOO_LARGE" not in _codes(await schema.execute(query))


@pytest.mark.parametrize("query,limit,words", [
    ("{ __typename }" + " " * MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES, "байт"),
    ("{ " + "a " * MAX_TOKENS + "}", MAX_TOKENS, "лексем"),
    ("#\n" * (MAX_COMMENTS + 1) + "{ __typename }", MAX_COMMENTS, "комментариев"),
])
def test_a_document_too_long_to_parse_is_refused_naming_the_bound(query, limit, words):
    error = _only_error(schema.execute_sync(query))
    assert error.extensions["code"] == "QUERY_TOO_LARGE" and error.extensions["limit"] == limit
    assert str(limit) in error.message and words in error.message


@pytest.mark.parametrize("literal", ['"a\\u0000b"', '"a\x00b"', '"a\\uD800b"', '"a\ud800b"', '"""a\udfffb"""'])
def test_nul_and_lone_surrogates_in_string_literals_name_the_field(literal):
    r = schema.execute_sync(f"{{ municipality(oktmo: {literal}) {{ oktmo }} }}")
    error = _only_error(r)
    assert error.extensions["code"] == "BAD_USER_INPUT" and error.extensions["field"] == "oktmo"
    assert error.message.startswith("oktmo: Недопустимый символ")


def test_nul_in_an_input_object_literal_names_the_input_field():
    r = schema.execute_sync('mutation { registerOrganisation(input: {name: "Ш\\u0000", kind: SCHOOL, '
                            'municipalityOktmo: "29701000", inn: "7707083893"}) { id } }')
    error = _only_error(r)
    assert error.extensions["field"] == "name" and error.message.startswith("input.name:")


@pytest.mark.parametrize("value,reason", [("Ш\x00", "NUL"), ("Ш\ud800", "суррогат")])
def test_nul_and_lone_surrogates_in_variables_name_the_field(value, reason):
    error = _only_error(schema.execute_sync(REGISTER, variable_values={"i": {**ORG, "shortName": value}}))
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": "shortName"}
    assert error.message.startswith("i.shortName:") and reason in error.message


@pytest.mark.parametrize("depth", [MAX_VARIABLE_DEPTH + 1, 1000])
def test_variables_nested_too_deep_are_refused(depth):
    deep: object = "x"
    for _ in range(depth):
        deep = {"name": deep}
    error = _only_error(schema.execute_sync(REGISTER, variable_values={"i": deep}))
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": "i", "limit": MAX_VARIABLE_DEPTH}


def test_field_at_names_the_last_argument_or_input_field_before_a_position():
    query = '{ m: municipality(oktmo: "x") { oktmo } }'
    assert field_at(query, query.index('"x"')) == "oktmo"
    assert field_at(query, query.index("municipality")) is None


def test_first_is_bounded():
    assert check_first(None, 100) == 100 and check_first(0, 100) == 0 and check_first(MAX_PAGE, 100) == MAX_PAGE
    for wrong in (-1, MAX_PAGE + 1):
        with pytest.raises(GraphQLError) as refused:
            check_first(wrong, 100)
        assert refused.value.extensions == {"code": "BAD_USER_INPUT", "field": "first"}


def _caller(role: Role, **limits) -> SimpleNamespace:
    scope = {Role.MUNICIPAL_METHODIST: {"municipality": "29701000"},
             Role.ORGANISATION_ADMIN: {"organisation": "o"}}.get(role, {})
    return SimpleNamespace(principal=Principal("s", role, **scope), limits=Limits(**limits))


# 1 + 100 × (oktmo 1 + organisations 1 + nodes (1 + 100 × 2)) = 20 301
NESTED = "{ municipalities { oktmo organisations { nodes { id name } } } }"


@pytest.mark.parametrize("role,refused", [
    (Role.ORGANISATION_ADMIN, True), (Role.MUNICIPAL_METHODIST, True), (Role.REGIONAL_COORDINATOR, False),
])
async def test_the_cost_limit_depends_on_the_role(role, refused):
    r = await schema.execute(NESTED, context_value=_caller(role))
    assert ("QUERY_TOO_COSTLY" in _codes(r)) is refused
    if refused:
        error = _only_error(r)
        assert error.extensions["cost"] == 20_301 and error.extensions["limit"] == Limits().cost[role]
        assert "20301" in error.message and str(error.extensions["limit"]) in error.message


async def test_the_configured_limit_and_first_change_the_verdict():
    stricter = _caller(Role.REGIONAL_COORDINATOR, cost={Role.REGIONAL_COORDINATOR: 1_000})
    assert "QUERY_TOO_COSTLY" in _codes(await schema.execute(NESTED, context_value=stricter))
    paged = "query($n: Int) { municipalities(first: $n) { oktmo organisations(first: 2) { nodes { id name } } } }"
    r = await schema.execute(paged, variable_values={"n": 3}, context_value=stricter)
    assert "QUERY_TOO_COSTLY" not in _codes(r)


def test_the_probe_query_is_refused_for_everyone():
    # three steps through the connection (five would already pass the depth limit of 12)
    probe = ('{ organisation(id: "x") { ' + "municipality { organisations { nodes { " * 3 + "id"
             + " } } }" * 3 + " } }")
    for role in Role:
        error = _only_error(schema.execute_sync(probe, context_value=_caller(role)))
        assert error.extensions["code"] == "QUERY_TOO_COSTLY" and error.extensions["cost"] > 100**3
