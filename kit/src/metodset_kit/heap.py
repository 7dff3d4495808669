"""The garbage collector of a long-running process, tuned once after start-up.

A service holds some 150,000–190,000 objects that live as long as the process (modules, pydantic
schemas, the GraphQL schema, matplotlib). CPython's collector walks them again and again as allocations
pile up; in a consumer validating hundreds of events per batch that was a quarter of its CPU. What exists
after start-up is frozen out of the collector's sight, and the youngest generation is collected after
GC_YOUNG_THRESHOLD net allocations instead of 700. Reference cycles are still collected, in larger rounds.
"""
from __future__ import annotations

import gc


def settle(young_threshold: int) -> None:
    """Collect once, freeze what start-up left, and collect the youngest generation less often."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(young_threshold, older, oldest)
