"""Pure checks of untrusted input that every entry point applies: text the database cannot store, nesting
that would exhaust the parser's stack. The REST services and the gateway answer them in their own shapes
(a 422 naming the field, a GraphQL error with `extensions.field`) but decide with these same rules."""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

NUL = "Недопустимый символ NUL (\\u0000) / NUL character is not allowed"
SURROGATE = "Недопустимый символ: одиночный суррогат UTF-16 / lone UTF-16 surrogate is not allowed"
MAX_JSON_DEPTH = 32  # no document of the platform nests deeper than a few levels
INT64_MAX = 2**63 - 1  # PostgreSQL bigint; offsets and counts never go beyond


def bad_text(value: str) -> str | None:
    """Why PostgreSQL (or UTF-8) could not take this string, or None when it can."""
    if "\x00" in value:
        return NUL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE
    return None


Path = tuple[str | int, ...]


def _walk(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from _walk(item, path + (key,))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, path + (i,))


def find_bad_text(value: Any, path: Path = ()) -> tuple[Path, str] | None:
    """The path of the first string (or key) in a decoded JSON value that the database cannot store."""
    for where, text in _walk(value, path):
        reason = bad_text(text)
        if reason:
            return where, reason
    return None


_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and -1 as signed bytes


def json_too_deep(raw: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON document nests arrays and objects deeper than `limit`, found without parsing it
    (the standard parser recurses, so a document nested a thousand deep would exhaust its stack).
    Strings are cut out, the brackets left are turned into steps of +1 and -1, and the running sum is the
    depth: each step runs in C, so a bulk import's body costs a fraction of a millisecond."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    steps = structure(data).translate(_STEPS)
    return max(accumulate(array("b", steps)), default=0) > limit


def structure(data: bytes) -> bytes:
    """The brackets of a JSON document that are outside its strings. Escaped backslashes go first, then
    escaped quotes (a backslash in JSON always starts an escape, read left to right as `replace` does), so
    every quote left opens or closes a string, and every other piece between quotes is outside one."""
    plain = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    return b"".join(plain.split(b'"')[::2])


def may_hold_bad_text(raw: bytes) -> bool:
    """Whether a JSON document might decode to a string with NUL or a lone surrogate: a fast look for the
    escapes and bytes that could; only a document that has one needs decoding and walking."""
    if b"\x00" in raw or b"\\u0000" in raw:
        return True
    if (b"\\ud" in raw or b"\\uD" in raw) and _SURROGATE_ESCAPE.search(raw):
        return True
    return b"\xed" in raw and _SURROGATE_BYTES.search(raw) is not None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE_BYTES = re.compile(rb"\xed[\xa0-\xbf]")  # UTF-8 that json.loads decodes with surrogatepass


def value_depth(value: Any) -> int:
    """Nesting depth of an already decoded value (iterative, so any depth is measured safely)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(item, list | tuple):
            stack.extend((v, depth + 1) for v in item)
            deepest = max(deepest, depth + 1)
    return deepest


def prefix(value: Any, limit: int = 40) -> Any:
    """What an error may echo of an offending value: a short prefix, never the whole of it."""
    if isinstance(value, str | bytes) and len(value) > limit:
        return value[:limit] + ("…" if isinstance(value, str) else b"...")
    if isinstance(value, dict | list | tuple):
        return f"<{type(value).__name__} of {len(value)}>"
    return value
