"""Building CloudEvents for the outbox from the contract's event models."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import NamedTuple

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.base import EventData

from . import ids


class Outgoing(NamedTuple):
    """An event ready for the outbox: its id and type, the topic and record key, the encoded CloudEvent.
    A named tuple: bulk imports make tens of thousands, and a frozen dataclass costs twice as much to build."""

    id: uuid.UUID
    type: str
    topic: str
    key: str
    value: bytes

    @classmethod
    def of(cls, key: str, event: CloudEvent) -> Outgoing:
        return cls(event.id, event.type, event_type(event.type).topic, key, event.to_bytes())


_STRING = json.encoder.encode_basestring  # a JSON string literal, UTF-8 kept as it is
def now() -> str:
    """The CloudEvents `time` of events happening now (RFC 3339, UTC)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def outgoing(data: EventData, *, source: str, subject: str, key: str, time: str | None = None,
             event_id: uuid.UUID | None = None) -> Outgoing:
    """Encode an event for the outbox. The same document `new_event(...).to_bytes()` gives, written directly:
    bulk imports encode tens of thousands of these, and a model per envelope costs more than the rest.
    The events of one change share its `time` (from `now()`); a bulk change may pass ids from `ids.uuid7s`."""
    model = type(data)
    et = event_type(model)
    event_id = event_id or ids.uuid7()
    envelope = (f'{{"specversion":"1.0","id":"{event_id}","source":{_STRING(source)},"type":"{et.type}",'
                f'"subject":{_STRING(subject)},"time":"{time or now()}","datacontenttype":"application/json",'
                f'"dataschema":"{et.dataschema}","data":')
    # the model's serializer called directly: model_dump_json's wrapper costs as much again
    data_json = model.__pydantic_serializer__.to_json(data, by_alias=True)
    return Outgoing(event_id, et.type, et.topic, key, b"".join((envelope.encode(), data_json, b"}")))


def new_event(data: EventData, *, source: str, subject: str) -> CloudEvent:
    et = event_type(type(data))
    return CloudEvent.model_construct(  # the data model validated the facts already
        id=ids.uuid7(),
        source=source,
        type=et.type,
        subject=subject,
        time=datetime.now(UTC),
        dataschema=et.dataschema,
        data=data.model_dump(mode="json", by_alias=True),
        specversion="1.0",
        datacontenttype="application/json",
    )
