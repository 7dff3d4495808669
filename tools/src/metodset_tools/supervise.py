"""`metodset run` looks after its services: one that exits is reported and started again with backoff."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .devstack import Stack
from .lifetime import PortTaken

STABLE_SECONDS = 60.0  # a service up this long has recovered: its next exit starts the backoff afresh


def restart_delay(failures: int) -> float:
    return min(30.0, 2.0 ** max(0, failures - 1))


@dataclass
class _Watch:
    failures: int = 0
    restart_at: float | None = None


class Supervisor:
    def __init__(self, stack: Stack, say: Callable[[str], None] = print):
        self.stack = stack
        self.say = say
        self.watches = {name: _Watch() for name in stack.services}

    def check(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for name, watch in self.watches.items():
            service = self.stack.services[name]
            code = service.exit_code
            if code is None and watch.restart_at is None:
                if now - service.started_at > STABLE_SECONDS:
                    watch.failures = 0
            elif watch.restart_at is None:
                self._schedule(name, watch, now, f"exited with code {code}")
            elif now >= watch.restart_at:
                self._restart(name, watch, now)

    def _schedule(self, name: str, watch: _Watch, now: float, why: str) -> None:
        watch.failures += 1
        delay = restart_delay(watch.failures)
        watch.restart_at = now + delay
        self.say(f"metodset: {name} {why}; restarting in {delay:.0f} s (attempt {watch.failures})")

    def _restart(self, name: str, watch: _Watch, now: float) -> None:
        watch.restart_at = None
        try:
            service = self.stack.relaunch(name)
        except PortTaken as exc:
            self._schedule(name, watch, now, f"cannot restart: {exc}")
            return
        self.say(f"metodset: {name} started again (pid {service.proc.pid})")
