"""JSON Schema per event type and one AsyncAPI 3 document for all topics, generated from the models."""
from typing import Any

from .catalogue import EVENT_TYPES, TOPICS, EventType
from .envelope import CloudEvent

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def event_schema(et: EventType) -> dict[str, Any]:
    schema = et.model.model_json_schema(by_alias=True)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": et.dataschema,
        "title": et.type,
        "description": f"{et.title}. {(et.model.__doc__ or '').strip()}".strip(),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def _message(et: EventType) -> dict[str, Any]:
    data = {k: v for k, v in event_schema(et).items() if k not in ("$schema", "$id")}
    envelope = CloudEvent.model_json_schema()
    envelope["properties"]["type"] = {"const": et.type, "type": "string"}
    envelope["properties"]["data"] = data
    envelope["properties"]["dataschema"] = {"const": et.dataschema, "type": "string"}
    envelope.pop("title", None)
    return {
        "name": et.type,
        "title": et.title,
        "contentType": "application/cloudevents+json",
        "headers": {
            "type": "object",
            "properties": {
                "traceparent": {"type": "string", "description": "W3C trace context"},
                "content-type": {"type": "string"},
            },
        },
        "payload": envelope,
        "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id"}}},
    }


def _msg_id(et: EventType) -> str:
    return et.type.replace(".", "_")


def asyncapi() -> dict[str, Any]:
    channels, operations, messages = {}, {}, {}
    for topic, types in sorted(TOPICS.items()):
        channel_id = topic.replace(".", "_")
        channels[channel_id] = {
            "address": topic,
            "description": f"Topic {topic}; record key is the aggregate id, so one aggregate's events keep order.",
            "messages": {_msg_id(t): {"$ref": f"#/components/messages/{_msg_id(t)}"} for t in types},
        }
        operations[f"receive_{channel_id}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{_msg_id(t)}"} for t in types],
        }
        for t in types:
            messages[_msg_id(t)] = _message(t)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Metodset domain events",
            "version": "1.0.0",
            "description": "Public event topics of the Metodset regional methodical platform. "
            "Every record value is a CloudEvents 1.0 JSON document; delivery is at least once, so "
            "subscribers deduplicate by the CloudEvents id.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def all_event_schemas() -> dict[str, dict[str, Any]]:
    return {et.type: event_schema(et) for et in EVENT_TYPES}
