"""Random (version 4) UUIDs for new records and events, read from the OS's random source in blocks.

`uuid.uuid4()` makes one system call per id; a bulk registration needs two ids per row, and on the
virtual machines the platform runs on those calls cost more than building the row's event."""
from __future__ import annotations

import os
from collections import deque
from uuid import UUID

_BLOCK = 256
_VERSION_4 = 0x4000 << 64 | 0x8000 << 48  # version nibble 4, RFC 4122 variant bits 10
_KEEP = ~(0xF000 << 64 | 0xC000 << 48) & (1 << 128) - 1
_ready: deque[UUID] = deque()


def uuid4() -> UUID:
    """A new random UUID, as `uuid.uuid4()` gives."""
    try:
        return _ready.popleft()  # atomic: threads never get the same id
    except IndexError:
        _refill()
        return uuid4()


def _refill() -> None:
    block = os.urandom(16 * _BLOCK)
    _ready.extend(UUID(int=int.from_bytes(block[i:i + 16], "big") & _KEEP | _VERSION_4)
                  for i in range(0, len(block), 16))


os.register_at_fork(after_in_child=_ready.clear)  # a child must not hand out its parent's ids
