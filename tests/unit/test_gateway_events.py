"""The gateway's methodical events: inputs become the events service's REST bodies."""
import datetime as dt

from metodset_gateway.events import (
    AudienceInput,
    ChangeEventInput,
    EventFormat,
    EventLevel,
    QuotaInput,
    ScheduleEventInput,
    SessionInput,
    _change_body,
    _schedule_body,
)

T = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
ORG = "6f1c1bbf-5e83-4d0d-9b7e-3a5b0c0b1a11"


def test_schedule_input_becomes_the_rest_body():
    body = _schedule_body(ScheduleEventInput(
        title="Семинар", form="seminar", level=EventLevel("municipal"), organiser_id=ORG, capacity=30,
        format=EventFormat("hybrid"), sessions=[SessionInput(starts_at=T, ends_at=T + dt.timedelta(hours=3), hours=4)],
        registration_opens=T - dt.timedelta(days=9), registration_closes=T - dt.timedelta(days=1),
        quotas=[QuotaInput(municipality_oktmo="29701000", places=5)],
        audience=AudienceInput(positions=["teacher"])))
    assert body["level"] == "municipal" and body["format"] == "hybrid" and body["organiserId"] == ORG
    assert body["sessions"] == [{"startsAt": T.isoformat(), "endsAt": (T + dt.timedelta(hours=3)).isoformat(),
                                 "hours": 4}]
    assert body["quotas"] == [{"municipalityOktmo": "29701000", "places": 5}]
    assert body["audience"] == {"positions": ["teacher"], "subjects": [], "municipalities": []}
    assert body["attendancePercent"] == 75 and body["requiresApproval"] is False


def test_a_change_sends_only_what_was_given():
    assert _change_body(ChangeEventInput(capacity=40, place=None)) == {"capacity": 40, "place": None}
    assert _change_body(ChangeEventInput(format=EventFormat("online"))) == {"format": "online"}


def test_progress_follows_the_sessions_and_cancellation():
    from metodset_gateway.events import EventProgress, progress_of
    one = (T, T + dt.timedelta(hours=2))
    two = (T + dt.timedelta(days=7), T + dt.timedelta(days=7, hours=2))
    assert progress_of("scheduled", [two, one], T - dt.timedelta(minutes=1)) is EventProgress.PLANNED
    assert progress_of("scheduled", [two, one], T) is EventProgress.IN_PROGRESS
    assert progress_of("scheduled", [two, one], T + dt.timedelta(days=3)) is EventProgress.IN_PROGRESS
    assert progress_of("scheduled", [two, one], two[1]) is EventProgress.HELD
    assert progress_of("cancelled", [one], two[1]) is EventProgress.CANCELLED
