"""The slice end to end: four service processes, GraphQL in, Kafka between, indicators out."""
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from tests.conftest import connect, token
from tests.e2e.conftest import spans_in
from tests.factories import legal_inn
from tests.waiting import eventually

pytestmark = pytest.mark.e2e

REGISTER = """mutation($input: RegisterOrganisationInput!) {
  registerOrganisation(input: $input) { id name kind municipalityOktmo active } }"""
MUNICIPALITY = """query($oktmo: String!) { municipality(oktmo: $oktmo) {
  name organisations { nodes { id name kind } } indicators { code value } } }"""
CREATE_MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo name } }"


def _org(n: int, oktmo: str, **kw) -> dict:
    return {"name": f"МБОУ СОШ № {n}", "kind": "SCHOOL", "municipalityOktmo": oktmo, "inn": legal_inn(n), **kw}


def _rest_org(n: int, oktmo: str) -> dict:
    return {**_org(n, oktmo), "kind": "school"}


async def _active(gql, oktmo: str) -> float:
    data = (await gql()(MUNICIPALITY, {"oktmo": oktmo}))["data"]["municipality"]
    return next(i["value"] for i in data["indicators"] if i["code"] == "organisations_active")


@pytest.fixture(scope="module")
async def municipalities(gql):
    kaluga, obninsk = "29701000", "29715000"
    for oktmo, name in ((kaluga, "городской округ «Город Калуга»"), (obninsk, "городской округ «Город Обнинск»")):
        r = await gql()(CREATE_MUNICIPALITY, {"i": {"oktmo": oktmo, "name": name}})
        assert r["data"]["createMunicipality"]["oktmo"] == oktmo, r
    return kaluga, obninsk


async def test_registered_organisation_shows_in_municipality_and_its_indicator(gql, municipalities):
    kaluga, _ = municipalities
    before = await _active(gql, kaluga)
    r = await gql()(REGISTER, {"input": _org(1, kaluga, shortName="СОШ 1")})
    org = r["data"]["registerOrganisation"]
    assert org["kind"] == "SCHOOL" and org["active"] and uuid.UUID(org["id"])

    await eventually(lambda: _is(gql, kaluga, before + 1))
    data = (await gql()(MUNICIPALITY, {"oktmo": kaluga}))["data"]["municipality"]
    assert data["name"] == "городской округ «Город Калуга»"
    assert {"id": org["id"], "name": "МБОУ СОШ № 1", "kind": "SCHOOL"} in data["organisations"]["nodes"]
    by_code = {i["code"]: i["value"] for i in data["indicators"]}
    assert by_code["organisations_active.school"] >= 1


async def _is(gql, oktmo, value):
    return await _active(gql, oktmo) == value


async def test_update_and_close_move_the_indicators(gql, municipalities):
    kaluga, obninsk = municipalities
    before = await _active(gql, kaluga)
    org = (await gql()(REGISTER, {"input": _org(2, kaluga)}))["data"]["registerOrganisation"]
    k0 = before + 1
    await eventually(lambda: _is(gql, kaluga, k0))
    o0 = await _active(gql, obninsk)
    moved = await gql()("""mutation($id: ID!) { updateOrganisation(id: $id, input: {municipalityOktmo: "29715000"})
                           { municipalityOktmo version } }""", {"id": org["id"]})
    assert moved["data"]["updateOrganisation"] == {"municipalityOktmo": obninsk, "version": 2}
    await eventually(lambda: _is(gql, obninsk, o0 + 1))
    assert await _active(gql, kaluga) == k0 - 1

    closed = await gql()('mutation($id: ID!) { closeOrganisation(id: $id, closedOn: "2026-09-01") { active } }',
                         {"id": org["id"]})
    assert closed["data"]["closeOrganisation"]["active"] is False
    await eventually(lambda: _is(gql, obninsk, o0))


async def test_methodist_registers_only_in_own_municipality(gql, municipalities, stack, infra):
    kaluga, obninsk = municipalities
    methodist = gql("municipal_methodist", municipality=kaluga)
    ok = await methodist(REGISTER, {"input": _org(3, kaluga)})
    assert ok["data"]["registerOrganisation"]["municipalityOktmo"] == kaluga
    refused = await methodist(REGISTER, {"input": _org(4, obninsk)})
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await methodist(CREATE_MUNICIPALITY, {"i": {"oktmo": "29620000", "name": "Козельский район"}})
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # the services enforce scope themselves, not only behind the gateway
    bearer = {"Authorization": f"Bearer {token(infra, 'municipal_methodist', municipality=kaluga)}"}
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.post(f"{stack.services['registry'].url}/organisations", json=_rest_org(5, obninsk),
                            headers=bearer)
        assert r.status_code == 403, r.text
        r = await http.get(f"{stack.services['monitoring'].url}/indicators",
                           params={"municipality": obninsk}, headers=bearer)
        assert r.status_code == 404 and r.json()["detail"][0]["type"] == "not_found"  # as if unknown
        r = await http.get(f"{stack.services['monitoring'].url}/indicators",
                           params={"municipality": kaluga}, headers=bearer)
        assert r.status_code == 200


