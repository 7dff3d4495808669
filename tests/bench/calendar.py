"""`make bench` (events part): a municipality's public iCal calendar over a year of methodical events.

A year of events for Kaluga (BENCH_CALENDAR_EVENTS, 600 by default; 1–3 sessions each; most held by the
municipality's schools, some by the region with Kaluga in the audience, some of a neighbour that must not show)
is written with COPY straight into the events service's tables of a running stack — the bench measures reads.
Then, interleaved, BENCH_CALENDAR_SAMPLES sequential requests of each: GET /calendar/municipalities/{oktmo}.ics
(and again with If-None-Match: its ETag)
on the events service over HTTP; its baseline, the plain SQL query selecting the same events and sessions with
asyncpg on the same database; and GraphQL `events(filter: {municipalityOktmo, from, to}, first: 50)` through the
gateway (a municipal methodist's token), walking the pages by cursor. p50/p99 of each. Then BENCH_CALENDAR_CHANGED
requests of the feed each right after one of its events changed, when it is written anew rather than answered as
written before. Figures only; nothing here asserts a speed."""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from metodset_kit.settings import with_database
from metodset_tools import devissuer
from metodset_tools.devstack import Infrastructure, Stack, free_port
from tests.bench.baselines import percentile
from tests.conftest import _drop_databases
from tests.events_app import KALUGA, OBNINSK, seed_organisation

EVENTS = int(os.environ.get("BENCH_CALENDAR_EVENTS", "600"))  # a smaller figure tries the bench out
SAMPLES = int(os.environ.get("BENCH_CALENDAR_SAMPLES", "200"))
CHANGED = int(os.environ.get("BENCH_CALENDAR_CHANGED", "20"))  # requests after a change: the feed written anew
SCHOOLS = 20
TODAY = date.today()
EVENTS_QUERY = """query($filter: EventFilter, $after: String) { events(filter: $filter, first: 50, after: $after) {
  totalCount nodes { id title organiserName sessions { startsAt endsAt } } pageInfo { hasNextPage endCursor } } }"""
FORMS = ("seminar", "workshop", "webinar", "master_class", "conference")
EVENT_COLUMNS = ("id", "form", "title", "level", "organiser_organisation_id", "municipality_oktmo",
                 "audience_municipalities", "format", "place", "capacity", "registration_opens",
                 "registration_closes", "starts_at", "ends_at", "starts_key", "hours", "created_by")
SESSION_COLUMNS = ("id", "event_id", "position", "starts_at", "ends_at", "hours", "check_in_code")
# The baseline: what the feed shows (the municipality's events, those naming it in the audience and the
# region's open to all, over the last year on), their organisers' names and their sessions, in one query.
BASELINE = """
select e.id, e.title, o.name, e.place, e.format, s.starts_at, s.ends_at, s.hours
  from methodical_events e
  join event_sessions s on s.event_id = e.id
  left join registry_organisations o on o.organisation_id = e.organiser_organisation_id
 where (e.municipality_oktmo = $1 or $1 = any(e.audience_municipalities)
        or (e.municipality_oktmo is null and cardinality(e.audience_municipalities) = 0))
   and e.ends_at > now() - interval '1 year'
 order by e.starts_at, e.id, s.position
"""


def year_of_events(kaluga: list[uuid.UUID], region: uuid.UUID, neighbour: uuid.UUID) -> tuple[list, list, int]:
    """Rows of methodical_events and event_sessions over the twelve months from now − 6 months: the events and
    sessions, and how many of the events Kaluga's calendar should show."""
    rnd, events, sessions, shown = random.Random(8), [], [], 0
    year_start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=182)
    for n in range(EVENTS):
        event, roll = uuid.uuid4(), rnd.random()
        if roll < 0.8:  # a school of Kaluga
            organiser, oktmo, audience, level = kaluga[n % len(kaluga)], KALUGA, [], "municipal"
        elif roll < 0.9:  # the region's, for Kaluga and Obninsk
            organiser, oktmo, audience, level = region, None, [KALUGA, OBNINSK], "regional"
        else:  # a neighbour's: not in Kaluga's calendar
            organiser, oktmo, audience, level = neighbour, OBNINSK, [], "municipal"
        shown += roll < 0.9
        first = year_start + timedelta(days=rnd.randrange(365), hours=rnd.choice((9, 10, 14)))
        parts = [(first + timedelta(days=7 * i), first + timedelta(days=7 * i, hours=4))
                 for i in range(rnd.randint(1, 3))]
        for i, (start, end) in enumerate(parts):
            sessions.append((uuid.uuid4(), event, i + 1, start, end, 4, f"{n:06d}{i}"))
        events.append((event, rnd.choice(FORMS), f"Семинар № {n + 1} «Формирующее оценивание»", level, organiser,
                       oktmo, audience, "in_person", f"Калуга, ул. Ленина, {n % 90 + 1}", 30,
                       first - timedelta(days=30), first - timedelta(days=1), parts[0][0], parts[-1][1],
                       parts[0][0].isoformat(), 4 * len(parts), "bench"))
    return events, sessions, shown


async def seed(pool) -> int:
    kaluga = [await seed_organisation(pool, KALUGA, i + 1) for i in range(SCHOOLS)]
    region = await seed_organisation(pool, KALUGA, 900, name="Калужский институт развития образования")
    neighbour = await seed_organisation(pool, OBNINSK, 901)
    events, sessions, shown = year_of_events(kaluga, region, neighbour)
    async with pool.acquire() as conn, conn.transaction():
        await conn.copy_records_to_table("methodical_events", columns=EVENT_COLUMNS, records=events)
        await conn.copy_records_to_table("event_sessions", columns=SESSION_COLUMNS, records=sessions)
    await pool.execute("analyze methodical_events; analyze event_sessions")
    return shown


