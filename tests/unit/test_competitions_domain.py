"""Competition rules: rubric and score sheets, aggregation (mean or sum), ranking with ties, statuses by places
and shares, advancement, conflicts of interest, stage scope."""
import uuid
from decimal import Decimal as D

import pytest

from metodset_contracts.competitions import ResultStatus as R
from metodset_contracts.competitions import StageLevel as L
from metodset_events.domain import competitions as rules
from metodset_events.domain.competitions import (
    Aggregation,
    AwardRule,
    CompetitionRuleError,
    Criterion,
    EntryParties,
    Member,
    Tier,
)
from metodset_kit.scope import Principal, Role

CRITERIA = (Criterion("lesson", "Урок", D(10)), Criterion("essay", "Эссе", D(5)))


def ids(n):
    return sorted((uuid.uuid4() for _ in range(n)), key=str)


def test_a_rubric_needs_criteria_with_unique_codes_and_positive_maximum():
    assert rules.rubric(CRITERIA) == CRITERIA
    with pytest.raises(CompetitionRuleError) as none:
        rules.rubric([])
    assert none.value.field == "criteria"
    with pytest.raises(CompetitionRuleError) as twice:
        rules.rubric([*CRITERIA, Criterion("essay", "Ещё", D(1))])
    assert twice.value.field == "criteria[2].code" and twice.value.code == "duplicate"
    with pytest.raises(CompetitionRuleError) as zero:
        rules.rubric([Criterion("a", "А", D(0))])
    assert zero.value.field == "criteria[0].maxPoints"


def test_a_score_sheet_covers_every_criterion_within_its_maximum():
    assert rules.score_sheet(CRITERIA, {"lesson": D(10), "essay": D(0)}) == {"lesson": D(10), "essay": D(0)}
    cases = [({"lesson": D(11), "essay": D(1)}, "scores.lesson", "от 0 до 10"),
             ({"lesson": D(-1), "essay": D(1)}, "scores.lesson", "от 0"),
             ({"lesson": D(1)}, "scores.essay", "«Эссе»"),
             ({"lesson": D(1), "essay": D(1), "extra": D(1)}, "scores.extra", "extra")]
    for points, field, text in cases:
        with pytest.raises(CompetitionRuleError) as refused:
            rules.score_sheet(CRITERIA, points)
        assert refused.value.field == field and text in str(refused.value)


def test_aggregation_is_the_mean_or_the_sum_of_the_jurors_totals_over_complete_sheets():
    sheets = [{"lesson": D(8), "essay": D(4)}, {"lesson": D(7), "essay": D(3)}, {"lesson": D(9)}]
    assert rules.aggregate(CRITERIA, sheets, Aggregation.MEAN) == D("11.00")  # (12 + 10) / 2; the third incomplete
    assert rules.aggregate(CRITERIA, sheets, Aggregation.SUM) == D("22.00")
    assert rules.aggregate(CRITERIA, [{"lesson": D(1), "essay": D(1)}] * 3 + [{"lesson": D(1), "essay": D(2)}],
                           Aggregation.MEAN) == D("2.25")
    assert rules.aggregate(CRITERIA, [{"lesson": D(10), "essay": D(0)}, {"lesson": D(0), "essay": D(0)},
                                      {"lesson": D(0), "essay": D(0)}], Aggregation.MEAN) == D("3.33")
    assert rules.aggregate(CRITERIA, [{"lesson": D(9)}], Aggregation.MEAN) is None


def test_ties_share_a_place_and_the_next_place_skips_them():
    a, b, c, d = ids(4)
    ranked = rules.rank({a: D(10), b: D(12), c: D(10), d: D(9)})
    assert [(e, p) for e, _, p in ranked] == [(b, 1), (a, 2), (c, 2), (d, 4)]


def test_statuses_by_places_with_a_tie_at_the_edge_bringing_both_in():
    e = ids(6)
    rule = AwardRule(winners=Tier(places=1), prize_winners=Tier(places=2), laureates=Tier(places=1))
    found = rules.results({e[0]: D(20), e[1]: D(18), e[2]: D(17), e[3]: D(17), e[4]: D(15), e[5]: D(10)}, rule)
    assert [(r.entry_id, r.place, r.status) for r in found] == [
        (e[0], 1, R.WINNER), (e[1], 2, R.PRIZE_WINNER), (e[2], 3, R.PRIZE_WINNER), (e[3], 3, R.PRIZE_WINNER),
        (e[4], 5, R.PARTICIPANT), (e[5], 6, R.PARTICIPANT)]
    tied_first = rules.results({e[0]: D(5), e[1]: D(5), e[2]: D(4)}, rule)
    assert [(r.place, r.status) for r in tied_first] == [(1, R.WINNER), (1, R.WINNER), (3, R.PRIZE_WINNER)]


def test_statuses_by_shares_round_down():
    e = ids(10)
    rule = AwardRule(winners=Tier(places=1), prize_winners=Tier(share=D("0.2")), laureates=Tier(share=D("0.25")))
    found = rules.results({x: D(100 - i) for i, x in enumerate(e)}, rule)
    statuses = [r.status for r in found]
    # 1 winner, floor(0.2 × 10) = 2 prize-winners, floor(0.25 × 10) = 2 laureates
    assert statuses == [R.WINNER, R.PRIZE_WINNER, R.PRIZE_WINNER, R.LAUREATE, R.LAUREATE] + [R.PARTICIPANT] * 5


