import copy
import json
import uuid
from pathlib import Path

import jsonschema

from metodset_contracts import EVENT_TYPES, CloudEvent
from metodset_contracts.organisations import OrganisationKind, OrganisationRegistered
from metodset_kit.events import new_event, outgoing
from metodset_tools import contracts_tool

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_contracts_match_the_code():
    assert contracts_tool.drift(ROOT) == []


def test_code_keeps_published_event_schemas_compatible():
    assert contracts_tool.incompatibilities(ROOT) == []


def test_every_event_type_is_published():
    published = {p.stem for p in (ROOT / "contracts" / "published").glob("*.json")}
    assert {t.type for t in EVENT_TYPES} <= published


def test_removing_a_field_from_a_published_event_is_rejected(tmp_path):
    published = tmp_path / "contracts" / "published"
    published.mkdir(parents=True)
    name = "ru.metodset.registry.organisation.registered.v1.json"
    schema = json.loads((ROOT / "contracts" / "published" / name).read_text())
    schema = copy.deepcopy(schema)
    schema["properties"]["formerField"] = {"type": "string"}
    (published / name).write_text(json.dumps(schema))
    assert contracts_tool.incompatibilities(tmp_path) == [
        "ru.metodset.registry.organisation.registered.v1: $.formerField: removed"]
    assert contracts_tool.write(tmp_path) == 1


def test_an_emitted_event_validates_against_its_checked_in_schema():
    data = OrganisationRegistered(organisation_id=uuid.uuid4(), version=1, municipality_oktmo="29701000",
                                  kind=OrganisationKind.SCHOOL, name="МБОУ СОШ № 1", inn="7707083893")
    event = new_event(data, source="urn:metodset:registry", subject="organisation/x")
    schema = json.loads((ROOT / "contracts" / "events" / f"{event.type}.json").read_text())
    jsonschema.validate(event.data, schema)
    bad = {**event.data, "kind": "castle"}
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as exc:
        assert "castle" in exc.message
    else:
        raise AssertionError("an unknown kind must not validate")


def test_asyncapi_lists_every_topic_with_its_messages():
    doc = json.loads((ROOT / "contracts" / "asyncapi.json").read_text())
    assert doc["asyncapi"].startswith("3.")
    addresses = {c["address"] for c in doc["channels"].values()}
    assert {t.topic for t in EVENT_TYPES} <= addresses
    assert len(doc["components"]["messages"]) == len(EVENT_TYPES)


def test_the_outbox_encoding_is_the_cloudevent_the_model_would_write():
    data = OrganisationRegistered(organisation_id=uuid.uuid4(), version=1, municipality_oktmo="29701000",
                                  kind=OrganisationKind.SCHOOL, name="МБОУ «СОШ № 1» \"кавычки\"", inn="7707083893")
    out = outgoing(data, source="urn:metodset:registry", subject="organisation/x", key="k")
    parsed = CloudEvent.from_bytes(out.value)
    model = new_event(data, source="urn:metodset:registry", subject="organisation/x")
    same = {"id", "time"}
    assert parsed.model_dump(exclude=same) == model.model_dump(exclude=same)
    assert (parsed.id, parsed.type, out.topic, out.key) == (out.id, out.type, "registry.organisations.v1", "k")
    schema = json.loads((ROOT / "contracts" / "events" / f"{out.type}.json").read_text())
    jsonschema.validate(parsed.data, schema)
    assert parsed.time.tzinfo is not None
