"""The generator's competition: seeded; a jury without a juror from an entrant's school on that entrant's sheets;
every sheet within the rubric; young specialists in the debut; the inputs fill the GraphQL inputs as declared;
a diploma shows the stage, nomination, place and score."""
from decimal import Decimal

import pytest

from metodset_contracts.competitions import ResultStatus, StageLevel
from metodset_events.domain.competition_diplomas import diploma_spec, student_name
from metodset_gateway.schema import schema
from metodset_tools.region import small


@pytest.fixture(scope="module")
def region():
    return small()


def _fields(name: str) -> set[str]:
    return set(schema._schema.type_map[name].fields)


def test_the_same_seed_gives_the_same_competition(region):
    assert small().competitions == region.competitions and len(region.competitions) == 1


def test_no_juror_scores_an_entrant_of_their_own_school_and_sheets_fit_the_rubric(region):
    [c] = region.competitions
    persons = {p.key for p in region.persons}
    jobs = {e.person_key: e.organisation_inn for e in region.employments if e.end_date is None and e.main}
    rubric = {n.title: {k.code: k.max_points for k in n.criteria} for n in c.nominations}
    assert set(c.juror_keys) <= persons and not set(c.juror_keys) & {e.person_key for e in c.entries}
    for e in c.entries:
        assert e.sheets and all(jobs[s.juror_key] != e.organisation_inn for s in e.sheets)
        for s in e.sheets:
            assert dict(s.points).keys() == rubric[e.nomination].keys()
            assert all(0 <= p <= rubric[e.nomination][code] for code, p in s.points)
    assert {e.nomination for e in c.entries} == {"Учитель года", "Педагогический дебют"}


def test_the_inputs_are_those_the_gateway_declares(region):
    [c] = region.competitions
    assert set(c.create_competition_input()) <= _fields("CreateCompetitionInput")
    assert set(c.nominations[0].add_nomination_input()) <= _fields("AddNominationInput")


def test_a_diploma_shows_stage_nomination_place_and_score():
    spec = diploma_spec(competition="Учитель года — 2027", year=2027, level=StageLevel.MUNICIPAL,
                        nomination="Педагогический дебют", status=ResultStatus.PRIZE_WINNER, place=2,
                        score=Decimal("61.50"), holder=" Рябинина Анна ", region="Калужская область",
                        municipality_oktmo="29701000")
    facts = {f.label: f.value for f in spec.facts}
    assert spec.title == "Диплом призёра" and spec.holder == "Рябинина Анна"
    assert facts == {"Этап": "муниципальный этап", "Номинация": "Педагогический дебют", "Место": "2",
                     "Итоговый балл": "61,5", "Год": "2027"}
    assert "29701000" in spec.issuer  # no name announced yet: the ОКТМО
    named = diploma_spec(competition="К", year=2027, level=StageLevel.MUNICIPAL, nomination="Н",
                         status=ResultStatus.WINNER, place=1, score=Decimal("70"), holder="А",
                         region="Калужская область", municipality_oktmo="29701000",
                         municipality="городской округ «Город Калуга»")
    assert named.issuer == "Муниципальная методическая служба, городской округ «Город Калуга»"
    assert diploma_spec(competition="К", year=2027, level=StageLevel.REGIONAL, nomination="Н",
                        status=ResultStatus.WINNER, place=1, score=Decimal("70"), holder="А",
                        region="Калужская область", municipality_oktmo=None).issuer.endswith("Калужская область")
    assert student_name("Соколова", "Варвара", None) == "Соколова Варвара"