async def test_a_methodist_sees_own_indicators_and_a_scoped_error_for_the_others(gql, municipalities):
    kaluga, obninsk = municipalities
    r = await gql("municipal_methodist", municipality=kaluga)("{ municipalities { oktmo indicators { code } } }")
    by_oktmo = {m["oktmo"]: m for m in (r["data"] or {}).get("municipalities") or [] if m}
    assert by_oktmo[kaluga]["indicators"], r
    assert [e["extensions"]["code"] for e in r["errors"]] == ["NOT_FOUND"]  # outside the scope: as if missing
    assert r["errors"][0]["path"][-1] == "indicators" and obninsk in r["errors"][0]["message"]


async def test_identifiers_that_are_not_uuids_never_reach_a_service(gql):
    r = await gql()('{ organisation(id: "../municipalities") { id } }')
    assert r["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def _registry_counts(infra, namespace) -> tuple[int, int]:
    conn = await connect(infra, f"{namespace}_registry")
    try:
        return (await conn.fetchval("select count(*) from organisations"),
                await conn.fetchval("select count(*) from outbox"))
    finally:
        await conn.close()


@pytest.mark.parametrize("change,field", [
    ({"inn": "7707083894"}, "inn"),
    ({"municipalityOktmo": "99999999"}, "municipalityOktmo"),
    ({"name": "Ш" * 501}, "name"),
    ({"inn": legal_inn(1)}, "inn"),  # taken by an active organisation
])
async def test_bad_input_names_the_field_and_writes_nothing(gql, municipalities, infra, namespace, change, field):
    kaluga, _ = municipalities
    before = await _registry_counts(infra, namespace)
    r = await gql()(REGISTER, {"input": {**_org(50, kaluga), **change}})
    assert r["data"] is None
    error = r["errors"][0]
    assert error["extensions"]["field"] == field, error
    assert await _registry_counts(infra, namespace) == before


@pytest.mark.parametrize("literal,field", [('name: 5', "name"), ('kind: CASTLE', "kind")])
async def test_wrong_types_are_refused_naming_the_field(gql, municipalities, literal, field):
    inputs = {"name": '"x"', "kind": "SCHOOL", "municipalityOktmo": '"29701000"', "inn": '"7707083893"'}
    key = literal.split(":")[0]
    inputs[key] = literal.split(": ")[1]
    body = ", ".join(f"{k}: {v}" for k, v in inputs.items())
    r = await gql()(f"mutation {{ registerOrganisation(input: {{{body}}}) {{ id }} }}")
    assert r["data"] is None
    assert r["errors"][0]["extensions"]["field"] == field
    assert field in r["errors"][0]["message"]


async def test_wrong_types_in_variables_are_refused_naming_the_field(gql):
    r = await gql()(REGISTER, {"input": {**_org(60, "29701000"), "name": 123}})
    assert r["data"] is None and ".name" in r["errors"][0]["message"]
    assert r["errors"][0]["extensions"]["field"] == "name"


async def test_bulk_registration_reports_every_bad_row_and_writes_nothing(stack, infra, namespace, municipalities):
    kaluga, _ = municipalities
    rows = [_rest_org(100 + i, kaluga) for i in range(5)]
    rows[1]["inn"] = "7707083894"
    rows[3]["municipalityOktmo"] = "99999999"
    rows[4]["name"] = ""
    before = await _registry_counts(infra, namespace)
    bearer = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.post(f"{stack.services['registry'].url}/organisations/batch", json=rows, headers=bearer)
    assert r.status_code == 422
    locs = sorted(tuple(d["loc"][1:]) for d in r.json()["detail"])
    assert locs == [(1, "inn"), (4, "name")]  # shape errors first; nothing reached the database
    rows[1]["inn"], rows[4]["name"] = legal_inn(101), "Гимназия"
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.post(f"{stack.services['registry'].url}/organisations/batch", json=rows, headers=bearer)
    assert r.status_code == 422 and [d["loc"][1:] for d in r.json()["detail"]] == [[3, "municipalityOktmo"]]
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.post(f"{stack.services['registry'].url}/organisations/batch", json=[], headers=bearer)
    assert r.status_code == 422
    assert await _registry_counts(infra, namespace) == before


async def test_every_service_requires_a_valid_token(stack, infra):
    expired = token(infra, "analyst", ttl_seconds=-60)
    async with httpx.AsyncClient(timeout=10) as http:
        for name, svc in stack.services.items():
            path = "/graphql" if name == "gateway" else "/openapi.json"
            if name == "gateway":
                for headers in ({}, {"Authorization": f"Bearer {expired}"}, {"Authorization": "Bearer x.y.z"}):
                    r = await http.post(svc.url + path, json={"query": "{ municipalities { oktmo } }"}, headers=headers)
                    assert r.status_code == 401, (name, headers, r.text)
            else:
                probe = {"registry": "/organisations", "events": "/docs", "monitoring": "/indicators?municipality=1"}
                if name != "events":
                    r = await http.get(svc.url + probe[name])
                    assert r.status_code == 401
                    r = await http.get(svc.url + probe[name], headers={"Authorization": f"Bearer {expired}"})
                    assert r.status_code == 401
            assert (await http.get(svc.url + "/healthz")).status_code == 200
            ready = await http.get(svc.url + "/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_a_token_from_another_issuer_key_is_refused(stack, tmp_path):
    from metodset_tools import devissuer

    foreign = devissuer.issue("regional_coordinator", base=tmp_path)  # same claims, another key pair
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.get(f"{stack.services['registry'].url}/organisations",
                           headers={"Authorization": f"Bearer {foreign}"})
    assert r.status_code == 401


async def test_one_trace_from_the_gateway_through_kafka_into_the_consumer(gql, municipalities, infra, namespace,
                                                                         stack):
    kaluga, _ = municipalities
    trace_id = uuid.uuid4().hex
    traceparent = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
    r = await gql()(REGISTER, {"input": _org(70, kaluga)}, headers={"traceparent": traceparent})
    org_id = r["data"]["registerOrganisation"]["id"]

    consumer = AIOKafkaConsumer(f"{namespace}.registry.organisations.v1", bootstrap_servers=infra.bootstrap_servers,
                                group_id=f"trace-{uuid.uuid4().hex}", auto_offset_reset="earliest")
    await consumer.start()
    try:
        async def find():
            batch = await consumer.getmany(timeout_ms=200)
            for record in (r for rs in batch.values() for r in rs):
                if record.key.decode() == org_id:
                    return record
        record = await eventually(find)
    finally:
        await consumer.stop()
    header = dict(record.headers)["traceparent"].decode()
    assert header.split("-")[1] == trace_id

    def services_in_trace():
        found = {}
        for name in ("gateway", "registry", "monitoring"):
            names = [s["name"] for s in spans_in(stack.log_dir / f"{name}.log")
                     if s.get("context", {}).get("trace_id") == f"0x{trace_id}"]
            if names:
                found[name] = names
        return found if len(found) == 3 and any(n.startswith("consume") for n in found["monitoring"]) else None

    async def check():
        return services_in_trace()

    found = await eventually(check, limit=30)
    assert any("graphql" in n for n in found["gateway"]) and any("organisations" in n for n in found["registry"])


async def test_metrics_show_latency_outbox_backlog_and_consumer_lag(stack, gql, municipalities):
    await gql()(REGISTER, {"input": _org(80, municipalities[0])})
    async with httpx.AsyncClient(timeout=10) as http:
        registry = (await http.get(f"{stack.services['registry'].url}/metrics")).text
        monitoring = await eventually(lambda: _metrics_with(http, stack.services["monitoring"].url,
                                                            "metodset_consumer_lag"))
    assert "metodset_outbox_unsent" in registry and "metodset_outbox_oldest_unsent_age" in registry
    assert "http_server_duration" in registry  # request latency histogram
    assert 'consumer="monitoring.projections"' in monitoring


async def _metrics_with(http, url: str, name: str) -> str | None:
    text = (await http.get(f"{url}/metrics")).text
    return text if name in text else None


def test_services_stop_gracefully_on_sigterm(stack):
    """Runs last in this module: each service shuts down by itself on SIGTERM (as Kubernetes sends it).

    uvicorn re-raises the signal after its graceful shutdown, so the exit status is -SIGTERM; a service
    that hung would be killed by stop() after the timeout and show -SIGKILL instead."""
    import signal

    for name in ("gateway", "monitoring", "events", "registry"):
        service = stack.services[name]
        service.stop(timeout=20)
        assert service.proc.returncode in (0, -signal.SIGTERM), f"{name} exited with {service.proc.returncode}"
