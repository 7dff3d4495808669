"""Building blocks of the services' REST request and response shapes: camelCase JSON that refuses unknown
fields, and text the database can store (no NUL, no lone surrogate), trimmed and bounded."""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

from .hostile import bad_text


def storable(value: str) -> str:
    reason = bad_text(value)
    if reason:
        raise ValueError(reason)
    return value


def Text(max_length: int):  # noqa: N802 - a type
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
                     AfterValidator(storable)]


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
