"""Addressed recommendations raised by rules on indicator values; `on_values_changed` is the indicator engine's
hook, called inside its transaction after it recomputed values."""
from .hook import on_values_changed

__all__ = ["on_values_changed"]
