"""The rules of methodical events without a database."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from metodset_contracts.reference import catalogue
from metodset_events.domain import rules
from metodset_events.domain.access import Organiser, jobs_in_reach, may_manage
from metodset_events.domain.registry import latest
from metodset_events.domain.rules import Audience, Job, Outcome, Reason
from metodset_kit.scope import Principal, Role

T = datetime(2026, 10, 1, 10, tzinfo=UTC)


def test_admit_holds_capacity_quota_and_approval():
    assert rules.admit(capacity=2, taken=1, quota=None, quota_used=0, requires_approval=False) is Outcome.CONFIRMED
    assert rules.admit(capacity=2, taken=2, quota=None, quota_used=0, requires_approval=False) is Outcome.WAITLISTED
    assert rules.admit(capacity=2, taken=0, quota=3, quota_used=3, requires_approval=False) is Outcome.REFUSED
    assert rules.admit(capacity=2, taken=2, quota=3, quota_used=3, requires_approval=False) is Outcome.REFUSED
    assert rules.admit(capacity=2, taken=0, quota=3, quota_used=2, requires_approval=True) is Outcome.PENDING


def test_promotion_takes_the_first_in_order_into_the_free_places():
    assert rules.promotable(["a", "b", "c"], capacity=5, taken=3) == ["a", "b"]
    assert rules.promotable(["a"], capacity=5, taken=5) == []
    assert rules.promotable(["a"], capacity=3, taken=5) == []


def test_the_window():
    assert rules.window_refusal(T, T + timedelta(days=1), T - timedelta(seconds=1)) is Reason.NOT_OPEN_YET
    assert rules.window_refusal(T, T + timedelta(days=1), T) is None
    assert rules.window_refusal(T, T + timedelta(days=1), T + timedelta(days=1)) is Reason.WINDOW_CLOSED


def test_the_audience():
    job = Job(uuid.uuid4(), "29701000", "teacher", ("mathematics", "physics"))
    assert rules.fits(Audience(), job)
    assert rules.fits(Audience(("teacher",), ("physics",), ("29701000",)), job)
    assert not rules.fits(Audience(subjects=("chemistry",)), job)
    assert not rules.fits(Audience(positions=("educator",)), job)
    assert not rules.fits(Audience(municipalities=("29715000",)), job)
    other = Job(uuid.uuid4(), "29715000", "educator")
    assert rules.fitting_job(Audience(positions=("educator",)), [job, other]) is other


@pytest.mark.parametrize(("hours", "total", "percent", "done"), [
    (12, 16, 75, True), (11, 16, 75, False), (1, 1, 100, True), (7, 10, 75, False), (8, 10, 75, True),
    (0, 0, 75, False)])
def test_the_attendance_rule(hours, total, percent, done):
    assert rules.completed(hours, total, percent) is done


def test_a_programme_of_16_hours_becomes_a_course():
    assert rules.becomes_course(16) and not rules.becomes_course(15)


def test_schedule_checks_name_the_field():
    good = [rules.Session(T, T + timedelta(hours=2), 2)]
    rules.check_schedule(good, 10, T - timedelta(days=2), T, 75)
    with pytest.raises(rules.RuleError) as e:
        rules.check_schedule([rules.Session(T, T, 2)], 10, T - timedelta(days=2), T, 75)
    assert e.value.field == "sessions.0.endsAt"
    with pytest.raises(rules.RuleError) as e:
        rules.check_schedule(good, 10, T, T, 75)
    assert e.value.field == "registrationCloses"
    with pytest.raises(rules.RuleError):
        rules.check_schedule([], 10, T - timedelta(days=2), T, 75)


def test_check_in_opens_an_hour_before():
    s = rules.Session(T, T + timedelta(hours=2), 2)
    assert rules.check_in_open(s, T - timedelta(minutes=59))
    assert not rules.check_in_open(s, T - timedelta(minutes=61))
    assert not rules.check_in_open(s, T + timedelta(hours=2, seconds=1))


def test_who_manages_an_event():
    org = uuid.uuid4()
    by_school = Organiser(organisation_id=org, municipality_oktmo="29701000")
    assert may_manage(Principal("c", Role.REGIONAL_COORDINATOR), by_school)
    assert may_manage(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), by_school)
    assert not may_manage(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29715000"), by_school)
    assert may_manage(Principal("a", Role.ORGANISATION_ADMIN, organisation=str(org)), by_school)
    assert not may_manage(Principal("x", Role.ANALYST), by_school)
    regional_body = Organiser(body_id=uuid.uuid4(), body_level="regional")
    assert not may_manage(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), regional_body)


def test_jobs_in_reach_follow_the_scope():
    a, b = Job(uuid.uuid4(), "29701000", "teacher"), Job(uuid.uuid4(), "29715000", "teacher")
    assert jobs_in_reach(Principal("m", Role.MUNICIPAL_METHODIST, municipality="29715000"), [a, b]) == [b]
    assert jobs_in_reach(Principal("o", Role.ORGANISATION_ADMIN, organisation=str(a.organisation_id)), [a, b]) == [a]


def test_latest_keeps_the_highest_version():
    items = [("x", 2), ("x", 1), ("y", 1), ("x", 3)]
    assert sorted(latest(items, lambda i: i[0], lambda i: i[1])) == [("x", 3), ("y", 1)]


def test_event_forms_catalogue():
    c = catalogue("event_forms")
    assert "seminar" in c.codes() and c.titles()["master_class"] == "мастер-класс"
    assert len(set(c.codes())) == len(c.items) == len(c.by_title())
