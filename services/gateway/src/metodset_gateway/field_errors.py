"""Validation errors on arguments name the input field they are about, in `extensions.field`.

graphql-core says "String cannot represent a non string value: 5" for `input: {name: 5}`; this extension
turns it into "input.name: String cannot ..." with `extensions.field = "name"`. For variables graphql-core
names the path in the message ("... invalid value at .name: ..."); the field goes to extensions too.
"""
from __future__ import annotations

import re

from graphql import ArgumentNode, ListValueNode, ObjectValueNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension


def _walk(value, path: str, out: dict[int, str]) -> None:
    out[id(value)] = path
    if isinstance(value, ObjectValueNode):
        for f in value.fields:
            _walk(f.value, f"{path}.{f.name.value}", out)
    elif isinstance(value, ListValueNode):
        for i, item in enumerate(value.values):
            _walk(item, f"{path}[{i}]", out)


def value_paths(document) -> dict[int, str]:
    out: dict[int, str] = {}

    class _Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_):
            _walk(node.value, node.name.value, out)

    visit(document, _Arguments())
    return out


_VARIABLE_PATH = re.compile(r"invalid value at \.([\w.\[\]]+):")
_MISSING_FIELD = re.compile(r"to include required field '(\w+)'")


def field_of_variable_error(message: str) -> str | None:
    found = _VARIABLE_PATH.search(message) or _MISSING_FIELD.search(message)
    return re.sub(r"\[\d+\]", "", found[1]).rsplit(".", 1)[-1] if found else None


class NameTheField(SchemaExtension):
    def on_validate(self):
        yield
        ctx = self.execution_context
        if not ctx.pre_execution_errors or ctx.graphql_document is None:
            return
        paths = value_paths(ctx.graphql_document)
        for error in ctx.pre_execution_errors:
            path = next((paths[id(n)] for n in error.nodes or [] if id(n) in paths), None)
            if path:
                error.message = f"{path}: {error.message}"
                error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT",
                                    "field": path.rsplit(".", 1)[-1], "path": path}

    def on_execute(self):
        yield
        result = self.execution_context.result
        for error in (result.errors if result else None) or []:
            field = field_of_variable_error(error.message)
            if field and not (error.extensions or {}).get("field"):
                error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT", "field": field}
