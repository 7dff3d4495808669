"""The demo's loader of the methodical year: GraphQL inputs as the REST API takes them, and the wait for the
events service's projection ends with a message naming what it waited for."""
import pytest

from metodset_tools.demo import LoadError, methodical
from metodset_tools.region import generate


def test_enum_values_go_in_lower_case_and_empty_fields_are_left_out():
    event = generate(11, 1, 6, 0.2).methodical.events[0]
    body = methodical.rest(event.schedule_event_input("org"))
    assert body["level"] == event.level.lower() and body["format"] == event.format.lower()
    assert "topic" not in body and body["form"] == event.form and body["organiserId"] == "org"


def test_the_wait_for_the_projection_tells_once_and_gives_up_after_its_timeout(monkeypatch):
    monkeypatch.setattr(methodical, "POLL", 0)
    said: list[str] = []
    waiter = methodical.Waiter(0.05, said.append)
    with pytest.raises(LoadError, match="работников"):
        while True:
            waiter.wait("работников / the persons")
    assert len(said) == 1 and "Ждём" in said[0]
