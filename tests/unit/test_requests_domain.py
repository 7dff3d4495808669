"""Support requests: the life of a request, and response times (declared → assigned, → first consultation,
→ closed) aggregated per municipality: medians over the requests that reached a stage, the share of all
requests within N days."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from metodset_contracts.requests import RequestOutcome, RequestStatus
from metodset_events.domain import requests as rules
from metodset_events.domain.requests import Request, RequestError

T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)
KALUGA, OBNINSK = "29701000", "29715000"


def request(oktmo=KALUGA, **kw) -> Request:
    return Request(id=uuid.uuid4(), organisation_id=uuid.uuid4(), municipality_oktmo=oktmo, topic="ВПР",
                   asked="Помочь", subject=None, declared_at=T0, **kw)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_the_life_of_a_request():
    r = request()
    with pytest.raises(RequestError):
        rules.consulted(r, hours(1))  # no methodist yet
    with pytest.raises(RequestError) as e:
        rules.close(r, RequestOutcome.RESOLVED, None, 5, hours(1))
    assert e.value.field == "outcome"
    methodist = uuid.uuid4()
    r = rules.assign(r, methodist, hours(5))
    r = rules.assign(r, uuid.uuid4(), hours(9))  # re-assigned: the first assignment stays the response time
    assert r.assigned_at == hours(5) and r.status is RequestStatus.ASSIGNED
    r = rules.consulted(rules.consulted(r, hours(30)), hours(50))
    assert r.first_consulted_at == hours(30) and r.consultations == 2
    r = rules.close(r, RequestOutcome.RESOLVED, "Разобрали", 5, hours(72))
    assert rules.response_hours(r) == {"assigned": 5.0, "consulted": 30.0, "closed": 72.0}
    for act in (lambda: rules.assign(r, methodist, hours(80)), lambda: rules.consulted(r, hours(80)),
                lambda: rules.close(r, RequestOutcome.RESOLVED, None, 4, hours(80))):
        with pytest.raises(RequestError):
            act()


def test_a_declared_request_may_be_withdrawn():
    r = rules.close(request(), RequestOutcome.WITHDRAWN, None, None, hours(2))
    assert r.status is RequestStatus.CLOSED and rules.response_hours(r)["assigned"] is None


def test_response_times_per_municipality():
    requests = [
        request(assigned_at=hours(10), first_consulted_at=hours(40), closed_at=hours(100), rating=5),
        request(assigned_at=hours(30), first_consulted_at=hours(80), rating=3),
        request(assigned_at=hours(80)),
        request(),  # still waiting: counts in the share's denominator, not in the median
        request(OBNINSK, assigned_at=hours(1)),
    ]
    kaluga, obninsk = rules.response_times(requests, within_days=2)
    assert (kaluga.municipality_oktmo, kaluga.requests, obninsk.requests) == (KALUGA, 4, 1)
    stages = {s.stage: s for s in kaluga.stages}
    assert (stages["assigned"].reached, stages["assigned"].median_hours) == (3, 30.0)
    assert stages["assigned"].within == 0.5  # 10 h and 30 h within 48 h, of 4 requests
    assert (stages["consulted"].median_hours, stages["consulted"].within) == (60.0, 0.25)
    assert (stages["closed"].reached, stages["closed"].median_hours, stages["closed"].within) == (1, 100.0, 0.0)
    assert kaluga.average_rating == 4.0 and obninsk.average_rating is None


def test_a_boundary_of_exactly_n_days_is_within():
    r = request(assigned_at=hours(72))
    [t] = rules.response_times([r], within_days=3)
    assert t.stages[0].within == 1.0
    [t] = rules.response_times([r], within_days=2)
    assert t.stages[0].within == 0.0
