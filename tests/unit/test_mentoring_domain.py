"""Pure rules of mentoring: forms, the mentor is no mentee, one mentee in a pair, the mentor's load and its
maximum, repeats, dates, ending."""
import uuid
from dataclasses import replace
from datetime import date

import pytest

from metodset_contracts.mentoring import MentoringOutcome, MentoringStatus
from metodset_contracts.reference import catalogue
from metodset_registry.domain import mentoring as rules
from metodset_registry.domain.mentoring import Mentoring, MentoringError, MentorOverloaded

D = date.fromisoformat
TODAY = D("2026-11-29")
FORMS = {i.code: i.extra["kind"] for i in catalogue("mentoring_forms").items}
MENTOR = uuid.uuid4()


def _new(*mentees, form="experienced_young", start="2026-09-01", mentor=MENTOR, end=None) -> Mentoring:
    return Mentoring(id=uuid.uuid4(), mentor_id=mentor, mentee_ids=tuple(mentees or (uuid.uuid4(),)), form=form,
                     start=D(start), municipality_oktmo="29701000", end=D(end) if end else None)


def _refused(new, existing=(), max_mentees=3) -> MentoringError:
    with pytest.raises(MentoringError) as caught:
        rules.check_new(new, FORMS, list(existing), max_mentees, TODAY)
    return caught.value


def test_the_reference_forms_have_pairs_and_a_group():
    assert FORMS["group"] == "group" and FORMS["teacher_teacher"] == FORMS["experienced_young"] == "pair"


def test_a_pair_and_a_group_are_accepted():
    rules.check_new(_new(), FORMS, [], 3, TODAY)
    rules.check_new(_new(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), form="group"), FORMS, [], 3, TODAY)


@pytest.mark.parametrize(("new", "field"), [
    (_new(MENTOR), "menteeIds"),                                 # the mentor is not their own mentee
    (_new(uuid.uuid4(), uuid.uuid4()), "menteeIds"),             # a pair has exactly one mentee
    (_new(uuid.uuid4(), form="group"), "menteeIds"),             # a group has at least two
    (_new(form="apprenticeship"), "form"),                       # unknown form
    (_new(start="1989-12-31"), "startDate"),
    (_new(start="2028-01-01"), "startDate"),
])
def test_refusals_name_the_field(new, field):
    assert _refused(new).field == field


def test_a_mentee_twice_is_refused():
    x = uuid.uuid4()
    assert "дважды" in str(_refused(_new(x, x, form="group")))


def test_the_load_counts_active_mentees_once_and_refuses_beyond_the_maximum():
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    existing = [_new(a), _new(b, c, form="group"), _new(a, b, form="group")]
    assert rules.load(MENTOR, existing, D("2026-10-01")) == 3
    assert rules.load(MENTOR, existing, D("2026-08-31")) == 0  # none started yet
    error = _refused(_new(), existing)
    assert isinstance(error, MentorOverloaded) and error.field == "mentorId" and "3" in str(error)
    rules.check_new(_new(), FORMS, existing, 4, TODAY)  # a region that allows four


def test_ended_mentorings_free_the_mentor_from_their_last_day_on():
    done = [_new(uuid.uuid4(), uuid.uuid4(), form="group", start="2025-09-01", end="2026-08-31"), _new()]
    assert rules.load(MENTOR, done, D("2026-08-31")) == 2
    assert rules.load(MENTOR, done, D("2026-09-01")) == 1
    rules.check_new(_new(uuid.uuid4(), uuid.uuid4(), form="group", start="2026-09-01"), FORMS, done, 3, TODAY)
    assert isinstance(_refused(_new(uuid.uuid4(), uuid.uuid4(), form="group", start="2026-08-31"), done),
                      MentorOverloaded)


def test_the_same_mentor_and_mentee_twice_at_once_is_a_duplicate():
    mentee = uuid.uuid4()
    error = _refused(_new(mentee, start="2026-10-01"), [_new(mentee)], max_mentees=10)
    assert error.code == "duplicate"
    rules.check_new(_new(mentee, start="2026-10-01"), FORMS, [_new(mentee, end="2026-09-30")], 3, TODAY)
    rules.check_new(_new(mentee, mentor=uuid.uuid4()), FORMS, [_new(mentee)], 3, TODAY)  # another mentor


def test_end_sets_the_last_day_status_and_outcome():
    m = _new()
    done = rules.end(m, D("2026-11-29"), MentoringStatus.COMPLETED, MentoringOutcome.ACHIEVED, "Рос", TODAY)
    assert (done.end, done.status, done.outcome_code, done.version) == (TODAY, MentoringStatus.COMPLETED,
                                                                        MentoringOutcome.ACHIEVED, 2)
    assert done.active_on(TODAY) and not done.active_on(D("2026-11-30"))
    on_start = rules.end(m, m.start, MentoringStatus.TERMINATED, MentoringOutcome.MENTEE_LEFT, None, TODAY)
    assert on_start.end == m.start


@pytest.mark.parametrize(("mentoring", "day", "status", "field"), [
    (_new(), "2026-08-31", MentoringStatus.COMPLETED, "endDate"),
    (_new(), "2026-11-30", MentoringStatus.COMPLETED, "endDate"),
    (_new(), "2026-10-01", MentoringStatus.ACTIVE, "status"),
    (replace(_new(end="2026-10-01"), status=MentoringStatus.COMPLETED), "2026-10-02", MentoringStatus.COMPLETED, "id"),
])
def test_end_refusals(mentoring, day, status, field):
    with pytest.raises(MentoringError) as caught:
        rules.end(mentoring, D(day), status, MentoringOutcome.OTHER, None, TODAY)
    assert caught.value.field == field


@pytest.mark.parametrize("status, outcome, completes", [
    (MentoringStatus.ACTIVE, None, False),
    (MentoringStatus.COMPLETED, MentoringOutcome.ACHIEVED, True),
    (MentoringStatus.COMPLETED, MentoringOutcome.PARTLY_ACHIEVED, True),
    (MentoringStatus.COMPLETED, MentoringOutcome.NOT_ACHIEVED, False),
    (MentoringStatus.TERMINATED, MentoringOutcome.ACHIEVED, False),
    (MentoringStatus.TERMINATED, MentoringOutcome.MENTEE_LEFT, False),
])
def test_only_a_mentoring_carried_out_completes_route_items(status, outcome, completes):
    m = Mentoring(uuid.uuid4(), uuid.uuid4(), (uuid.uuid4(),), "experienced_young", date(2025, 9, 1), "29701000",
                  end=None if status is MentoringStatus.ACTIVE else date(2026, 5, 31), status=status,
                  outcome_code=outcome)
    assert rules.completes_route_items(m) is completes
