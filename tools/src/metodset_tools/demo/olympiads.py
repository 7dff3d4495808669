"""The generator's olympiad year (region/olympiads.py) loaded into the events service through its REST API: the
school stage of every municipality in a few subjects (the protocol uploaded as a csv import), passing scores set
so that about the top quarter of each grade passes, the protocol published; then the municipal stage opened, its
participants created from the admission list, its protocol uploaded and published, and its diplomas issued.
Everything is looked up first, so a second run creates nothing (a re-uploaded protocol comes out unchanged)."""
from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from ..region import Region
from ..region.olympiads import CAPTIONS, Stage, municipal_rows, school_stages
from .client import LoadError, Tally
from .methodical import Waiter, listed, ok

HISTORY = (2025, ("mathematics",))  # last year's school stage in these subjects: the indicators' dynamics
PASSING_SHARE = 0.25  # about this share of each grade passes to the next stage
NOT_IN_PROJECTION = "не найдена среди действующих"


@dataclass
class OlympiadCounts:
    olympiad_stages: Tally = field(default_factory=Tally)
    olympiad_results: Tally = field(default_factory=Tally)
    olympiad_diplomas: Tally = field(default_factory=Tally)


def protocol(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CAPTIONS)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


@dataclass
class Loader:
    http: httpx.Client
    counts: OlympiadCounts
    waiter: Waiter

    def stage(self, stage: Stage, level: str, grades: tuple[int, ...]) -> dict:
        body = {"year": stage.year, "subject": stage.subject, "stage": level,
                "municipalityOktmo": stage.municipality_oktmo,
                "grades": [{"grade": g, "maxScore": stage.max_score} for g in grades]}
        r = self.http.post("/olympiads/stages", json=body)
        if r.status_code != 409:
            self.counts.olympiad_stages.created += 1
            return ok(r, f"Этап {level} {stage.subject}").json()
        self.counts.olympiad_stages.existing += 1
        return next(s for s in listed(self.http, "/olympiads/stages",
                                      {"year": stage.year, "subject": stage.subject, "stage": level},
                                      "Этапы олимпиады")
                    if s["municipalityOktmo"] == stage.municipality_oktmo)

    def upload(self, stage_id: str, rows) -> dict:
        while True:
            r = ok(self.http.post(f"/olympiads/stages/{stage_id}/results", params={"mode": "VALID_ROWS"},
                                  files={"file": ("protocol.csv", protocol(rows), "text/csv")}), "Протокол")
            job = r.json()
            while job["status"] not in ("DONE", "FAILED"):
                time.sleep(0.2)
                job = ok(self.http.get(f"/imports/{job['id']}"), "Задание импорта").json()
            if job["status"] == "FAILED":
                raise LoadError(f"Импорт протокола не выполнен / the protocol import failed: {job['failure']}")
            if not any(NOT_IN_PROJECTION in e["message"] for e in job["errors"]):
                break
            self.waiter.wait("организации (ИНН) / the organisations")
        self.counts.olympiad_results.created += job["created"] + job["updated"]
        self.counts.olympiad_results.existing += job["unchanged"]
        self.counts.olympiad_results.refused += len(job["errors"])
        return job

    def passing_scores(self, stage_id: str, rows, grades: tuple[int, ...]) -> None:
        for grade in grades:
            scores = sorted((r[7] for r in rows if r[6] == grade), reverse=True)
            if scores:
                bar = scores[min(len(scores) - 1, int(len(scores) * PASSING_SHARE))]
                ok(self.http.put(f"/olympiads/stages/{stage_id}/grades/{grade}/passing-score",
                                 json={"score": max(bar, 1)}), "Проходной балл")

    def publish(self, stage_id: str, diplomas: bool = False) -> None:
        r = self.http.post(f"/olympiads/stages/{stage_id}/protocol")
        if r.status_code != 409:
            ok(r, "Публикация протокола")
        if not diplomas:
            return
        diplomas = ok(self.http.post(f"/olympiads/stages/{stage_id}/diplomas"), "Дипломы").json()
        for item in diplomas["items"]:
            tally = self.counts.olympiad_diplomas
            tally.created, tally.existing = tally.created + bool(item["code"]), tally.existing + (not item["code"])


def load(http: httpx.Client, region: Region, counts: OlympiadCounts, say: Callable[[str], None],
         wait: float = 120) -> dict[str, str]:
    """Every municipality's school and municipal stages; a stage id to try in GraphiQL."""
    loader = Loader(http, counts, Waiter(wait, say))
    example = {}
    for stage in school_stages(region):
        say(f"  {stage.municipality_oktmo} {stage.subject}: школьный этап / the school stage ({len(stage.rows)})...")
        school = loader.stage(stage, "school", stage.grades)
        loader.upload(school["id"], stage.rows)
        higher = tuple(g for g in stage.grades if g >= 7)
        loader.passing_scores(school["id"], stage.rows, higher)
        loader.publish(school["id"])
        municipal = loader.stage(stage, "municipal", higher)
        ok(http.post(f"/olympiads/stages/{municipal['id']}/participants/from-admission"), "Допуск")
        admitted = list(listed(http, f"/olympiads/stages/{school['id']}/admission", {"limit": 1000}, "Допуск"))
        loader.upload(municipal["id"], municipal_rows(stage, admitted))
        loader.publish(municipal["id"], diplomas=True)  # a school stage's hundreds of diplomas: not in a demo
        example = example or {"olympiad_stage": school["id"]}
    year, subjects = HISTORY
    for stage in school_stages(region, seed=year, subjects=subjects, year=year):
        say(f"  {stage.municipality_oktmo} {stage.subject} {year}/{year + 1}: школьный этап прошлого года / last "
            f"year's school stage ({len(stage.rows)})...")
        past = loader.stage(stage, "school", stage.grades)
        loader.upload(past["id"], stage.rows)
        loader.publish(past["id"])
    return example
