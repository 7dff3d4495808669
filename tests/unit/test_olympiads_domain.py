"""The olympiad's rules without a database: winners and prize-winners at ties and boundaries, the quota,
writing for a higher grade, task scores, appeals, admission by passing score and by last year's status, and
who runs which stage."""
from decimal import Decimal as D

import pytest

from metodset_contracts.olympiads import AdmissionReason, OlympiadStageLevel, OlympiadStatus
from metodset_events.domain import olympiads as o
from metodset_events.domain.olympiad_rule import StatusRule, Ties, statuses
from metodset_kit.scope import Principal, Role

W, P, U = OlympiadStatus.WINNER, OlympiadStatus.PRIZE_WINNER, OlympiadStatus.PARTICIPANT
RULE = StatusRule()  # quota 45 %, winners and prize-winners from half of the maximum, ties included


def ranked(*scores, rule=RULE, max_score=D(100)):
    got = statuses({f"p{i}": (None if s is None else D(s)) for i, s in enumerate(scores)}, max_score, rule)
    return [got[f"p{i}"] for i in range(len(scores))]


def test_the_highest_score_wins_when_it_reaches_half_of_the_maximum():
    assert ranked(50, 40, 10) == [W, U, U]
    assert ranked(49, 40, 10) == [U, U, U]  # nobody reached half: no winner, no prize-winner


def test_a_half_exactly_counts_and_prize_winners_need_half_too():
    assert ranked(90, 50, 50, 49.5, 10, 10, 10, 10, 10, 10) == [W, P, P, U, U, U, U, U, U, U]


def test_winners_tied_at_the_top_all_win():
    assert ranked(80, 80, 70, 0, 0, 0, 0, 0, 0, 0) == [W, W, P, U, U, U, U, U, U, U]


def test_prize_winners_stay_within_the_quota_of_participants():
    # 10 participants, 45 % → at most 4 winners and prize-winners together
    assert ranked(95, 90, 85, 80, 75, 70, 65, 60, 55, 51) == [W, P, P, P, U, U, U, U, U, U]


def test_a_tie_straddling_the_quota_is_taken_whole_or_left_whole_as_configured():
    scores = (95, 90, 85, 80, 80, 70, 10, 10, 10, 10)  # the 4th place is shared by two: quota 4
    assert ranked(*scores) == [W, P, P, P, P, U, U, U, U, U]
    assert ranked(*scores, rule=StatusRule(ties=Ties.EXCLUDE)) == [W, P, P, U, U, U, U, U, U, U]


def test_a_tie_just_after_a_full_quota_is_left_out_whatever_the_tie_setting():
    assert ranked(95, 90, 85, 80, 75, 75, 10, 10, 10, 10) == [W, P, P, P, U, U, U, U, U, U]


def test_those_without_a_score_are_not_counted_in_the_quota():
    assert ranked(90, 80, None, None, None) == [W, U, U, U, U]  # 2 wrote: quota floor(0.9) = 0 prize places
    assert ranked(90, 80, 70, 60, 10) == [W, P, U, U, U]


def test_the_rule_is_configuration_with_the_reference_defaults():
    rule = StatusRule.of({"quota": "0.25", "ties": "exclude"})
    assert rule == StatusRule(D("0.25"), D("0.5"), D("0.5"), Ties.EXCLUDE)
    assert StatusRule.of(rule.as_json()) == rule and StatusRule.of(None) == RULE
    with pytest.raises(ValueError):
        StatusRule(quota=D("1.5"))


def stage(level=OlympiadStageLevel.SCHOOL, subject="mathematics", oktmo="29701000", grades=((4, 30), (9, 50))):
    return o.OlympiadStage(2026, subject, level, oktmo, tuple(o.StageGrade(g, D(m)) for g, m in grades))


def test_stage_grades_follow_the_reference_data():
    o.check_stage(stage())  # 4th grade: mathematics and Russian only
    with pytest.raises(o.OlympiadRuleError, match="5–11 классов, не для 4") as exc:
        o.check_stage(stage(subject="physics"))
    assert exc.value.field == "grades[0].grade"
    with pytest.raises(o.OlympiadRuleError, match="9–11"):
        o.check_stage(stage(OlympiadStageLevel.REGIONAL, oktmo=None, grades=((8, 50),)))
    with pytest.raises(o.OlympiadRuleError, match="муниципалитет не указывается"):
        o.check_stage(stage(OlympiadStageLevel.REGIONAL, grades=((9, 50),)))
    with pytest.raises(o.OlympiadRuleError, match="дважды"):
        o.check_stage(stage(grades=((9, 50), (9, 40))))
    with pytest.raises(o.OlympiadRuleError, match="не входит"):
        o.check_stage(stage(subject="primary"))
    assert o.ranking_groups("physical_education") == {"boys": "юноши", "girls": "девушки"}
    assert o.ranking_groups("mathematics") == {}


