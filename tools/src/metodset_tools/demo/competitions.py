"""The generator's competition (region.competitions) loaded into the events service through its REST API: the
competition with its nominations, the municipal stage with its jury, the entries with every juror's scores, and
the results published. Everything is looked up first, so a second run creates nothing; a published stage is
left as it is.

The events service knows persons only from its projection of the registry's topics: the demo waits (with a
message and a timeout, methodical.Waiter) while it does not know a juror or an entrant yet."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from ..region import Region
from ..region.competitions import Competition, Entry
from .client import Tally
from .methodical import Waiter, listed, ok

ENUMS = ("kind", "format", "aggregation")  # GraphQL enum values → the REST API's codes


@dataclass
class Loader:
    http: httpx.Client
    org_ids: Mapping[str, str]  # ИНН → id
    ids: Mapping[str, str]  # person key → id
    entries: Tally
    scores: Tally
    waiter: Waiter

    def competition(self, c: Competition) -> dict:
        found = next((x for x in listed(self.http, "/competitions", {"year": c.year, "limit": 200}, "конкурсы")
                      if x["title"] == c.title), None)
        if found is None:
            body = {k: v.lower() if k in ENUMS else v for k, v in c.create_competition_input().items()}
            found = ok(self.http.post("/competitions", json=body), "конкурс").json()
        have = {n["title"] for n in found["nominations"]}
        for n in c.nominations:
            if n.title not in have:
                ok(self.http.post(f"/competitions/{found['id']}/nominations", json=n.add_nomination_input()),
                   "номинация")
        stage = next((s for s in found["stages"] if s["municipalityOktmo"] == c.municipality_oktmo), None)
        if stage is None:
            stage = ok(self.http.post(f"/competitions/{found['id']}/stages",
                                      json={"level": "municipal", "municipalityOktmo": c.municipality_oktmo}),
                       "этап конкурса").json()
        return {"id": found["id"], "stage": stage, "nominations": {
            n["title"]: n["id"] for n in ok(self.http.get(f"/competitions/{found['id']}"), "конкурс").json()[
                "nominations"]}}

    def jury(self, c: Competition, stage: dict) -> None:
        for key in c.juror_keys:
            person = self.ids.get(key)
            while person and person not in stage["jurorIds"]:
                r = self.http.post(f"/competition-stages/{stage['id']}/jurors", json={"personId": person})
                if r.status_code == 422 and "personId" in r.text:
                    self.waiter.wait("членов жюри / the jurors")
                    continue
                stage = ok(r, "член жюри").json()

    def entry(self, e: Entry, stage: str, nomination: str, have: dict[tuple[str, str], str]) -> tuple[str, bool]:
        """The entry's id and whether this run submitted it; ("", False) when its person or school is unknown."""
        person, organisation = self.ids.get(e.person_key), self.org_ids.get(e.organisation_inn)
        if person is None or organisation is None:
            self.entries.refused += 1
            return "", False
        if (nomination, person) in have:
            self.entries.existing += 1
            return have[(nomination, person)], False
        body = {"nominationId": nomination, "organisationId": organisation, "members": [{"personId": person}]}
        while True:
            r = self.http.post(f"/competition-stages/{stage}/entries", json=body)
            if r.status_code == 422 and "members[0].personId" in r.text:
                self.waiter.wait("участников конкурса / the entrants")
                continue
            self.entries.created += 1
            return ok(r, "заявка на конкурс").json()["id"], True

    def score(self, e: Entry, entry: str, fresh: bool) -> None:
        """Every juror's sheet (a sheet sent again replaces the juror's earlier one: an interrupted run resumes)."""
        for sheet in e.sheets:
            juror = self.ids.get(sheet.juror_key)
            if juror is None:
                self.scores.refused += 1
                continue
            ok(self.http.post(f"/competition-entries/{entry}/scores",
                              json={"jurorId": juror, "scores": dict(sheet.points)}), "баллы жюри")
            if fresh:
                self.scores.created += 1
            else:
                self.scores.existing += 1


def load(http: httpx.Client, region: Region, org_ids: Mapping[str, str], ids: Mapping[str, str], entries: Tally,
         scores: Tally, waiter: Waiter) -> dict[str, str]:
    """Each competition of the region; the first one's id to try in GraphiQL."""
    loader = Loader(http, org_ids, ids, entries, scores, waiter)
    examples: dict[str, str] = {}
    for c in region.competitions:
        made = loader.competition(c)
        stage = made["stage"]
        examples.setdefault("competition", made["id"])
        if stage["status"] != "open":
            entries.existing += len(c.entries)
            continue
        loader.jury(c, stage)
        have = {(x["nominationId"], m["personId"]): x["id"] for x in listed(
            http, f"/competition-stages/{stage['id']}/entries", {"limit": 1000}, "заявки") for m in x["members"]}
        for e in c.entries:
            entry, fresh = loader.entry(e, stage["id"], made["nominations"][e.nomination], have)
            if entry:
                loader.score(e, entry, fresh)
        ok(http.post(f"/competition-stages/{stage['id']}/publish"), "итоги этапа конкурса")
    return examples
