"""Staff through the registry's own xlsx import (the file a municipal service would upload), then the
dismissals of the jobs that ended. The template has no end date, so the ended jobs go first in a file of
their own and are dismissed before the current jobs arrive (a person has one main job at a time)."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import httpx

from metodset_kit.tabular.writing import XLSX_MEDIA_TYPE, kind_workbook
from metodset_registry.imports.staff import STAFF

from ..region import Region, staff_rows
from ..region.model import Employment
from .client import LoadError, Tally, items, ok

KEYS = [c.key for c in STAFF.columns]  # in the order of the template's captions, as staff_rows gives them
POLL = 0.5  # seconds between two looks at a running import
WAIT = 900  # seconds an import may take before the demo gives up
SHOWN_ERRORS = 5

Say = Callable[[str], None]


def workbook(rows: list[list]) -> bytes:
    """The staff template (captions, instruction, drop-down lists) filled with the rows (the writer wants the
    «Основное место работы» as a bool and writes да/нет itself)."""
    records = [dict(zip(KEYS, row, strict=True)) for row in rows]
    for record in records:
        record["main"] = record["main"] == "да"
    return kind_workbook(STAFF, records)


def upload(http: httpx.Client, rows: list[list], title: str, tally: Tally, say: Say) -> None:
    """The staff rows through `import_file`."""
    if rows:
        import_file(http, "staff", workbook(rows), len(rows), title, tally, say)


def import_file(http: httpx.Client, kind: str, content: bytes, count: int, title: str, tally: Tally,
                say: Say) -> None:
    """`POST /imports?kind=…&mode=VALID_ROWS`, then `GET /imports/{id}` until it is done, telling progress."""
    files = {"file": (f"{title}.xlsx", content, XLSX_MEDIA_TYPE)}
    job = ok(http.post("/imports", params={"kind": kind, "mode": "VALID_ROWS"}, files=files),
             f"импорт «{title}»").json()
    say(f"  импорт «{title}» / {kind} import: задание {job['id']}, строк {count}")
    job = _wait(http, job, say)
    if job["status"] != "DONE":
        raise LoadError(f"Импорт «{title}» не выполнен / the import failed: {job.get('failure')}")
    tally.created += job["created"] + job["updated"]
    tally.existing += job["unchanged"]
    tally.refused += len({e["row"] for e in job["errors"]})
    for e in job["errors"][:SHOWN_ERRORS]:
        say(f"    строка {e['row']}, «{e['column']}»: {e['message']}")


def _wait(http: httpx.Client, job: dict, say: Say) -> dict:
    deadline, shown = time.monotonic() + WAIT, None
    while job["status"] in ("QUEUED", "RUNNING"):
        if time.monotonic() > deadline:
            raise LoadError(f"Импорт {job['id']} идёт дольше {WAIT} с / the import takes too long")
        time.sleep(POLL)
        job = ok(http.get(f"/imports/{job['id']}"), "задание импорта").json()
        progress = (job["status"], job["done"], job["total"])
        if progress != shown:
            say(f"    {job['status']}: {job['done']} из {job['total']} / rows done")
            shown = progress
    return job


class Directory:
    """Registered staff found the way a person finds them: an organisation's staff on a day, by name and birth
    date. Pages are read once per (organisation, day)."""

    def __init__(self, http: httpx.Client, region: Region, org_ids: dict[str, str]):
        self.http, self.org_ids = http, org_ids
        self.people = {p.key: p for p in region.persons}
        self.jobs: dict[str, list[Employment]] = {}
        for job in region.employments:
            self.jobs.setdefault(job.person_key, []).append(job)
        self._pages: dict[tuple[str, date], list[dict]] = {}

    def staff_on(self, org_id: str, day: date) -> list[dict]:
        key = (org_id, day)
        if key not in self._pages:
            params = {"organisation": org_id, "asOf": day.isoformat(), "limit": 1000}
            self._pages[key] = list(items(self.http, "/staff", params, "список работников"))
        return self._pages[key]

    def forget(self) -> None:
        """The registry changed: read the pages again."""
        self._pages.clear()

    def find(self, job: Employment) -> tuple[dict, dict] | None:
        """The registered person and employment of a generated job."""
        org_id = self.org_ids.get(job.organisation_inn)
        if org_id is None:
            return None
        p = self.people[job.person_key]
        who = (p.last_name, p.first_name, p.middle_name, p.birth_date.isoformat())
        for item in self.staff_on(org_id, job.start_date):
            if (item["lastName"], item["firstName"], item["middleName"], item["birthDate"]) != who:
                continue
            for e in item["employments"]:
                if (e["organisationId"], e["startDate"], e["position"]) == (org_id, job.start_date.isoformat(),
                                                                          job.position):
                    return item, e
        return None

    def person_id(self, person_key: str) -> str | None:
        for job in self.jobs.get(person_key, []):
            found = self.find(job)
            if found:
                return found[0]["id"]
        return None


def dismiss(http: httpx.Client, region: Region, directory: Directory, tally: Tally, say: Say) -> None:
    """`POST /employments/{id}/dismiss` for every generated job that ended and is still open in the registry."""
    for job in region.employments:
        if job.end_date is None:
            continue
        found = directory.find(job)
        if found is None:
            tally.refused += 1
            continue
        employment = found[1]
        if employment["endDate"] is not None:
            tally.existing += 1
            continue
        r = http.post(f"/employments/{employment['id']}/dismiss", json={"endDate": job.end_date.isoformat()})
        if r.status_code == 422:
            tally.refused += 1
            say(f"    увольнение {job.key}: {r.text[:200]}")
            continue
        ok(r, "увольнение")
        tally.created += 1


SAMPLE = 200  # registered staff of a municipality compared with the generated ones


def check_same_region(http: httpx.Client, region: Region) -> None:
    """Refuse to load staff over the staff of another generated region: another seed or staff scale draws other
    people with the same СНИЛС serials, and the import would rename the registered ones. A few people added by
    hand do not count; most of a municipality's staff unknown to this region does."""
    generated = {(p.last_name, p.first_name, p.middle_name, p.birth_date.isoformat()) for p in region.persons}
    for m in region.municipalities:
        page = ok(http.get("/staff", params={"municipality": m.oktmo, "limit": SAMPLE}), "список работников").json()
        found = page["items"]
        foreign = sum((i["lastName"], i["firstName"], i["middleName"], i["birthDate"]) not in generated for i in found)
        if found and foreign * 2 > len(found):
            raise LoadError(
                f"В реестре уже работники другого сгенерированного региона ({m.name}: {foreign} из {len(found)} не "
                f"совпадают): запустите demo с прежними --seed и --staff-scale или начните с пустой базы (остановите "
                f"`make run` и удалите .data/postgres) / the registry holds the staff of another generated region: "
                f"use the same --seed and --staff-scale as before, or start from an empty database")


def load(http: httpx.Client, region: Region, org_ids: dict[str, str], rows: Tally, dismissals: Tally,
         say: Say) -> Directory:
    check_same_region(http, region)
    upload(http, staff_rows(region, ended=True), "Прошлые места работы", rows, say)
    directory = Directory(http, region, org_ids)
    dismiss(http, region, directory, dismissals, say)
    upload(http, staff_rows(region), "Работники", rows, say)
    directory.forget()
    return directory
