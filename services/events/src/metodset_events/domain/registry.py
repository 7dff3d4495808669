"""Folding the registry's events into the latest known facts, order-independent by aggregate version."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def latest(items: Iterable[T], key: Callable[[T], Hashable], version: Callable[[T], int]) -> list[T]:
    """Keep the highest version per aggregate (a batch may hold several events of one); on a tie, the last."""
    best: dict[Hashable, T] = {}
    for item in items:
        k = key(item)
        if k not in best or version(item) >= version(best[k]):
            best[k] = item
    return list(best.values())
