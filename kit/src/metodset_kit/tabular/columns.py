"""Column specs as data, and what a kind of import declares: its columns and a batch row handler."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOL = "bool"  # да / нет
    CHOICE = "choice"  # one value of a catalogue
    CHOICES = "choices"  # several values of a catalogue, separated by «;» or «,»


TYPE_HELP = {
    ColumnType.TEXT: "текст",
    ColumnType.DATE: "дата ДД.ММ.ГГГГ",
    ColumnType.DECIMAL: "число, дробная часть через запятую или точку",
    ColumnType.INTEGER: "целое число",
    ColumnType.BOOL: "«да» или «нет»",
    ColumnType.CHOICE: "одно значение из списка",
    ColumnType.CHOICES: "одно или несколько значений из списка через «;»",
}

_SPACES = re.compile(r"\s+")


def folded(text: str) -> str:
    """A caption or catalogue title compared as people mean it: case, spaces and ё/е do not matter."""
    return _SPACES.sub(" ", text.replace("ё", "е").replace("Ё", "Е")).strip().casefold()


@dataclass(frozen=True)
class Catalogue:
    """Allowed values: (code, title) pairs; a cell may hold the title (as people write it) or the code."""

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, pairs) -> Catalogue:
        return cls(tuple((str(c), str(t)) for c, t in (pairs.items() if isinstance(pairs, dict) else pairs)))

    def __post_init__(self):
        lookup = {}
        for code, title in self.items:
            lookup.setdefault(folded(title), code)
            lookup.setdefault(folded(code), code)
        object.__setattr__(self, "_lookup", lookup)

    def code(self, text: str) -> str | None:
        return self._lookup.get(folded(text))  # type: ignore[attr-defined]

    def title(self, code: str) -> str:
        return dict(self.items).get(code, code)

    @property
    def titles(self) -> list[str]:
        return [t for _, t in self.items]


@dataclass(frozen=True)
class Column:
    key: str
    caption: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    help: str = ""
    example: str = ""
    catalogue: Catalogue | None = None
    unknown: str = "Нет такого значения"  # a catalogue miss: «Нет такой должности» «учитль»; возможно, «учитель»
    check: Callable[[Any], str | None] | None = None  # a domain validator (checksums): why the value is bad
    # False: the catalogue only lists the values in the template (drop-down, instruction) and the cell goes to
    # the handler as text, for a catalogue the region extends in the database (the handler resolves it)
    validated: bool = True
    unique: bool = False  # a value may appear once in a file (a repetition is a bad row)
    width: int = 20

    def __post_init__(self):
        if self.type in (ColumnType.CHOICE, ColumnType.CHOICES) and self.catalogue is None:
            raise ValueError(f"column {self.key}: a choice column needs a catalogue")


@dataclass(frozen=True)
class Row:
    """One row of the file: its number as the user sees it in the sheet (header is row 1) and its values by key."""

    number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None  # the column's caption; None for a row-level error (e.g. a duplicate person)
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Outcome:
    """What a batch handler did with its rows; rows it reports in `errors` it did not write."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors += other.errors


# handler(conn, principal, rows) -> Outcome, inside a transaction the runner owns; it must match existing
# records (so that a second upload of the same file changes nothing), write set-based, add its outbox events,
# and report a row it refuses with RowError (a column caption or None for the whole row) instead of writing it.
Handler = Callable[[Any, Any, Sequence[Row]], Awaitable[Outcome]]


@dataclass(frozen=True)
class Kind:
    name: str  # in URLs: /templates/{name}.xlsx, POST /imports?kind={name}
    title: str  # Russian, for the sheet and the instruction
    columns: tuple[Column, ...]
    handler: Handler
    chunk: int = 2000  # rows per handler call (progress is reported between chunks)
    refusal: Callable[[Any], str | None] | None = None  # why a principal may not import this kind at all
    # A kind imported into one target (e.g. an olympiad stage's results): bind(target) gives the kind whose handler
    # writes there; its jobs are stored with the kind "name:target" and started by the service's own route.
    bind: Callable[[str], Kind] | None = None
    # After the last chunk, in the transaction of the whole file (ALL_OR_NOTHING) or in its own (VALID_ROWS):
    # work done once per file rather than per chunk (e.g. recomputing what depends on all rows)
    finish: Callable[[Any, Any], Awaitable[None]] | None = None

    def refused(self, principal) -> str | None:
        return self.refusal(principal) if self.refusal else None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def caption(self, key: str) -> str:
        return self.column(key).caption
