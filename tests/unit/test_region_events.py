"""The generator's year of methodical work: seeded, within capacity and quotas, attendance only of the past and
of the confirmed, plan statuses only for past months, practices disseminated at held events; the payload
helpers fill the GraphQL inputs as the gateway's schema declares them."""
from collections import Counter
from datetime import date

import pytest

from metodset_gateway.schema import schema
from metodset_tools.region import REFERENCE, small
from metodset_tools.region.events import academic_year


@pytest.fixture(scope="module")
def year():
    return small().methodical


def _fields(name: str) -> set[str]:
    return set(schema._schema.type_map[name].fields)


def test_the_same_seed_gives_the_same_year(year):
    again = small().methodical
    assert again.events == year.events and again.registrations == year.registrations
    assert again.practices == year.practices and again.plans == year.plans


def test_every_municipality_has_events_a_plan_requests_and_practices(year):
    municipal = Counter(e.municipality_oktmo for e in year.events if e.level == "MUNICIPAL")
    assert len(municipal) == 3 and all(n >= 10 for n in municipal.values())
    assert len(year.plans) == 3 and len(year.requests) >= 6 and len(year.practices) >= 6
    assert sum(e.level == "REGIONAL" for e in year.events) == 3


def test_registrations_fit_the_places_with_a_waiting_list_now_and_then(year):
    events = {e.key: e for e in year.events}
    over = 0
    for r in year.registrations:
        event = events[r.event_key]
        places = dict(event.quotas).get(r.registered_by, event.capacity) if event.quotas else event.capacity
        assert len(set(r.person_keys)) == len(r.person_keys)
        assert len(r.person_keys) <= places + 5
        over += len(r.person_keys) > places
    assert over >= 1


def test_attendance_is_of_past_sessions_and_confirmed_participants(year):
    events = {e.key: e for e in year.events}
    registered = {}
    for r in year.registrations:
        places = dict(events[r.event_key].quotas).get(r.registered_by, events[r.event_key].capacity)
        registered.setdefault(r.event_key, set()).update(r.person_keys[:places])
    for a in year.attendance:
        session = events[a.event_key].sessions[a.session]
        assert session.ends_at.date() < REFERENCE and set(a.person_keys) <= registered[a.event_key]
    assert any(e.sessions[0].starts_at.date() > REFERENCE for e in year.events)  # some still to come


def test_plan_items_are_marked_only_for_past_months_and_link_their_months_events(year):
    events = {e.key: e for e in year.events}
    for plan in year.plans:
        assert plan.year == academic_year(REFERENCE) - 1
        for item in plan.items:
            if item.status != "PLANNED":
                assert date.fromisoformat(item.months[-1] + "-01") < REFERENCE.replace(day=1)
            assert all(events[k].sessions[0].starts_at.strftime("%Y-%m") in item.months for k in item.event_keys)
            assert (item.status == "MOVED") == (item.moved_to is not None)


def test_practices_are_disseminated_at_held_events_of_their_municipality(year):
    events = {e.key: e for e in year.events}
    assert any(p.status == "DISSEMINATED" for p in year.practices)
    for p in year.practices:
        assert (p.status == "DISSEMINATED") == bool(p.disseminated_at)
        for key in p.disseminated_at:
            assert events[key].sessions[-1].ends_at.date() < REFERENCE
        assert p.status_steps() == {"IDENTIFIED": [], "STUDIED": ["STUDIED"]}.get(p.status, ["STUDIED", "SUMMARISED"])


def test_requests_closed_only_when_assigned_and_consulted(year):
    for r in year.requests:
        if r.outcome is not None:
            assert r.methodist_key and r.consultations and 3 <= r.rating <= 5
        assert all(c.held_on >= r.declared_on and c.held_on <= REFERENCE for c in r.consultations)


def test_payload_helpers_fill_the_graphql_inputs(year):
    event = next(e for e in year.events if e.quotas)
    scheduled = event.schedule_event_input("org-id")
    assert set(scheduled) <= _fields("ScheduleEventInput")
    assert set(scheduled["sessions"][0]) <= _fields("SessionInput")
    assert set(scheduled["quotas"][0]) <= _fields("QuotaInput")
    ids = {k: f"id-{k}" for p in year.practices for k in p.author_keys}
    practice = year.practices[0].add_practice_input("org-id", ids)
    assert set(practice) <= _fields("AddPracticeInput") and practice["authorIds"][0].startswith("id-")
    registration = year.registrations[0]
    ids = {k: f"id-{k}" for k in registration.person_keys}
    assert set(registration.register_participants_variables("e", ids)) == {"eventId", "personIds"}
