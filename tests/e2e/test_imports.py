"""startImport through the gateway by the GraphQL multipart request spec, polled with importJob."""
import json

import httpx
import pytest

from metodset_kit.tabular.writing import kind_workbook
from metodset_registry.imports.organisations import ORGANISATIONS
from tests.conftest import token
from tests.factories import legal_inn
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29707000"
MUNICIPALITY = "mutation($i: CreateMunicipalityInput!) { createMunicipality(input: $i) { oktmo } }"
START = """mutation($file: Upload!) { startImport(kind: ORGANISATIONS, mode: VALID_ROWS, file: $file) {
  id status total } }"""
JOB = """query($id: ID!) { importJob(id: $id) { id status total done created updated unchanged reportUrl
  errors { row column message } } }"""


def _records() -> list[dict]:
    good = {"name": "МБОУ СОШ № 1 г. Жукова", "kind": "school", "municipality_oktmo": OKTMO, "inn": legal_inn(77_001)}
    bad = {**good, "name": "МБОУ СОШ № 2", "inn": legal_inn(77_002), "kind": "Общеобразовательная организацыя"}
    return [good, bad]


async def _upload(url: str, bearer: str, data: bytes, name: str = "orgs.xlsx") -> httpx.Response:
    operations = json.dumps({"query": START, "variables": {"file": None}})
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(url, headers={"Authorization": f"Bearer {bearer}"},
                               data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                               files={"0": (name, data, "application/octet-stream")})


async def test_start_import_through_the_gateway_and_poll_the_job(stack, gql, infra):
    r = await gql()(MUNICIPALITY, {"i": {"oktmo": OKTMO, "name": "Жуковский район"}})
    assert "errors" not in r, r
    url = f"{stack.services['gateway'].url}/graphql"
    coordinator = token(infra, "regional_coordinator")
    started = await _upload(url, coordinator, kind_workbook(ORGANISATIONS, _records()))
    assert started.status_code == 200, started.text
    job = started.json()["data"]["startImport"]
    assert job["status"] in ("QUEUED", "RUNNING", "DONE")

    async def finished():
        found = (await gql()(JOB, {"id": job["id"]}))["data"]["importJob"]
        return found if found["status"] in ("DONE", "FAILED") else None

    done = await eventually(finished)
    assert (done["status"], done["total"], done["done"], done["created"]) == ("DONE", 2, 2, 1)
    assert [(e["row"], e["column"]) for e in done["errors"]] == [(3, "Вид организации")]
    assert "возможно, «Общеобразовательная организация»" in done["errors"][0]["message"]
    assert done["reportUrl"] == f"/imports/{job['id']}/report.xlsx"

    other = await gql("municipal_methodist", municipality=OKTMO, subject="someone-else")(JOB, {"id": job["id"]})
    assert other["data"]["importJob"] is None

    again = await _upload(url, coordinator, kind_workbook(ORGANISATIONS, _records()))
    second = await eventually(lambda: _finished(gql, again.json()["data"]["startImport"]["id"]))
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 1)


async def _finished(gql, job_id: str):
    found = (await gql()(JOB, {"id": job_id}))["data"]["importJob"]
    return found if found["status"] in ("DONE", "FAILED") else None


async def test_a_bad_file_answers_with_the_registry_s_reason_and_a_huge_one_is_refused_by_the_size_guard(stack, infra):
    url = f"{stack.services['gateway'].url}/graphql"
    coordinator = token(infra, "regional_coordinator")
    refused = await _upload(url, coordinator, "Наименование;ИНН\nШкола;1\n".encode(), name="orgs.csv")
    error = refused.json()["errors"][0]
    assert "«Вид организации»" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    huge = await _upload(url, coordinator, b"x" * (9 * 1024 * 1024), name="huge.csv")
    assert huge.status_code == 413
