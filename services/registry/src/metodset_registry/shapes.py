"""The registry's REST field types (trimmed, checked for hostile text) and the base shape of its requests and
responses (camelCase JSON)."""
from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

from metodset_kit.hostile import bad_text

from .domain.identifiers import LEGAL_INN_PATTERN, OGRN_PATTERN, OKTMO_PATTERN, legal_inn_problem, ogrn_problem


def _checked(problem):
    def check(value: str) -> str:
        reason = problem(value)
        if reason:
            raise ValueError(reason)
        return value
    return check


_PHONE = re.compile(r"[0-9 +()\-]+")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


def _phone_problem(value: str) -> str | None:
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.fullmatch(value) or not 5 <= digits <= 15:
        return "Телефон: цифры (от 5 до 15), пробелы и знаки + ( ) - / phone: digits, spaces, + ( ) -"
    return None


def _email_problem(value: str) -> str | None:
    if not _EMAIL.fullmatch(value):
        return "Адрес электронной почты вида имя@домен.зона / e-mail must look like name@domain.tld"
    return None


def _website_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        return "Сайт: адрес, начинающийся с http:// или https:// / website must be an http(s) URL"
    return None


def _text(max_length: int, *checks):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
                     AfterValidator(_checked(bad_text)), *(AfterValidator(_checked(c)) for c in checks)]


Name = _text(500)
ShortName = _text(150)
Oktmo = Annotated[str, StringConstraints(pattern=OKTMO_PATTERN)]
Inn = Annotated[str, StringConstraints(pattern=LEGAL_INN_PATTERN), AfterValidator(_checked(legal_inn_problem))]
Ogrn = Annotated[str, StringConstraints(pattern=OGRN_PATTERN), AfterValidator(_checked(ogrn_problem))]
Address = _text(500)
Phone = _text(40, _phone_problem)
Email = _text(254, _email_problem)
Website = _text(500, _website_problem)
MunicipalityName = _text(300)
Source = _text(1000)
Topic = _text(1000)
OrderNumber = _text(100)


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