async def latencies(events_url: str, pool, gateway: str, bearer: dict) -> dict[str, tuple[list[float], int]]:
    """The feed, its baseline and the GraphQL list, interleaved (the same cache, the same neighbours on the machine):
    sorted ms of each and its size (the feed's VEVENTs, the baseline's rows, the list's total count); the list walks
    its pages by cursor and starts over at the end."""
    out: dict[str, list[float]] = {"feed": [], "unchanged": [], "plain": [], "graphql": []}
    sizes: dict[str, int] = {}
    year = {"municipalityOktmo": KALUGA, "from": (TODAY - timedelta(days=183)).isoformat(),
            "to": (TODAY + timedelta(days=183)).isoformat()}
    after = None
    async with httpx.AsyncClient(base_url=events_url, timeout=60) as ev, \
            httpx.AsyncClient(base_url=gateway, headers=bearer, timeout=60) as gql:
        for _ in range(SAMPLES):
            started = time.perf_counter()
            r = await ev.get(f"/calendar/municipalities/{KALUGA}.ics")
            out["feed"].append((time.perf_counter() - started) * 1000)
            r.raise_for_status()
            sizes["feed"] = r.text.count("BEGIN:VEVENT")
            started = time.perf_counter()
            r = await ev.get(f"/calendar/municipalities/{KALUGA}.ics", headers={"If-None-Match": r.headers["etag"]})
            out["unchanged"].append((time.perf_counter() - started) * 1000)
            sizes["unchanged"] = r.status_code
            started = time.perf_counter()
            async with pool.acquire() as conn:
                sizes["plain"] = len(await conn.fetch(BASELINE, KALUGA))
            out["plain"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            r = await gql.post("/graphql", json={"query": EVENTS_QUERY, "variables": {"filter": year, "after": after}})
            out["graphql"].append((time.perf_counter() - started) * 1000)
            body = r.json()
            if body.get("errors"):
                raise RuntimeError(body["errors"])
            page = body["data"]["events"]
            after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
            sizes["graphql"] = page["totalCount"]
    return {k: (sorted(v), sizes[k]) for k, v in out.items()}


async def after_changes(events_url: str, pool) -> list[float]:
    """The feed requested right after one of its events changed (a title, as an organiser's edit): written anew,
    not answered from the feeds written before. Sorted ms."""
    out = []
    async with httpx.AsyncClient(base_url=events_url, timeout=60) as ev:
        for n in range(CHANGED):
            await pool.execute("update methodical_events set title = $1 where id = (select id from methodical_events "
                               "where municipality_oktmo = $2 order by id limit 1)", f"Семинар, правка {n}", KALUGA)
            started = time.perf_counter()
            (await ev.get(f"/calendar/municipalities/{KALUGA}.ics")).raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return sorted(out)


async def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="metodset-bench-calendar-"))
    infra = Infrastructure(data_dir, kafka_port=free_port()).start()
    namespace = f"benchc{uuid.uuid4().hex[:6]}"
    ports = {n: free_port() for n in ("gateway", "registry", "events", "monitoring")}
    stack = Stack(infra, ports=ports, database_prefix=namespace, extra_env={"KAFKA_NAMESPACE": namespace})
    try:
        stack.start(log_dir=data_dir)  # the gateway is ready once every service it reads is
        bearer = {"Authorization": "Bearer " + devissuer.issue("municipal_methodist", municipality=KALUGA,
                                                                base=data_dir)}
        database = with_database(infra.database_url, f"{namespace}_events")
        pool = await asyncpg.create_pool(database, min_size=1, max_size=2)
        try:
            shown = await seed(pool)
            events_url = stack.services["events"].url
            async with httpx.AsyncClient(base_url=events_url, timeout=60) as ev:
                for _ in range(5):  # warm the pools and the plans
                    (await ev.get(f"/calendar/municipalities/{KALUGA}.ics")).raise_for_status()
            figures = await latencies(events_url, pool, stack.services["gateway"].url, bearer)
            changed = await after_changes(events_url, pool)
        finally:
            await pool.close()
    finally:
        stack.stop()
        if os.environ.get("DATABASE_URL"):
            await _drop_databases(infra.database_url, f"{namespace}_")
        infra.stop()
    (feed, vevents), (plain, rows), (listed, total) = figures["feed"], figures["plain"], figures["graphql"]
    unchanged, status = figures["unchanged"]
    print(f"\nMetodset calendar: a year of {EVENTS} methodical events (1–3 sessions each), "
          f"{shown} in Kaluga's calendar; {SAMPLES} sequential requests of each, interleaved")
    print(f"  feed      GET /calendar/municipalities/{KALUGA}.ics on the events service ({vevents} VEVENTs): "
          f"p50 {statistics.median(feed):.1f} ms, p99 {percentile(feed, 99):.1f} ms (the feed as written before)")
    print(f"  changed   the same, right after one of its events changed ({CHANGED} times, the feed written anew): "
          f"p50 {statistics.median(changed):.1f} ms, max {changed[-1]:.1f} ms")
    print(f"  polled    the same with If-None-Match: its ETag (answered {status}): "
          f"p50 {statistics.median(unchanged):.1f} ms, p99 {percentile(unchanged, 99):.1f} ms")
    print(f"  baseline  the same events and sessions in one SQL query with asyncpg ({rows} rows): "
          f"p50 {statistics.median(plain):.1f} ms, p99 {percentile(plain, 99):.1f} ms")
    print(f"  graphql   events(filter: {{municipalityOktmo, from, to}}, first: 50) through the gateway, pages by "
          f"cursor ({total} events): p50 {statistics.median(listed):.1f} ms, p99 {percentile(listed, 99):.1f} ms")

if __name__ == "__main__":
    asyncio.run(main())
