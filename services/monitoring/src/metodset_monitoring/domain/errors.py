"""A refusal of a domain rule, naming the field at fault (None: the record's state) and a code."""
from __future__ import annotations


class RuleError(ValueError):
    def __init__(self, field: str | None, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code
