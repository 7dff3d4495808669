from metodset_contracts.compat import breaking_changes

BASE = {"type": "object", "properties": {"a": {"type": "string"}, "k": {"enum": ["x", "y"], "type": "string"}},
        "required": ["a"]}


def test_new_optional_field_is_compatible():
    new = {**BASE, "properties": {**BASE["properties"], "b": {"type": "integer"}}}
    assert breaking_changes(BASE, new) == []


def test_removed_field_breaks():
    new = {**BASE, "properties": {"k": BASE["properties"]["k"]}}
    assert breaking_changes(BASE, new) == ["$.a: removed"]


def test_changed_type_breaks():
    new = {**BASE, "properties": {**BASE["properties"], "a": {"type": "integer"}}}
    assert any("type changed" in c for c in breaking_changes(BASE, new))


def test_new_required_field_breaks():
    new = {**BASE, "properties": {**BASE["properties"], "b": {"type": "string"}}, "required": ["a", "b"]}
    assert breaking_changes(BASE, new) == ["$.b: became required"]


def test_removed_enum_value_breaks_added_one_does_not():
    added = {**BASE, "properties": {**BASE["properties"], "k": {"enum": ["x", "y", "z"], "type": "string"}}}
    removed = {**BASE, "properties": {**BASE["properties"], "k": {"enum": ["x"], "type": "string"}}}
    assert breaking_changes(BASE, added) == []
    assert breaking_changes(BASE, removed) == ["$.k: enum values removed: ['y']"]
