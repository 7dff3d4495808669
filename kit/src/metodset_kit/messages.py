"""Russian messages for pydantic's validation errors: what a person sees when a field is wrong. Each error keeps
its English text as `msg_en`; a message a validator wrote itself (already Russian) is kept as it is."""
from __future__ import annotations

import re
from typing import Any

_BY_TYPE: dict[str, str] = {
    "missing": "Обязательное поле",
    "extra_forbidden": "Неизвестное поле",
    "string_type": "Нужна строка",
    "string_too_short": "Не короче {min_length} симв.",
    "string_too_long": "Не длиннее {max_length} симв.",
    "string_pattern_mismatch": "Значение не соответствует формату",
    "string_unicode": "Строка содержит недопустимые символы",
    "int_type": "Нужно целое число",
    "int_parsing": "Нужно целое число",
    "int_from_float": "Нужно целое число (без дробной части)",
    "float_type": "Нужно число",
    "float_parsing": "Нужно число",
    "finite_number": "Нужно конечное число",
    "decimal_parsing": "Нужно число",
    "decimal_type": "Нужно число",
    "decimal_max_digits": "Не больше {max_digits} цифр",
    "decimal_max_places": "Не больше {decimal_places} знаков после запятой",
    "bool_type": "Нужно true или false",
    "bool_parsing": "Нужно true или false",
    "greater_than": "Больше {gt}",
    "greater_than_equal": "Не меньше {ge}",
    "less_than": "Меньше {lt}",
    "less_than_equal": "Не больше {le}",
    "multiple_of": "Кратно {multiple_of}",
    "date_type": "Нужна дата (ГГГГ-ММ-ДД)",
    "date_parsing": "Нужна дата (ГГГГ-ММ-ДД)",
    "date_from_datetime_parsing": "Нужна дата (ГГГГ-ММ-ДД)",
    "date_from_datetime_inexact": "Нужна дата без времени",
    "datetime_type": "Нужны дата и время (ISO 8601, например 2026-09-01T10:00:00+03:00)",
    "datetime_parsing": "Нужны дата и время (ISO 8601, например 2026-09-01T10:00:00+03:00)",
    "datetime_from_date_parsing": "Нужны дата и время (ISO 8601, например 2026-09-01T10:00:00+03:00)",
    "timezone_aware": "Укажите часовой пояс (например, +03:00)",
    "time_parsing": "Нужно время (ЧЧ:ММ)",
    "uuid_type": "Нужен идентификатор (UUID)",
    "uuid_parsing": "Нужен идентификатор (UUID)",
    "enum": "Допустимо: {expected}",
    "literal_error": "Допустимо: {expected}",
    "list_type": "Нужен список",
    "tuple_type": "Нужен список",
    "set_type": "Нужен список",
    "dict_type": "Нужен объект",
    "model_type": "Нужен объект",
    "model_attributes_type": "Нужен объект",
    "too_short": "Элементов не меньше {min_length}",
    "too_long": "Элементов не больше {max_length}",
    "json_invalid": "Тело запроса — не JSON",
    "json_type": "Нужен JSON",
    "url_parsing": "Нужен адрес (URL)",
    "url_scheme": "Адрес должен начинаться с {expected_schemes}",
    "value_error": "{error}",
    "assertion_error": "{error}",
}
_AT_LEAST_ONE = {"string_too_short": "Поле не может быть пустым", "too_short": "Нужен хотя бы один элемент"}
_QUOTED = re.compile(r"'([^']*)'")
_VALIDATOR_PREFIXES = ("Value error, ", "Assertion failed, ")


def russian(error: dict[str, Any]) -> str:
    """The Russian message of one pydantic error (a dict of ValidationError.errors())."""
    message = str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    if kind in _AT_LEAST_ONE and (error.get("ctx") or {}).get("min_length") == 1:
        return _AT_LEAST_ONE[kind]
    template = _BY_TYPE.get(kind)
    if template is None:
        return message
    if template == "{error}":
        return next((message[len(p):] for p in _VALIDATOR_PREFIXES if message.startswith(p)), message)
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return message


def _plain(value: Any) -> str:
    """pydantic lists allowed values as 'a', 'b' or 'c': the same list in Russian quotes."""
    items = _QUOTED.findall(str(value))
    return ", ".join(f"«{i}»" for i in items) if items else str(value)


def translated(error: dict[str, Any]) -> dict[str, Any]:
    """The error with its Russian message as `msg` and pydantic's English one as `msg_en`."""
    message = russian(error)
    if message == error.get("msg"):
        return error
    return {**error, "msg": message, "msg_en": error.get("msg")}
