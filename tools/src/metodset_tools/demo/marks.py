"""Site statuses and flags of organisations (`POST /organisations/{id}/sites`, `/flags`, with the payloads of
region/marks.py): an organisation's history is read first and a status or flag of the same kind starting the
same day is not granted again; those the generator ended early are ended (`.../end`, `.../clear`) once."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import httpx

from ..region import OrganisationFlag, Region, SiteStatus
from .client import Tally, ok


def load(http: httpx.Client, region: Region, org_ids: dict[str, str], sites: Tally, flags: Tally) -> None:
    _marks(http, region.sites, org_ids, "sites", "end", lambda s: s.ended_on, "ended", sites)
    _marks(http, region.flags, org_ids, "flags", "clear", lambda f: f.cleared_on, "cleared", flags)


def _marks(http: httpx.Client, marks: list[SiteStatus] | list[OrganisationFlag], org_ids: dict[str, str],
           path: str, stop: str, stopped_on, stopped: str, tally: Tally) -> None:
    by_org = defaultdict(list)
    for mark in marks:
        by_org[mark.organisation_inn].append(mark)
    for inn, mine in by_org.items():
        org_id = org_ids.get(inn)
        if org_id is None:
            tally.refused += len(mine)
            continue
        url = f"/organisations/{org_id}/{path}"
        have = {(m["kind"], m["from"]): m for m in ok(http.get(url), "статусы и признаки").json()}
        for mark in mine:
            found = have.get((mark.kind.value, mark.start.isoformat()))
            if found is None:
                r = http.post(url, json=mark.payload())
                if r.status_code == 422:
                    tally.refused += 1
                    continue
                found = ok(r, "статус или признак").json()
                tally.created += 1
            else:
                tally.existing += 1
            last: date | None = stopped_on(mark)
            if last is not None and not found[stopped]:
                ok(http.post(f"{url}/{found['id']}/{stop}", json={"to": last.isoformat()}), "окончание статуса")
