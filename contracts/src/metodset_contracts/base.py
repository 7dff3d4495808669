from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class EventData(BaseModel):
    """Payload of a published event: camelCase on the wire, unknown fields tolerated for forward compatibility."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)