def test_unscored_entries_cannot_be_ranked_and_are_named():
    a, b = ids(2)
    with pytest.raises(CompetitionRuleError) as refused:
        rules.results({a: D(1), b: None}, AwardRule())
    assert refused.value.code == "unscored" and str(b) in str(refused.value)


def test_an_award_rule_needs_places_or_a_share_and_never_advances_mere_participants():
    AwardRule().validate()
    with pytest.raises(CompetitionRuleError) as both:
        AwardRule(winners=Tier(places=1, share=D("0.1"))).validate()
    assert both.value.field == "awardRule.winners"
    with pytest.raises(CompetitionRuleError):
        AwardRule(laureates=Tier(share=D("1.5"))).validate()
    with pytest.raises(CompetitionRuleError) as everyone:
        AwardRule(advance=frozenset({R.PARTICIPANT})).validate()
    assert everyone.value.field == "awardRule.advance"


def test_the_statuses_the_rule_names_advance():
    e = ids(4)
    found = rules.results({e[0]: D(9), e[1]: D(8), e[2]: D(7), e[3]: D(6)}, AwardRule())
    assert [r.entry_id for r in rules.advancing(found, AwardRule())] == [e[0]]
    wider = AwardRule(advance=frozenset({R.WINNER, R.PRIZE_WINNER}))
    assert [r.entry_id for r in rules.advancing(found, wider)] == e[:3]


def test_advancement_goes_only_to_a_higher_stage():
    rules.next_stage_checked(L.MUNICIPAL, L.REGIONAL)
    rules.next_stage_checked(L.MUNICIPAL, L.FEDERAL)
    for to in (L.MUNICIPAL, L.SCHOOL):
        with pytest.raises(CompetitionRuleError) as refused:
            rules.next_stage_checked(L.MUNICIPAL, to)
        assert refused.value.code == "level" and "муниципальный этап" in str(refused.value)


def test_a_juror_from_the_entrants_or_a_team_members_organisation_is_refused_with_the_reason():
    juror, own, other, third = ids(4)
    person = uuid.uuid4()
    single = EntryParties(other, (Member(other, person),))
    assert rules.conflict(juror, [own], single) is None
    assert "организации участника" in rules.conflict(juror, [other], single)
    assert "собственную работу" in rules.conflict(person, [own], single)
    team = EntryParties(other, (Member(other), Member(third)))
    assert "участников команды" in rules.conflict(juror, [own, third], team)
    assert "подавшей заявку" in rules.conflict(juror, [other], team)
    assert rules.conflict(juror, [], team) is None


def test_stages_belong_to_a_municipality_or_to_the_region_and_who_runs_them():
    rules.stage_area_checked(L.MUNICIPAL, "29701000")
    rules.stage_area_checked(L.REGIONAL, None)
    with pytest.raises(CompetitionRuleError):
        rules.stage_area_checked(L.MUNICIPAL, None)
    with pytest.raises(CompetitionRuleError):
        rules.stage_area_checked(L.REGIONAL, "29701000")
    coordinator = Principal("c", Role.REGIONAL_COORDINATOR)
    kaluga = Principal("k", Role.MUNICIPAL_METHODIST, municipality="29701000")
    admin = Principal("a", Role.ORGANISATION_ADMIN, organisation=str(uuid.uuid4()))
    assert rules.may_run_stage(coordinator, L.REGIONAL, None)
    assert rules.may_run_stage(kaluga, L.MUNICIPAL, "29701000")
    assert not rules.may_run_stage(kaluga, L.MUNICIPAL, "29715000")
    assert not rules.may_run_stage(kaluga, L.REGIONAL, None)
    assert not rules.may_run_stage(admin, L.SCHOOL, "29701000")
    own = uuid.UUID(admin.organisation)
    assert rules.may_submit(admin, own, "29715000") and not rules.may_submit(admin, uuid.uuid4(), "29715000")
    assert rules.sees_entry(admin, L.REGIONAL, None, own, "29715000")
    assert not rules.sees_entry(kaluga, L.REGIONAL, None, own, "29715000")
    assert rules.sees_entry(Principal("x", Role.ANALYST), L.REGIONAL, None, own, "29715000")
    with pytest.raises(CompetitionRuleError) as elsewhere:
        rules.entrant_area_checked(L.MUNICIPAL, "29701000", "29715000")
    assert elsewhere.value.field == "organisationId"


def test_a_juror_is_a_pedagogue_s_token_and_enters_only_their_own_sheet():
    juror_id = uuid.uuid4()
    juror = Principal("j", Role.PEDAGOGUE, person=str(juror_id))
    assert rules.juror_of(juror) == juror_id
    assert rules.juror_of(Principal("p", Role.PEDAGOGUE, person="not-an-id")) is None
    assert rules.juror_of(Principal("k", Role.MUNICIPAL_METHODIST, municipality="29701000")) is None
    assert rules.may_score(juror, juror_id, runs_stage=False)
    assert not rules.may_score(juror, uuid.uuid4(), runs_stage=False)
    assert rules.may_score(Principal("k", Role.MUNICIPAL_METHODIST, municipality="29701000"), juror_id, runs_stage=True)
    own = uuid.uuid4()
    assert not rules.sees_entry(juror, L.MUNICIPAL, "29701000", own, "29701000")
    assert rules.sees_entry(juror, L.MUNICIPAL, "29701000", own, "29701000", judges=True)
