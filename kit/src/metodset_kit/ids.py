"""New UUIDs for records and events, their random bits read from the OS's random source in blocks.

`uuid.uuid4()` makes one system call per id; a bulk registration needs two ids per row, and on the
virtual machines the platform runs on those calls cost more than building the row's event.

`uuid7()` gives time-ordered ids (RFC 9562, version 7): ids made one after another sort one after another,
so a primary key or inbox index takes them at its right-hand edge instead of at a random leaf. The ids
of records whose creation time may be read from their id (events, organisations: public facts) use it.
"""
from __future__ import annotations

import os
import time
from collections import deque
from uuid import UUID, SafeUUID

_BLOCK = 256
_VERSION_4 = 0x4000 << 64 | 0x8000 << 48  # version nibble 4, RFC 4122 variant bits 10
_KEEP = ~(0xF000 << 64 | 0xC000 << 48) & (1 << 128) - 1
_VERSION_7 = 0x7 << 76 | 0b10 << 62  # version nibble 7, variant bits 10
_RAND_B = (1 << 62) - 1
_ready: deque[UUID] = deque()
_random: deque[int] = deque()  # 62 random bits each, the tail of a version 7 id


def uuid4() -> UUID:
    """A new random UUID, as `uuid.uuid4()` gives."""
    try:
        return _ready.popleft()  # atomic: threads never get the same id
    except IndexError:
        _refill()
        return uuid4()


def uuid7() -> UUID:
    """A new time-ordered UUID: the Unix time in milliseconds, the fraction of the millisecond in 12 bits
    (RFC 9562, method 3), then 62 random bits."""
    try:
        tail = _random.popleft()
    except IndexError:
        _refill_random()
        return uuid7()
    return _uuid(_time_bits() | tail)


def uuid7s(n: int) -> list[UUID]:
    """n new time-ordered UUIDs at once, in ascending order (one reading of the clock, one of the random
    source): a bulk registration takes two per row."""
    head = _time_bits()
    return [_uuid(head | tail) for tail in sorted(_tails(n))]


def _time_bits() -> int:
    ms, sub = divmod(time.time_ns(), 1_000_000)
    return ms << 80 | (sub << 12) // 1_000_000 << 64 | _VERSION_7


_new = object.__new__
_set = object.__setattr__


def _uuid(value: int) -> UUID:
    """`UUID(int=value)` without its argument checks (value is built in range here): half the cost."""
    u = _new(UUID)
    _set(u, "int", value)
    _set(u, "is_safe", SafeUUID.unknown)
    return u


def _refill() -> None:
    block = os.urandom(16 * _BLOCK)
    _ready.extend(_uuid(int.from_bytes(block[i:i + 16], "big") & _KEEP | _VERSION_4)
                  for i in range(0, len(block), 16))


def _refill_random() -> None:
    _random.extend(_tails(_BLOCK))


def _tails(n: int) -> list[int]:
    """n random 62-bit tails of version 7 ids, from one read of the OS's random source."""
    block = os.urandom(8 * n)
    return [int.from_bytes(block[i:i + 8], "big") & _RAND_B for i in range(0, len(block), 8)]


def _forget_parents_ids() -> None:  # a child must not hand out its parent's ids
    _ready.clear()
    _random.clear()


os.register_at_fork(after_in_child=_forget_parents_ids)
