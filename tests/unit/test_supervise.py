"""The local stack's supervisor: an exited service is reported and started again with growing delays."""
from dataclasses import dataclass, field

from metodset_tools.supervise import STABLE_SECONDS, Supervisor, restart_delay


@dataclass
class FakeProcess:
    pid: int
    exit_code: int | None = None
    started_at: float = 0.0

    @property
    def proc(self):
        return self


@dataclass
class FakeStack:
    services: dict = field(default_factory=lambda: {"registry": FakeProcess(1)})
    launched: list = field(default_factory=list)

    def relaunch(self, name):
        self.services[name] = FakeProcess(100 + len(self.launched), started_at=self.now)
        self.launched.append(name)
        return self.services[name]


def test_delays_grow_and_are_capped():
    assert [restart_delay(n) for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 8, 30]


def test_an_exited_service_is_reported_then_restarted_after_its_delay():
    stack, said = FakeStack(), []
    sup = Supervisor(stack, say=said.append)
    stack.services["registry"].exit_code = 3
    stack.now = 10.0
    sup.check(now=10.0)
    assert stack.launched == [] and "registry exited with code 3; restarting in 1 s" in said[0]
    sup.check(now=10.5)
    assert stack.launched == []
    sup.check(now=11.0)
    assert stack.launched == ["registry"] and "started again" in said[-1]


def test_a_service_that_keeps_dying_waits_longer_each_time_until_it_stays_up():
    stack, said = FakeStack(), []
    sup = Supervisor(stack, say=said.append)
    now = 0.0
    for expected in (1, 2, 4):
        stack.services["registry"].exit_code = 1
        sup.check(now=now)
        assert f"restarting in {expected} s" in said[-1]
        now += expected
        stack.now = now
        sup.check(now=now)
    sup.check(now=now + STABLE_SECONDS + 1)  # up long enough: recovered
    stack.services["registry"].exit_code = 1
    sup.check(now=now + STABLE_SECONDS + 2)
    assert "restarting in 1 s" in said[-1]
