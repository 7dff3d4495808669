"""Pure rules of the relay: which published rows may be marked sent, and how long to back off."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    seq: int
    key: str
    error: str | None  # None when the broker acknowledged the record


def settle(outcomes: Sequence[Outcome]) -> tuple[list[int], list[Outcome]]:
    """Split a batch, in outbox order, into rows to mark sent and rows to retry.

    After a failure for a key, later rows of that key are retried too, even if the broker took them,
    so that a subscriber never sees an aggregate's later event without a retry of the earlier one
    following it (they deduplicate by event id and by aggregate version).
    """
    sent: list[int] = []
    retry: list[Outcome] = []
    failed_keys: set[str] = set()
    for o in sorted(outcomes, key=lambda o: o.seq):
        if o.error is None and o.key not in failed_keys:
            sent.append(o.seq)
        else:
            failed_keys.add(o.key)
            retry.append(o if o.error else Outcome(o.seq, o.key, "an earlier event of the same aggregate failed"))
    return sent, retry


def in_order(claimed: Sequence[tuple[int, str]], unsent: Sequence[tuple[int, str]]) -> set[int]:
    """The claimed rows that may be published now without overtaking an earlier event of their aggregate.

    `claimed` are the rows this relay locked; `unsent` are all unsent rows of the same keys (locked by
    others or not). A key's rows go out only as an unbroken run from its earliest unsent row.
    """
    mine = {seq for seq, _ in claimed}
    by_key: dict[str, list[int]] = {}
    for seq, key in sorted(unsent):
        by_key.setdefault(key, []).append(seq)
    ready: set[int] = set()
    for seqs in by_key.values():
        for seq in seqs:
            if seq not in mine:
                break
            ready.add(seq)
    return ready


def backoff_seconds(attempts: int, *, base: float = 0.5, cap: float = 60.0) -> float:
    """Exponential backoff for the n-th failed attempt; retries never stop, they only slow down."""
    return min(cap, base * 2 ** max(0, attempts - 1))