def test_writing_for_a_higher_grade_is_allowed_and_a_lower_one_is_not():
    s = stage(grades=((8, 50), (9, 50)))
    assert o.check_participation(s, 8, 9) is None
    assert "ниже класса обучения 9" in o.check_participation(s, 9, 8)
    assert "нет на этапе" in o.check_participation(s, 7, 7)


def test_task_scores_make_the_total_and_must_agree_with_it():
    g = o.StageGrade(9, D(50))
    assert o.total_score(g, None, [D(10), D("12.5")]) == (D("22.5"), None)
    assert o.total_score(g, D(20), [D(10), D(10)]) == (D(20), None)
    assert "не равна" in o.total_score(g, D(21), [D(10), D(10)])[1]
    assert "от 0 до 50" in o.total_score(g, D(51), [])[1]


def test_the_passing_score_is_set_for_the_next_stage_grades_within_the_maximum():
    s = stage(grades=((5, 30), (9, 50)))
    assert o.passing_score(s, 9, D(25)).passing_score == D(25)
    with pytest.raises(o.OlympiadRuleError, match="класс 5 не допускается"):
        o.passing_score(s, 5, D(10))
    with pytest.raises(o.OlympiadRuleError, match="до максимального"):
        o.passing_score(s, 9, D(51))
    final = stage(OlympiadStageLevel.FINAL, oktmo=None, grades=((9, 50),))
    with pytest.raises(o.OlympiadRuleError, match="заключительного"):
        o.passing_score(final, 9, D(1))


def test_admission_by_passing_score_of_the_participation_grade_and_by_last_year_status():
    results = [o.Result("A", 9, D(30)), o.Result("B", 9, D("29.5")), o.Result("C", 10, D(30)),
               o.Result("D", 10, None), o.Result("E", 9, D(10))]
    last_year = [o.PastAward("E", 8, W), o.PastAward("F", 9, P), o.PastAward("G", 11, W),
                 o.PastAward("H", 9, U), o.PastAward("I", 9, W, left=True), o.PastAward("A", 8, W)]
    got = o.admission(results, {9: D(30), 10: D(35)}, last_year)
    assert [(a.code, a.grade, a.reason) for a in got] == [
        ("A", 9, AdmissionReason.PASSING_SCORE),  # reached the bar: the score is the reason given
        ("E", 9, AdmissionReason.LAST_YEAR_STATUS),  # below the bar but last year's winner, now in 9th
        ("F", 10, AdmissionReason.LAST_YEAR_STATUS),
    ]  # G graduated, H was a participant, I left; C's grade 10 bar is 35


def test_an_appeal_needs_a_reason_and_a_score_within_the_maximum():
    g = o.StageGrade(9, D(50))
    a = o.appeal(g, "A", D(20), D(24), " пересмотр задания 3 ")
    assert (a.previous_score, a.score, a.reason) == (D(20), D(24), "пересмотр задания 3")
    with pytest.raises(o.OlympiadRuleError, match="основание"):
        o.appeal(g, "A", D(20), D(24), " ")
    with pytest.raises(o.OlympiadRuleError) as exc:
        o.appeal(g, "A", D(20), D(60), "x")
    assert exc.value.field == "newScore"


def test_municipal_methodists_run_their_school_and_municipal_stages_and_the_institute_the_regional():
    kaluga = Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000")
    region = Principal("c", Role.REGIONAL_COORDINATOR)
    assert o.may_run(kaluga, OlympiadStageLevel.SCHOOL, "29701000")
    assert not o.may_run(kaluga, OlympiadStageLevel.MUNICIPAL, "29715000")
    assert not o.may_run(kaluga, OlympiadStageLevel.REGIONAL, None)
    assert o.may_run(region, OlympiadStageLevel.REGIONAL, None)
    # the passing score is the next stage's organiser's: the methodist for the school stage, the region after
    assert o.may_set_passing_score(kaluga, stage())
    assert not o.may_set_passing_score(kaluga, stage(OlympiadStageLevel.MUNICIPAL))
    assert o.may_set_passing_score(region, stage(OlympiadStageLevel.MUNICIPAL))
    admin = Principal("a", Role.ORGANISATION_ADMIN, organisation="org-1")
    assert o.sees_participant(admin, "29701000", "org-1") and not o.sees_participant(admin, "29701000", "org-2")
    assert o.sees_participant(kaluga, "29701000", "x") and not o.sees_participant(kaluga, "29715000", "x")
