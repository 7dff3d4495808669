"""Schema extensions and a validation rule that refuse hostile or too costly operations before they run."""
from __future__ import annotations

import functools
import re
from collections import Counter, OrderedDict
from collections.abc import Mapping
from typing import Any

from graphql import ExecutionResult, GraphQLError, GraphQLSyntaxError, Lexer, Source, TokenKind, parse
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension

from metodset_kit.hostile import SURROGATE, bad_text, find_bad_text, value_depth

from .cost import operation_cost
from .limits import (
    MAX_COMMENTS,
    MAX_DIRECTIVES,
    MAX_DOCUMENT_BYTES,
    MAX_FIELDS,
    MAX_TOKENS,
    MAX_VARIABLE_DEPTH,
    MAX_VARIABLES,
    Limits,
)
from .paging import list_pages

REPORTED_COST_CAP = 10**15  # what a client reads stays an exact JSON number


def _too_large(message: str, limit: int, **extra) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_LARGE", "limit": limit, **extra})


@functools.lru_cache(maxsize=256)
def _parse(query: str):
    return parse(query, max_lexical_tokens=MAX_TOKENS, max_comments=MAX_COMMENTS)


class DocumentGate(SchemaExtension):
    """Parsing with bounds: the size is checked before the parser runs, the tokens while it runs.
    Replaces strawberry's ParserCache (the cache is here, keyed by the query text)."""

    def on_parse(self):
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query is not None:
            size = len(ctx.query.encode("utf-8", "surrogatepass"))
            if size > MAX_DOCUMENT_BYTES:
                raise _too_large(f"Документ запроса больше {MAX_DOCUMENT_BYTES} байт ({size})",
                                 MAX_DOCUMENT_BYTES, bytes=size)
            try:
                ctx.graphql_document = _parse(ctx.query)
            except GraphQLSyntaxError as error:
                raise _explained(error, ctx.query) from None
        yield


_TOO_MANY = re.compile(r"Document contains more than (\d+) (tokens|comments)")
_SURROGATE_ERROR = re.compile(r"U\+D[89A-F][0-9A-F]{2}|\\u\{?[dD][89a-fA-F]", re.IGNORECASE)


def _explained(error: GraphQLSyntaxError, query: str) -> GraphQLError:
    """Say in Russian which bound a document broke, and name the field of a string the parser refused."""
    if found := _TOO_MANY.search(error.message):
        what = "лексем" if found[2] == "tokens" else "комментариев"
        return _too_large(f"В документе запроса больше {found[1]} {what}", int(found[1]))
    if _SURROGATE_ERROR.search(error.message) or bad_text(query) == SURROGATE:
        field = field_at(query, (error.positions or [len(query)])[0])
        return GraphQLError(f"{field + ': ' if field else ''}{SURROGATE}", source=error.source,
                            positions=error.positions,
                            extensions={"code": "BAD_USER_INPUT", **({"field": field} if field else {})})
    return error


def field_at(query: str, position: int) -> str | None:
    """The argument or input field whose value is at `position`: the last `name:` inside parentheses before
    it (outside them `name:` is an alias)."""
    lexer, field, previous, parens = Lexer(Source(query)), None, None, 0
    try:
        while (token := lexer.advance()).kind is not TokenKind.EOF and token.start < position:
            parens += {TokenKind.PAREN_L: 1, TokenKind.PAREN_R: -1}.get(token.kind, 0)
            if token.kind is TokenKind.COLON and parens and previous and previous.kind is TokenKind.NAME:
                field = previous.value
            previous = token
    except GraphQLSyntaxError:
        pass  # the token at `position` itself is the bad one
    return field


_BOUNDS = (("fields", MAX_FIELDS, "полей"), ("directives", MAX_DIRECTIVES, "директив"),
           ("variables", MAX_VARIABLES, "переменных"))


class DocumentBounds(ASTValidationRule):
    """Counts what a document contains, and refuses string literals the database could not store."""

    def __init__(self, context):
        super().__init__(context)
        self.counts: Counter[str] = Counter()

    def enter_field(self, *_):
        self.counts["fields"] += 1

    def enter_directive(self, *_):
        self.counts["directives"] += 1

    def enter_variable_definition(self, *_):
        self.counts["variables"] += 1

    def enter_string_value(self, node, *_):
        if reason := bad_text(node.value):
            self.report_error(GraphQLError(reason, node, extensions={"code": "BAD_USER_INPUT"}))

    def leave_document(self, *_):
        for name, limit, caption in _BOUNDS:
            if self.counts[name] > limit:
                self.report_error(_too_large(f"В документе запроса больше {limit} {caption} "
                                             f"({self.counts[name]})", limit, bound=name))


def variables_error(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    """Variables too deep, or holding text the database cannot store, name the variable's field."""
    for name, value in (variables or {}).items():
        if value_depth(value) > MAX_VARIABLE_DEPTH:
            return GraphQLError(f"${name}: вложенность переменной больше {MAX_VARIABLE_DEPTH} уровней",
                                extensions={"code": "BAD_USER_INPUT", "field": name, "limit": MAX_VARIABLE_DEPTH})
    if found := find_bad_text(dict(variables or {})):
        path, reason = found
        field = next((p for p in reversed(path) if isinstance(p, str)), None)
        dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return GraphQLError(f"{dotted}: {reason}", extensions={"code": "BAD_USER_INPUT", "field": field})
    return None


class _Costs:
    """Estimated costs by query text, operation and the integer variables (only they can set `first`)."""

    def __init__(self, size: int = 256):
        self.size, self.items = size, OrderedDict()

    def get(self, schema, ctx) -> int:
        ints = tuple(sorted((k, v) for k, v in (ctx.variables or {}).items() if type(v) is int))
        key = (ctx.query, ctx.operation_name, ints)
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        cost = operation_cost(schema, ctx.graphql_document, _pages(schema), variables=ctx.variables,
                              operation_name=ctx.operation_name)
        if ctx.query is not None:
            self.items[key] = cost
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return cost


@functools.cache
def _pages(schema):
    return list_pages(schema)


_COSTS = _Costs()


class OperationGate(SchemaExtension):
    """After validation, before execution: hostile variables, then the cost against the caller's limit."""

    def on_execute(self):
        ctx = self.execution_context
        error = variables_error(ctx.variables) or self._too_costly()
        if error is not None:
            ctx.result = ExecutionResult(data=None, errors=[error])
        yield

    def _too_costly(self) -> GraphQLError | None:
        ctx = self.execution_context
        limits = getattr(ctx.context, "limits", None) or Limits()
        limit = limits.cost_limit(getattr(ctx.context, "principal", None))
        cost = _COSTS.get(ctx.schema._schema, ctx)
        if cost <= limit:
            return None
        shown = min(cost, REPORTED_COST_CAP)
        return GraphQLError(f"Запрос слишком дорогой: оценка стоимости {shown} больше предела {limit} для вашей "
                            f"роли; уменьшите first или вложенность списков",
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": shown, "limit": limit})
