"""Building CloudEvents for the outbox from the contract's event models."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from metodset_contracts import CloudEvent, event_type
from metodset_contracts.base import EventData


def new_event(data: EventData, *, source: str, subject: str) -> CloudEvent:
    et = event_type(type(data))
    return CloudEvent.model_construct(  # the data model validated the facts already
        id=uuid.uuid4(),
        source=source,
        type=et.type,
        subject=subject,
        time=datetime.now(UTC),
        dataschema=et.dataschema,
        data=data.model_dump(mode="json", by_alias=True),
        specversion="1.0",
        datacontenttype="application/json",
    )
