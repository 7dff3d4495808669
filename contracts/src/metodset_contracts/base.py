from typing import Any, Self

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class EventData(BaseModel):
    """Payload of a published event: camelCase on the wire, unknown fields tolerated for forward compatibility."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)

    @classmethod
    def of(cls, fields: dict[str, Any]) -> Self:
        """Validated from field names (or aliases), as `cls(**fields)` is, without the constructor's own cost
        (half of it for a small model): bulk changes build one per row."""
        return cls.__pydantic_validator__.validate_python(fields)
