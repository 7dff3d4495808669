"""Property test of every REST operation of the services' OpenAPI: whatever schemathesis generates (valid
and invalid requests), sent with a regional coordinator's and a municipal methodist's token, no answer is a 5xx.
A fixed number of derandomized examples per operation keeps the run short and repeatable."""
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.conftest import token

pytestmark = pytest.mark.e2e

EXAMPLES = 12  # per operation and generation mode
SETTINGS = hypothesis.settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                               phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                               print_blob=True)


def _operations(url: str):
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path != "/graphql":  # GraphQL is answered (and tested) in GraphQL shape
            yield operation


@pytest.mark.parametrize("service", ["registry", "monitoring", "events", "gateway"])
def test_no_generated_request_gets_a_5xx(stack, infra, service):
    url = stack.services[service].url
    bearers = [token(infra, "regional_coordinator"), token(infra, "municipal_methodist", municipality="29701000")]
    session = requests.Session()
    failures = []
    operations = list(_operations(url))
    assert operations, service
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @SETTINGS
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                for bearer in bearers:
                    headers = {**(case.headers or {}), "Authorization": f"Bearer {bearer}"}
                    response = case.call(base_url=url, session=session, headers=headers, timeout=10)
                    if response.status_code >= 500:
                        failures.append((case.method, case.formatted_path, case.query, str(case.body)[:200],
                                         response.status_code, response.text[:300]))
                        raise AssertionError(failures[-1])

            try:
                check()
            except AssertionError:
                pass  # collected above; every operation still runs
            except hypothesis.errors.Unsatisfiable:
                pass  # nothing to make invalid (an operation without parameters or body)
    assert not failures, failures


_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=30))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=4), max_leaves=12)
_DOCUMENTS = [
    "{ municipalities { oktmo name } }",
    "query($o: String!) { municipality(oktmo: $o) { name organisations(first: 3) { nodes { id inn } } } }",
    "query($id: ID!) { organisation(id: $id) { name municipality { name } } }",
    "query($f: Int, $a: String) { organisations(first: $f, after: $a) { totalCount nodes { id } } }",
    "mutation($i: RegisterOrganisationInput!) { registerOrganisation(input: $i) { id } }",
    "mutation($id: ID!, $i: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }",
    "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }",
]
_VARIABLES = st.dictionaries(st.sampled_from(["o", "id", "f", "a", "i"]), _JSON, max_size=3)
_BODIES = (st.fixed_dictionaries({"query": st.sampled_from(_DOCUMENTS) | st.text(max_size=120)},
                                 optional={"variables": _VARIABLES, "operationName": st.text(max_size=10)})
           | _JSON)


def test_no_generated_graphql_request_gets_a_5xx(stack, infra):
    """The GraphQL endpoint, which the OpenAPI run above leaves out: random documents, variables and bodies
    (lone surrogates, NUL, wrong types, non-objects) sent as a coordinator never get a 5xx."""
    url = f"{stack.services['gateway'].url}/graphql"
    headers = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
    session = requests.Session()

    @hypothesis.settings(SETTINGS, max_examples=150)
    @given(body=_BODIES)
    def check(body):
        response = session.post(url, json=body, headers=headers, timeout=10)
        assert response.status_code < 500, (body, response.status_code, response.text[:300])

    check()
