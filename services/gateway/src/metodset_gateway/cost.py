"""The cost of an operation, estimated from its document before anything runs.

A field costs 1 plus the cost of its selection; a list field multiplies the cost of its selection by its
page (`first`, or the field's default page). A paged field that is not a list is a connection
(connections.py): the lists directly in its selection (`nodes`) are multiplied by its page. Fragments are
expanded, aliases count separately and a cycle through the same list field counts every time, so
`organisation → municipality → organisations { nodes }` nested five times costs about page⁵.
Pure: no I/O, no request state."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
)

from .limits import MAX_PAGE, UNPAGED_LIST_SIZE

Pages = Mapping[tuple[str, str], int]


def operation_cost(schema: GraphQLSchema, document: DocumentNode, pages: Pages, *,
                   variables: Mapping[str, Any] | None = None, operation_name: str | None = None,
                   unpaged: int = UNPAGED_LIST_SIZE) -> int:
    operation = get_operation_ast(document, operation_name)
    root = operation and schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _Estimate(schema, fragments, pages, variables or {}, unpaged).selections(root, operation.selection_set)


class _Estimate:
    """`within`: the page of the connection field whose own selection is being estimated; the connection's
    list fields (`nodes`) are that page, not lists of their own."""

    def __init__(self, schema, fragments, pages, variables, unpaged):
        self.schema, self.fragments, self.pages = schema, fragments, pages
        self.variables, self.unpaged = variables, unpaged
        self.fragment_costs: dict[tuple[str, int | None], int] = {}  # depends on the name and `within` only

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None,
                   within: int | None = None) -> int:
        total = 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                total += self.field(parent, node, within)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition and self.schema.get_type(node.type_condition.name.value)
                total += self.selections(condition or parent, node.selection_set, within)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value, within)
        return total

    def fragment(self, name: str, within: int | None) -> int:
        key = (name, within)
        if key not in self.fragment_costs:
            self.fragment_costs[key] = 0  # a cycle (refused by validation anyway) adds nothing
            definition = self.fragments.get(name)
            condition = definition and self.schema.get_type(definition.type_condition.name.value)
            self.fragment_costs[key] = self.selections(condition, definition.selection_set, within) \
                if condition else 0
        return self.fragment_costs[key]

    def field(self, parent: GraphQLNamedType, node: FieldNode, within: int | None = None) -> int:
        name = node.name.value
        definition = None if name.startswith("__") else getattr(parent, "fields", {}).get(name)
        if definition is None:  # introspection is bounded by the schema itself
            return 1
        named, listed = get_named_type(definition.type), is_list_type(get_nullable_type(definition.type))
        paged = (parent.name, name) in self.pages
        if paged and not listed:  # a connection: its lists hold one page of this field
            return 1 + self.selections(named, node.selection_set, self.page(parent.name, node))
        inner = self.selections(named, node.selection_set)
        if not listed:
            return 1 + inner
        size = self.page(parent.name, node) if paged else within if within is not None else self.unpaged
        return 1 + size * max(inner, 1)

    def page(self, parent: str, node: FieldNode) -> int:
        default = self.pages.get((parent, node.name.value))
        if default is None:
            return self.unpaged
        first = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        if isinstance(first, VariableNode):
            first = self.variables.get(first.name.value)
        elif isinstance(first, IntValueNode):
            first = int(first.value)
        if not isinstance(first, int) or isinstance(first, bool):
            return default
        return min(max(first, 0), MAX_PAGE)  # out of range is refused by the field itself
