"""The shared rules for hostile input: text the database cannot store, nesting, echoes."""
import json
import random

from metodset_kit.hostile import (
    NUL,
    SURROGATE,
    bad_text,
    find_bad_text,
    json_too_deep,
    prefix,
    structure,
    value_depth,
)


def test_nul_and_lone_surrogates_are_bad_text_and_ordinary_text_is_not():
    assert bad_text("a\x00b") == NUL
    assert bad_text("a\ud800b") == SURROGATE
    assert bad_text("Школа № 1 😀") is None


def test_the_path_of_the_first_bad_string_is_found_in_nested_values():
    value = {"rows": [{"name": "ok"}, {"name": "x\x00"}]}
    assert find_bad_text(value) == (("rows", 1, "name"), NUL)
    assert find_bad_text({"k\ud800": 1}) == (("k\ud800",), SURROGATE)
    assert find_bad_text({"a": [1, 2.5, None, True]}) is None


def test_deep_json_is_found_without_parsing_and_strings_do_not_count():
    assert json_too_deep("[" * 1000 + "]" * 1000)
    assert not json_too_deep('{"a": [[1]], "b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')
    assert not json_too_deep(json.dumps({"s": 'quote \\" [[[[' * 20}))
    assert json_too_deep(b'{"a":' * 40 + b"1" + b"}" * 40)


def _brackets_by_parsing(value) -> str:
    """The structure a parser sees, for comparison: brackets of containers only, never of strings."""
    if isinstance(value, dict):
        return "{" + "".join(_brackets_by_parsing(v) for v in value.values()) + "}"
    if isinstance(value, list):
        return "[" + "".join(_brackets_by_parsing(v) for v in value) + "]"
    return ""


def _random_value(rng: random.Random, depth: int = 0):
    pieces = ['"', "\\", "[", "]", "{", "}", "\\\"", "Школа", "\\u0022", " ", "\\\\\""]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
    if depth > 4 or rng.random() < 0.3:
        return rng.choice([text, 1, None, 2.5])
    if rng.random() < 0.5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {text + str(i): _random_value(rng, depth + 1) for i in range(rng.randint(0, 3))}


def test_the_structure_outside_strings_is_what_a_parser_sees():
    """Quotes, backslashes and brackets inside keys and strings, escaped every way JSON allows."""
    rng = random.Random(7)
    for _ in range(2000):
        value = _random_value(rng)
        for ensure_ascii in (True, False):
            document = json.dumps(value, ensure_ascii=ensure_ascii).encode()
            assert structure(document).decode() == _brackets_by_parsing(value), document


def test_value_depth_is_measured_iteratively():
    deep = current = []
    for _ in range(5000):
        current.append([])
        current = current[0]
    assert value_depth(deep) == 5001
    assert value_depth({"a": {"b": 1}}) == 2


def test_echoes_are_short_prefixes():
    assert prefix("x" * 1000) == "x" * 40 + "…"
    assert prefix("short") == "short"
    assert prefix(list(range(10))) == "<list of 10>"


def test_documents_that_may_hold_bad_text_are_told_apart_without_decoding():
    from metodset_kit.hostile import may_hold_bad_text

    clean = json.dumps({"name": "Школа № 1 😀", "s": "\\u0000 is text here"}, ensure_ascii=False).encode()
    assert not may_hold_bad_text(json.dumps({"name": "Школа"}, ensure_ascii=True).encode())
    assert not may_hold_bad_text(json.dumps({"name": "Школа"}, ensure_ascii=False).encode())
    assert may_hold_bad_text(json.dumps({"a": "x\x00"}).encode())
    assert may_hold_bad_text(b'{"a": "\\uD800"}') and may_hold_bad_text(b'{"a": "\\udfff"}')
    assert may_hold_bad_text(b'{"a": "\xed\xa0\x80"}')
    assert may_hold_bad_text(clean)  # a literal backslash-u0000 looks suspicious: the slow check clears it
    assert find_bad_text(json.loads(clean)) is None
    for raw in (json.dumps({"a": "x\x00"}).encode(), b'{"a": "\\uD800"}', b'{"a": "\xed\xa0\x80"}'):
        assert find_bad_text(json.loads(raw)) is not None  # every document flagged bad really is
