"""Event facts as fixtures (facts.EventFacts), for the events service's tests that need no events core."""
from dataclasses import dataclass, field

from metodset_events.facts import Completed, Employment, EventInfo


@dataclass
class FixtureFacts:
    events: dict[str, EventInfo] = field(default_factory=dict)
    completed: dict[str, list[Completed]] = field(default_factory=dict)
    registered: dict[str, list[str]] = field(default_factory=dict)
    staff: dict[str, list[Employment]] = field(default_factory=dict)

    async def event(self, conn, event_id):
        return self.events.get(event_id)

    async def completed_participants(self, conn, event_id):
        return self.completed.get(event_id, [])

    async def participants(self, conn, event_id):
        return self.registered.get(event_id, [])

    async def employments(self, conn, person_id):
        return self.staff.get(person_id, [])

    async def calendar(self, conn, *, municipality=None, organiser=None, person=None):
        return [e for e in self.events.values()
                if (municipality is None or e.municipality_oktmo == municipality)
                and (organiser is None or e.organiser_id == organiser)
                and (person is None or person in self.registered.get(e.id, []))]
