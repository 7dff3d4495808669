"""The bank of practices through GraphQL against the running services: the organisation reaches the events
service through its projection of the registry → addPractice with an author → found by a word's kin →
status forward → disseminated at a seminar scheduled through scheduleEvent → a file attached by the multipart
spec and downloaded as an attachment; events.practices.v1 carries ids, never names or titles."""
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import start_stack, token
from tests.factories import legal_inn, snils
from tests.topics import read_all
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
OKTMO = "29712000"

SETUP = """mutation($m: CreateMunicipalityInput!, $o: RegisterOrganisationInput!) {
  createMunicipality(input: $m) { oktmo } registerOrganisation(input: $o) { id } }"""
PERSON = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }"
ADD = "mutation($i: AddPracticeInput!) { addPractice(input: $i) { id status statusTitle levelTitle } }"
SEARCH = """query($s: String, $f: PracticeFilter) { practices(search: $s, filter: $f, first: 5) {
  totalCount nodes { id title snippet rank authors { id person { fullName } } } pageInfo { hasNextPage } } }"""
STATUS = "mutation($id: ID!, $s: PracticeStatus!) { changePracticeStatus(id: $id, status: $s) { status } }"
SPREAD = "mutation($id: ID!, $e: ID!) { disseminatePractice(id: $id, eventId: $e) { status eventIds } }"
ATTACH = """mutation($id: ID!, $file: Upload) { attachMaterial(owner: PRACTICE, ownerId: $id, title: "Конспект",
  file: $file) { id url fileType fileName } }"""
CARD = """query($id: ID!) { practice(id: $id) { title status eventIds events { id title }
  materials { title fileType url } } }"""
SCHEDULE = "mutation($i: ScheduleEventInput!) { scheduleEvent(input: $i) { id } }"


@pytest.fixture(scope="module")
def stack(infra, namespace, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp(f"logs-{namespace}")
    stack = start_stack(infra, namespace, log_dir, STORAGE_DIR=str(tmp_path_factory.mktemp("storage")))
    yield stack
    stack.stop()


async def _event(methodist, organiser: str) -> str:
    """A seminar of the organisation scheduled yesterday-and-today (the events module's scheduleEvent)."""
    start = datetime.now(UTC) - timedelta(days=1)
    scheduled = await methodist(SCHEDULE, {"i": {
        "title": "Семинар «Наставничество в школе»", "form": "seminar", "level": "MUNICIPAL", "organiserId": organiser,
        "capacity": 20, "format": "IN_PERSON", "place": "Людиново",
        "sessions": [{"startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=3)).isoformat(), "hours": 3}],
        "registrationOpens": (start - timedelta(days=10)).isoformat(),
        "registrationCloses": (start - timedelta(hours=1)).isoformat()}})
    assert "errors" not in scheduled, scheduled
    return scheduled["data"]["scheduleEvent"]["id"]


async def _upload(url: str, bearer: str, practice: str, data: bytes) -> dict:
    operations = json.dumps({"query": ATTACH, "variables": {"id": practice, "file": None}})
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(url, headers={"Authorization": f"Bearer {bearer}"},
                            data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                            files={"0": ("Конспект.pdf", data, "application/pdf")})
    r.raise_for_status()
    return r.json()


async def test_the_practice_story_through_graphql(gql, stack, infra, namespace):
    setup = await gql()(SETUP, {"m": {"oktmo": OKTMO, "name": "Людиновский район"}, "o": {
        "name": "МКОУ СОШ № 3", "kind": "SCHOOL", "municipalityOktmo": OKTMO, "inn": legal_inn(96_001)}})
    assert "errors" not in setup, setup
    org = setup["data"]["registerOrganisation"]["id"]
    methodist = gql("municipal_methodist", municipality=OKTMO)
    author = (await methodist(PERSON, {"i": {"lastName": "Зимина", "firstName": "Анна", "middleName": "Петровна",
                                             "birthDate": "1980-02-02", "snils": snils(961)}}))
    assert "errors" not in author, author
    author = author["data"]["createPerson"]["id"]
    practice = {"title": "Школа молодого педагога", "organisationId": org, "level": "MUNICIPAL",
                "subject": "mathematics", "authorIds": [author],
                "description": "Сопровождение молодого учителя опытным педагогом в роли наставника."}

    async def added():  # the events service learns the organisation from its projection of the registry
        r = await methodist(ADD, {"i": practice})
        return None if "errors" in r else r["data"]["addPractice"]
    made = await eventually(added)
    assert (made["status"], made["statusTitle"]) == ("IDENTIFIED", "выявлена")

    found = (await gql("analyst")(SEARCH, {"s": "наставничество", "f": {"municipalityOktmo": OKTMO}}))
    assert "errors" not in found, found
    page = found["data"]["practices"]
    assert page["totalCount"] == 1 and page["nodes"][0]["id"] == made["id"]
    assert "**наставника**" in page["nodes"][0]["snippet"]
    assert page["nodes"][0]["authors"][0]["id"] == author
    mine = await methodist(SEARCH, {"s": "наставничество"})
    assert mine["data"]["practices"]["nodes"][0]["authors"][0]["person"]["fullName"].startswith("Зимина")

    other = gql("municipal_methodist", municipality="29701000")
    refused = await other(STATUS, {"id": made["id"], "s": "STUDIED"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for status in ("STUDIED", "SUMMARISED"):
        moved = await methodist(STATUS, {"id": made["id"], "s": status})
        assert moved["data"]["changePracticeStatus"]["status"] == status, moved
    event = await _event(methodist, org)
    spread = await methodist(SPREAD, {"id": made["id"], "e": event})
    assert spread["data"]["disseminatePractice"] == {"status": "DISSEMINATED", "eventIds": [event]}

    gateway = f"{stack.services['gateway'].url}/graphql"
    attached = await _upload(gateway, token(infra, "municipal_methodist", municipality=OKTMO), made["id"],
                             b"%PDF-1.7 conspect")
    assert "errors" not in attached, attached
    material = attached["data"]["attachMaterial"]
    assert (material["fileType"], material["fileName"]) == ("pdf", "Конспект.pdf")
    refused = await _upload(gateway, token(infra, "municipal_methodist", municipality=OKTMO), made["id"],
                            b"<html><script>alert(1)</script>")
    assert refused["errors"][0]["extensions"]["field"] == "file"
    async with httpx.AsyncClient(timeout=30) as http:
        got = await http.get(f"{stack.services['events'].url}{material['url']}",
                             headers={"Authorization": f"Bearer {token(infra, 'analyst')}"})
    assert got.status_code == 200 and got.content == b"%PDF-1.7 conspect"
    assert got.headers["content-disposition"].startswith("attachment") and got.headers["x-content-type-options"]

    card = (await gql("analyst")(CARD, {"id": made["id"]}))["data"]["practice"]
    assert card["status"] == "DISSEMINATED" and card["materials"][0]["fileType"] == "pdf"
    assert card["events"] == [{"id": event, "title": "Семинар «Наставничество в школе»"}]

    async def published():
        records = await read_all(infra.bootstrap_servers, f"{namespace}.events.practices.v1")
        types = [json.loads(r.value)["type"].split(".")[-2] for r in records]
        return records if types.count("status_changed") == 3 else None
    records = await eventually(published)
    text = b"".join(r.value for r in records).decode()
    assert "Школа молодого педагога" not in text and "Зимина" not in text and made["id"] in text
