"""Which changes to a published event schema would break its subscribers.

Compatible: new optional fields, new enum values, changed descriptions. Breaking: a removed field, a
changed type or format, a new required field, a removed enum value. Breaking changes need a new major
version (a new event type and topic).
"""
from typing import Any

_IGNORED = {"title", "description", "default", "examples"}


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return _resolve(root["$defs"][ref.removeprefix("#/$defs/")], root)
    return schema


def _compare(old: dict, new: dict, old_root: dict, new_root: dict, path: str, out: list[str]) -> None:
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    if "enum" in old or "enum" in new:
        removed = set(old.get("enum", [])) - set(new.get("enum", []))
        if "enum" not in new and "type" in new and new.get("type") == old.get("type"):
            removed = set()
        if removed:
            out.append(f"{path}: enum values removed: {sorted(removed)}")
    for key in ("type", "format", "const", "pattern"):
        if old.get(key) != new.get(key) and key in old:
            out.append(f"{path}: {key} changed from {old.get(key)!r} to {new.get(key)!r}")
    for key in ("anyOf", "oneOf"):
        if key in old:
            if len(old[key]) != len(new.get(key, [])):
                out.append(f"{path}: {key} changed")
            else:
                for i, (o, n) in enumerate(zip(old[key], new[key], strict=True)):
                    _compare(o, n, old_root, new_root, f"{path}.{key}[{i}]", out)
    if "items" in old:
        _compare(old["items"], new.get("items", {}), old_root, new_root, f"{path}[]", out)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, prop in old_props.items():
        if name not in new_props:
            out.append(f"{path}.{name}: removed")
        else:
            _compare(prop, new_props[name], old_root, new_root, f"{path}.{name}", out)
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    for name in sorted(added_required):
        out.append(f"{path}.{name}: became required")


def breaking_changes(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    out: list[str] = []
    _compare(published, current, published, current, "$", out)
    return out
