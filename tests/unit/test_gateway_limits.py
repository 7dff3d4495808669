"""The gateway refuses abusive queries at validation, before any service is called."""
from metodset_gateway.schema import schema


def test_too_deep_a_query_is_refused():
    nested = "organisations { municipality { " * 7 + "oktmo" + " } }" * 7
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
