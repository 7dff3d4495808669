"""Monitoring's facts from the olympiad and competition topics on a real PostgreSQL: protocols per organisation
and staff competition results become the olympiad and competition indicators (students counted by a campaign's
students_total), a republished protocol replaces its numbers whatever the order of arrival."""
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from metodset_contracts.competitions import CompetitionResultPublished
from metodset_contracts.olympiads import OlympiadOrganisationTally, OlympiadProtocolPublished
from metodset_kit.events import new_event
from metodset_monitoring.domain.periods import PeriodKind, containing
from metodset_monitoring.recomputer import Recomputer
from tests.integration import test_monitoring_indicators as base
from tests.integration.test_monitoring_indicators import KALUGA, OBNINSK, _apply, _job, _org

pytestmark = pytest.mark.integration
pool = base.pool  # the same fixture: a migrated monitoring database with the shipped catalogue, this module's own

PERIOD = containing(date.today(), PeriodKind.ACADEMIC_YEAR)
YEAR = PERIOD.start.year


def _ev(data, when=None):
    event = new_event(data, source="urn:test", subject="x")
    return event.model_copy(update={"time": when}) if when else event


def _protocol(stage_id, version, tallies, stage="municipal", oktmo=KALUGA):
    return _ev(OlympiadProtocolPublished(
        stage_id=stage_id, year=YEAR, subject="mathematics", stage=stage, municipality_oktmo=oktmo,
        protocol_version=version, participants=sum(t[2] for t in tallies), winners=sum(t[3] for t in tallies),
        prize_winners=sum(t[4] for t in tallies),
        organisations=[OlympiadOrganisationTally(organisation_id=o, municipality_oktmo=m, participants=p, winners=w,
                                                 prize_winners=pw) for o, m, p, w, pw in tallies]))


def _result(org_event, people, status, when):
    d = org_event.data
    return _ev(CompetitionResultPublished(
        entry_id=uuid.uuid4(), competition_id=uuid.uuid4(), stage_id=uuid.uuid4(), nomination_id=uuid.uuid4(),
        kind="staff", level="municipal", organisation_id=d["organisationId"], municipality_oktmo=d["municipalityOktmo"],
        person_ids=people, member_count=len(people), place=1, status=status, score=Decimal(90)), when)


async def _values(pool, code):
    rows = await pool.fetch("select level, subject, value from indicator_values where code = $1 and period = $2",
                            code, PERIOD.code)
    return {(r["level"], r["subject"]): r["value"] for r in rows}


async def _students(pool, org, oktmo, count):
    await pool.execute(
        "insert into facts (kind, record_id, organisation_id, municipality_oktmo, value, attrs) "
        "values ('campaign', 'c1:' || $1 || ':students_total', $1::uuid, $2, $3, $4::jsonb)",
        org, oktmo, count, {"campaign": "c1", "form": "f", "field": "students_total", "period": PERIOD.code})


async def test_olympiad_protocols_and_staff_competitions_give_their_indicators(pool):
    kaluga, obninsk = _org(KALUGA, 11), _org(OBNINSK, 12)
    k, o = kaluga.data["organisationId"], obninsk.data["organisationId"]
    teachers = [uuid.uuid4() for _ in range(4)]
    await _apply(pool, [kaluga, obninsk, _job(kaluga, teachers[0]), _job(kaluga, teachers[1]),
                        _job(obninsk, teachers[2]), _job(obninsk, teachers[3])])
    await _students(pool, k, KALUGA, 200)
    await _students(pool, o, OBNINSK, 100)
    school, municipal = uuid.uuid4(), uuid.uuid4()
    day = datetime.combine(PERIOD.start + timedelta(days=40), datetime.min.time()).astimezone()
    republished = _protocol(municipal, 2, [(k, KALUGA, 20, 2, 4)])
    await _apply(pool, [
        _protocol(school, 1, [(k, KALUGA, 60, 5, 10), (o, OBNINSK, 30, 1, 2)], stage="school"),
        republished,  # version 2 first: the late version 1 must not undo it
        _protocol(municipal, 1, [(k, KALUGA, 25, 3, 5)]),
        _result(kaluga, [teachers[0]], "prize_winner", day),
        _result(obninsk, [teachers[2]], "participant", day),
    ])
    await _apply(pool, [republished])  # a duplicate changes nothing
    await Recomputer(pool).run_once()

    participants = await _values(pool, "olympiad_participants_per_100")
    assert participants[("municipality", KALUGA)] == pytest.approx(100 * 80 / 200)
    assert participants[("organisation", o)] == pytest.approx(30.0)
    assert participants[("region", "region")] == pytest.approx(100 * 110 / 300)
    success = await _values(pool, "olympiad_success_per_100")
    assert success[("municipality", KALUGA)] == pytest.approx(100 * (15 + 6) / 200)
    assert success[("municipality", OBNINSK)] == pytest.approx(3.0)
    stage = await _values(pool, "olympiad_municipal_stage_success_per_100")
    assert stage[("municipality", KALUGA)] == pytest.approx(3.0) and stage[("municipality", OBNINSK)] == 0

    competed = await _values(pool, "competition_participants_per_100")
    assert competed[("region", "region")] == pytest.approx(50.0)
    won = await _values(pool, "competition_winners_per_100")
    assert won[("municipality", KALUGA)] == pytest.approx(50.0) and won[("municipality", OBNINSK)] == 0
