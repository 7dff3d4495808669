"""`make bench` (events part): the last-place race — 200 concurrent registrations for an event with 50 places
and a waiting list, through the events service's POST /events/{id}/registrations (in process, no HTTP hop).
Checked: exactly 50 confirmed, the other 150 waitlisted at positions 1..150, no error. Reported: requests
per second over a few rounds (each a fresh event), next to the same registrations sent one after another.
Figures only; nothing here asserts a speed."""
from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, free_port
from tests.conftest import _drop_databases, token
from tests.events_app import KALUGA, events_client, seed_organisation, seed_staff

REQUESTS, PLACES, ROUNDS = 200, 50, 3


async def race(ev, headers: dict, persons: list[uuid.UUID], concurrent: bool = True) -> float:
    now = datetime.now(UTC)
    r = await ev.post("/events", headers=headers, json={
        "title": "Семинар (бенчмарк)", "form": "seminar", "level": "municipal", "organiserId": str(ev.school),
        "capacity": PLACES, "format": "in_person",
        "sessions": [{"startsAt": (now + timedelta(days=5)).isoformat(),
                      "endsAt": (now + timedelta(days=5, hours=4)).isoformat(), "hours": 4}],
        "registrationOpens": (now - timedelta(days=1)).isoformat(),
        "registrationCloses": (now + timedelta(days=4)).isoformat()})
    r.raise_for_status()
    event = r.json()["id"]

    async def one(p):
        return await ev.post(f"/events/{event}/registrations", headers=headers, json={"personIds": [str(p)]})

    started = time.perf_counter()
    answers = await asyncio.gather(*(one(p) for p in persons)) if concurrent else [await one(p) for p in persons]
    elapsed = time.perf_counter() - started
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200][:3]
    results = [a.json()[0] for a in answers]
    confirmed = sum(r["status"] == "confirmed" for r in results)
    waiting = sorted(r["waitingPosition"] for r in results if r["status"] == "waitlisted")
    assert confirmed == PLACES and waiting == list(range(1, REQUESTS - PLACES + 1)), (confirmed, waiting[:5])
    return elapsed


async def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-race-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    devissuer.ensure_keys(infra.data_dir)
    namespace = f"bench{uuid.uuid4().hex[:6]}"
    try:
        async with events_client(infra, namespace, log_level="WARNING") as ev:  # no access line per request
            ev.school = await seed_organisation(ev.pool, KALUGA, 1)
            persons = await seed_staff(ev.pool, ev.school, KALUGA, REQUESTS)
            headers = {"Authorization": f"Bearer {token(infra, 'regional_coordinator')}"}
            times = [await race(ev, headers, persons) for _ in range(ROUNDS)]
            sequential = await race(ev, headers, persons, concurrent=False)
    finally:
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    best, worst = min(times), max(times)
    print(f"\nMetodset registration race: {REQUESTS} concurrent registrations for {PLACES} places, {ROUNDS} rounds")
    print(f"  confirmed exactly {PLACES}, {REQUESTS - PLACES} waitlisted in order, no error — every round")
    print(f"  throughput  {REQUESTS / best:7.0f} req/s best, {REQUESTS / worst:7.0f} req/s worst "
          f"({best * 1000:.0f}–{worst * 1000:.0f} ms per race)")
    print(f"  baseline    {REQUESTS / sequential:7.0f} req/s the same {REQUESTS} registrations one after another")


if __name__ == "__main__":
    asyncio.run(main())
