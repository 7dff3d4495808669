"""The gateway's competitions: inputs become the events service's REST bodies."""
from metodset_gateway.competitions import (
    AwardRuleInput,
    CompetitionFormat,
    CompetitionKind,
    CompetitionStatus,
    CreateCompetitionInput,
    ParticipantInput,
    ScoreAggregation,
    SubmitEntryInput,
    TierInput,
    create_body,
    entry_body,
)

ORG = "6f1c1bbf-5e83-4d0d-9b7e-3a5b0c0b1a11"
PERSON = "0b0f8c0e-9a59-4a53-8d57-6f5b0f2f8a10"
NOMINATION = "2a2bdf5e-4a4f-4d7a-9c57-8d2d3a3c1b20"


def test_a_competition_input_becomes_the_rest_body_with_its_award_rule():
    plain = create_body(CreateCompetitionInput(title="Учитель года — 2027", kind=CompetitionKind("staff"),
                                               format=CompetitionFormat("professional_skill"), year=2027))
    assert plain == {"title": "Учитель года — 2027", "kind": "staff", "format": "professional_skill", "year": 2027,
                     "municipalityOktmo": None, "aggregation": "mean"}
    ruled = create_body(CreateCompetitionInput(
        title="Фестиваль", kind=CompetitionKind("student"), format=CompetitionFormat("festival"), year=2027,
        aggregation=ScoreAggregation("sum"), award_rule=AwardRuleInput(
            winners=TierInput(places=1), prize_winners=TierInput(share=0.2), laureates=TierInput(share=0.3),
            advance=[CompetitionStatus("winner"), CompetitionStatus("prize_winner")])))
    assert ruled["aggregation"] == "sum" and ruled["awardRule"] == {
        "winners": {"places": 1, "share": None}, "prizeWinners": {"places": None, "share": 0.2},
        "laureates": {"places": None, "share": 0.3}, "advance": ["winner", "prize_winner"]}


def test_an_entry_sends_only_what_each_participant_gave():
    body = entry_body(SubmitEntryInput(nomination_id=NOMINATION, organisation_id=ORG, title="Проект", participants=[
        ParticipantInput(person_id=PERSON),
        ParticipantInput(last_name="Соколова", first_name="Варвара", grade=9, organisation_id=ORG)]))
    assert body == {"nominationId": NOMINATION, "organisationId": ORG, "title": "Проект", "teamName": None,
                    "members": [{"personId": PERSON},
                                {"lastName": "Соколова", "firstName": "Варвара", "grade": 9, "organisationId": ORG}]}
