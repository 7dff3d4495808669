"""Validation errors reach people in Russian: every common pydantic error type, with its limits filled in."""
from datetime import date
from enum import StrEnum
from typing import Literal
from uuid import UUID

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from metodset_kit.messages import russian, translated


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=5)
    code: str = Field(default="a", pattern=r"^[a-z]+$")
    count: int = Field(default=1, ge=1, le=10)
    day: date | None = None
    id: UUID | None = None
    colour: Colour = Colour.RED
    mode: Literal["x", "y"] = "x"
    items: list[int] = Field(default_factory=list, max_length=2)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if v.strip() == "":
            raise ValueError("Текст не может состоять из пробелов")
        return v


def messages(**data) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        Form.model_validate(data)
    return {".".join(map(str, err["loc"])): russian(err) for err in e.value.errors()}


def test_limits_formats_and_choices_are_named_in_russian():
    got = messages(text="", code="A1", count=11, day="31.12.2026", id="x", colour="blue", mode="z",
                   items=[1, 2, 3], other=1)
    assert got == {
        "text": "Поле не может быть пустым", "code": "Значение не соответствует формату", "count": "Не больше 10",
        "day": "Нужна дата (ГГГГ-ММ-ДД)", "id": "Нужен идентификатор (UUID)",
        "colour": "Допустимо: «red», «green»", "mode": "Допустимо: «x», «y»",
        "items": "Элементов не больше 2", "other": "Неизвестное поле"}


def test_missing_wrong_type_and_a_validators_own_message():
    assert messages() == {"text": "Обязательное поле"}
    assert messages(text="   ") == {"text": "Текст не может состоять из пробелов"}
    assert messages(text="ok", count="many") == {"count": "Нужно целое число"}
    assert messages(text="toolong") == {"text": "Не длиннее 5 симв."}


def test_translated_keeps_the_english_and_leaves_unknown_types_alone():
    error = {"type": "missing", "loc": ("body", "x"), "msg": "Field required"}
    assert translated(error) == {**error, "msg": "Обязательное поле", "msg_en": "Field required"}
    odd = {"type": "something_new", "loc": (), "msg": "Whatever"}
    assert translated(odd) == odd
