"""The bank's text query, without I/O. PostgreSQL's Russian configuration stems word forms («наставничества»,
«наставничеством» → наставничеств), but a word and its kin (наставничество / наставник / наставника) have
different stems. A query of plain words therefore asks, for each long word, its stem OR a prefix of its root
(`(наставничество | наставн:*)`), all words required; the exact forms still rank higher, matching both. A query
with websearch syntax (quotes, a minus, `or`) goes to websearch_to_tsquery as written."""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[0-9a-zа-яё]+")
_PLAIN = re.compile(r"[\w\s,.;:!?()-]*")
ROOT_FROM = 7  # words this long get a root prefix; shorter ones are their stem only
ROOT_MIN = 6


@dataclass(frozen=True)
class TextQuery:
    text: str
    websearch: bool  # websearch_to_tsquery(text), else to_tsquery(text)

    @property
    def sql(self) -> str:
        """The tsquery expression of parameter $1."""
        return "websearch_to_tsquery('russian', $1)" if self.websearch else "to_tsquery('russian', $1)"


def root(word: str) -> str | None:
    return word[:max(ROOT_MIN, len(word) // 2)] if len(word) >= ROOT_FROM else None


def _term(word: str) -> str:
    prefix = root(word)
    return f"({word} | {prefix}:*)" if prefix else word


def text_query(search: str | None) -> TextQuery | None:
    search = " ".join((search or "").split())
    if not search:
        return None
    lowered = search.lower()
    words = _WORD.findall(lowered)
    plain = _PLAIN.fullmatch(search) and not re.search(r"(^|\s)-|\bor\b", lowered)
    if not plain or not words:
        return TextQuery(search, True)
    return TextQuery(" & ".join(_term(w) for w in words), False)
