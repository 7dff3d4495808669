"""The generator's year of methodical work (region.methodical) loaded into the events service through its REST API:
events with sessions and quotas, registrations, attendance of past sessions, completion and a few certificates;
annual work plans with item statuses; support requests with consultations; the bank of practices. Everything is
looked up first, so a second run creates nothing.

The events service knows organisations and persons only from its projection of the registry's topics: the demo
waits (with a message and a timeout) while the projection does not know an organiser or a person yet.

A registration needs an open window, so an event is scheduled with its window widened to include the moment of
loading (registration of a past event closes an hour later); the generated sessions stay as they are."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from ..region import Region
from ..region.events_model import MethodicalEvent, Practice, SupportRequest, WorkPlan
from . import client
from .client import LoadError, Tally

UPPER = ("level", "format", "status", "outcome", "form")  # GraphQL enum values → the REST API's codes
CERTIFIED_EVENTS = 2  # events whose participants get certificates
POLL = 1.0


@dataclass
class Counts:
    """What the methodical year did on this run (the demo's Summary holds them)."""

    events: Tally = field(default_factory=Tally)
    registrations: Tally = field(default_factory=Tally)
    attendance: Tally = field(default_factory=Tally)
    completions: Tally = field(default_factory=Tally)
    certificates: Tally = field(default_factory=Tally)
    plans: Tally = field(default_factory=Tally)
    plan_items: Tally = field(default_factory=Tally)
    requests: Tally = field(default_factory=Tally)
    consultations: Tally = field(default_factory=Tally)
    practices: Tally = field(default_factory=Tally)


def ok(r: httpx.Response, what: str) -> httpx.Response:
    return client.ok(r, what, client.EVENTS)


def listed(http: httpx.Client, path: str, params: dict, what: str) -> Iterator[dict]:
    return client.items(http, path, params, what, client.EVENTS)


def rest(body: dict) -> dict:
    """A GraphQL input as the REST API takes it: enum values in lower case, empty fields left out."""
    return {k: (v.lower() if k in UPPER and isinstance(v, str) else v) for k, v in body.items() if v is not None}


class Waiter:
    """Polls while the projection of the registry does not know something yet, up to a deadline for the run."""

    def __init__(self, timeout: float, say: Callable[[str], None]):
        self.deadline, self.say, self.told = time.monotonic() + timeout, say, False
        self.timeout = timeout

    def wait(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            raise LoadError(f"Сервис мероприятий за {self.timeout:.0f} с так и не узнал из топиков реестра {what}: "
                            f"запущена ли проекция (`make run`)? / the events service's projection still does not "
                            f"know {what} after {self.timeout:.0f}s")
        if not self.told:
            self.say(f"  Ждём, пока сервис мероприятий узнает из топиков реестра {what} / waiting for the events "
                     f"service's projection of the registry...")
            self.told = True
        time.sleep(POLL)


@dataclass
class Loader:
    http: httpx.Client
    region: Region
    org_ids: Mapping[str, str]  # ИНН → id
    ids: Mapping[str, str]  # person key → id
    counts: Counts
    waiter: Waiter
    event_ids: dict[str, str] = field(default_factory=dict)  # event key → id
    confirmed: dict[str, set[str]] = field(default_factory=dict)  # event key → confirmed person ids
    body_ids: Mapping[str, str] = field(default_factory=dict)  # body key → id

    # events ---------------------------------------------------------------------------------------------------
    def events(self) -> None:
        known: dict[str, dict[tuple, str]] = {}
        for e in self.region.methodical.events:
            host = self.org_ids.get(e.organiser_inn)
            organiser = self.body_ids.get(e.organiser_body_key, host) if e.organiser_body_key else host
            if organiser is None:
                self.counts.events.refused += 1
                continue
            # a stack loaded before bodies ran events holds them under the host organisation
            found = next(filter(None, (self._known(known, o).get(_identity(e.title, e.sessions[0].starts_at))
                                       for o in dict.fromkeys((organiser, host)) if o)), None)
            if found:
                self.counts.events.existing += 1
            else:
                found = self._schedule(e, organiser)
                self.counts.events.created += 1
            self.event_ids[e.key] = found

    def _known(self, known: dict[str, dict[tuple, str]], organiser: str) -> dict[tuple, str]:
        if organiser not in known:
            known[organiser] = {_identity(x["title"], x["sessions"][0]["startsAt"]): x["id"] for x in listed(
                self.http, "/events", {"organiser": organiser, "limit": 500}, "мероприятия организатора")}
        return known[organiser]

    def _schedule(self, e: MethodicalEvent, organiser: str) -> str:
        body = rest(e.schedule_event_input(organiser))
        now = datetime.now(UTC)
        body["registrationOpens"] = min(e.registration_opens, now - timedelta(hours=1)).isoformat()
        body["registrationCloses"] = max(e.registration_closes, now + timedelta(hours=1)).isoformat()
        while True:
            r = self.http.post("/events", json=body)
            if r.status_code == 422 and "organiserId" in r.text and "unknown" in r.text:
                self.waiter.wait("организацию-организатора / the organiser")
                continue
            return ok(r, f"мероприятие «{e.title}»").json()["id"]

    def registrations(self) -> None:
        for reg in self.region.methodical.registrations:
            event = self.event_ids.get(reg.event_key)
            if event is None:
                continue
            have = {x["personId"]: x["status"] for x in self._registered(event)}
            wanted = [self.ids[k] for k in reg.person_keys if k in self.ids]
            self.counts.registrations.existing += sum(p in have for p in wanted)
            self._register(event, [p for p in wanted if p not in have])
        for key, event in self.event_ids.items():
            self.confirmed[key] = {x["personId"] for x in self._registered(event) if x["status"] == "confirmed"}

    def _registered(self, event: str) -> list[dict]:
        return list(listed(self.http, f"/events/{event}/registrations", {"limit": 1000}, "регистрации"))

    def _register(self, event: str, persons: list[str]) -> None:
        while persons:
            answers = ok(self.http.post(f"/events/{event}/registrations", json={"personIds": persons}),
                         "регистрация участников").json()
            unknown = [a["personId"] for a in answers if a.get("reason") == "unknown_person"]
            self.counts.registrations.created += sum(a["status"] != "refused" for a in answers)
            self.counts.registrations.refused += sum(a["status"] == "refused" and a.get("reason") != "unknown_person"
                                                     for a in answers)
            if unknown:
                self.waiter.wait("работников / the persons")
            persons = unknown

    def attendance(self) -> dict[str, set[str]]:
        """Marks of past sessions; the completed participants of each event (newly and before)."""
        completed: dict[str, set[str]] = {}
        sessions: dict[str, list[str]] = {}
        for mark in self.region.methodical.attendance:
            event = self.event_ids.get(mark.event_key)
            persons = [self.ids[k] for k in mark.person_keys if self.ids.get(k) in self.confirmed.get(mark.event_key,
                                                                                                      ())]
            if event is None or not persons:
                continue
            if event not in sessions:
                got = ok(self.http.get(f"/events/{event}"), "мероприятие").json()
                sessions[event] = [s["id"] for s in sorted(got["sessions"], key=lambda s: s["position"])]
            body = {"sessionId": sessions[event][mark.session], "personIds": persons}
            outcome = ok(self.http.post(f"/events/{event}/attendance", json=body), "отметка посещения").json()
            self.counts.attendance.created += len(outcome["marked"])
            self.counts.attendance.existing += len(persons) - len(outcome["marked"])
            completed.setdefault(mark.event_key, set()).update(outcome["completed"])
        return completed

    def complete(self, marked: dict[str, set[str]]) -> list[tuple[str, list[str]]]:
        """Events whose last session has ended are completed; (event key, completed persons) of each."""
        now = datetime.now(UTC)
        done = []
        for e in self.region.methodical.events:
            event = self.event_ids.get(e.key)
            if event is None or e.sessions[-1].ends_at >= now or e.key not in marked:
                continue
            fresh = set(marked[e.key]) | set(ok(self.http.post(f"/events/{event}/complete"), "итог мероприятия")
                                             .json()["completed"])
            everyone = [x["personId"] for x in self._registered(event) if x["completed"]]
            self.counts.completions.created += len(fresh)
            self.counts.completions.existing += len(everyone) - len(fresh)
            if everyone:
                done.append((e.key, everyone))
        return done

    def certificates(self, done: list[tuple[str, list[str]]]) -> str | None:
        """Certificates for the participants of the first few completed events; the first such event's id."""
        names = {self.ids[p.key]: p.full_name for p in self.region.persons if p.key in self.ids}
        for key, persons in done[:CERTIFIED_EVENTS]:
            event = self.event_ids[key]
            issued = {c["personId"] for c in ok(self.http.get(f"/events/{event}/certificates"), "сертификаты").json()}
            self.counts.certificates.existing += sum(p in issued for p in persons)
            holders = [{"personId": p, "fullName": names[p]} for p in persons if p not in issued and p in names]
            if holders:
                answers = ok(self.http.post(f"/events/{event}/certificates", json={"holders": holders}),
                             "выдача сертификатов").json()["items"]
                self.counts.certificates.created += sum(a["status"] == "ISSUED" for a in answers)
                self.counts.certificates.refused += sum(a["status"] == "REFUSED" for a in answers)
        return self.event_ids[done[0][0]] if done else None

    # plans, requests, practices -------------------------------------------------------------------------------
    def plans(self) -> None:
        for plan in self.region.methodical.plans:
            organisation = self.org_ids.get(plan.organisation_inn)
            if organisation is None:
                self.counts.plans.refused += 1
                continue
            self._plan(plan, organisation)

    def _plan(self, plan: WorkPlan, organisation: str) -> None:
        r = self.http.get(f"/organisations/{organisation}/work-plans/{plan.year}")
        if r.status_code == 404:
            r = self.http.post("/work-plans", json=plan.create_work_plan_variables(organisation))
            self.counts.plans.created += 1
        else:
            self.counts.plans.existing += 1
        found = ok(r, "годовой план").json()
        have = {i["title"]: i for i in found["items"]}
        for item in plan.items:
            current = have.get(item.title)
            if current is None:
                body = {k: v for k, v in item.work_plan_item_input(self.ids, self.event_ids).items() if v is not None}
                current = ok(self.http.post(f"/work-plans/{found['id']}/items", json=body), "пункт плана").json()
                self.counts.plan_items.created += 1
            else:
                self.counts.plan_items.existing += 1
            mark = item.mark_variables()
            if mark and current["status"] in ("planned", "overdue"):
                ok(self.http.post(f"/work-plans/{found['id']}/items/{current['id']}/status", json=rest(mark)),
                   "состояние пункта плана")
        if found["approvedOn"] is None:
            ok(self.http.post(f"/work-plans/{found['id']}/approve"), "утверждение плана")

    def requests(self) -> None:
        by_org: dict[str, list[dict]] = {}  # what the service has, each matched once (a topic may repeat)
        for req in self.region.methodical.requests:
            organisation = self.org_ids.get(req.organisation_inn)
            if organisation is None:
                self.counts.requests.refused += 1
                continue
            if organisation not in by_org:
                by_org[organisation] = sorted(listed(self.http, "/support-requests",
                                                     {"organisation": organisation, "limit": 500}, "запросы"),
                                              key=lambda x: x["declaredAt"])
            have = by_org[organisation]
            found = next((x for x in have if (x["topic"], x["asked"]) == (req.topic, req.asked)), None)
            if found is not None:
                have.remove(found)
                self.counts.requests.existing += 1
            else:
                found = ok(self.http.post("/support-requests", json=rest(req.declare_request_input(organisation))),
                           "запрос организации").json()
                self.counts.requests.created += 1
            self._answer(req, found)

    def _answer(self, req: SupportRequest, found: dict) -> None:
        path = f"/support-requests/{found['id']}"
        methodist = self.ids.get(req.methodist_key) if req.methodist_key else None
        if methodist and found["methodistId"] is None:
            ok(self.http.post(f"{path}/assign", json={"methodistId": methodist}), "назначение методиста")
        if methodist and not found["consultations"]:
            for c in req.consultations:
                ok(self.http.post(f"{path}/consultations", json=rest(c.consultation_input())), "консультация")
                self.counts.consultations.created += 1
        else:
            self.counts.consultations.existing += len(found["consultations"])
        close = req.close_request_input()
        if close and found["closedAt"] is None and (methodist or close["outcome"] == "WITHDRAWN"):
            ok(self.http.post(f"{path}/close", json=rest(close)), "закрытие запроса")

    def practices(self) -> str | None:
        """The bank of practices; a word of the first practice's title, to search for."""
        by_org: dict[str, set[str]] = {}
        for p in self.region.methodical.practices:
            organisation = self.org_ids.get(p.organisation_inn)
            if organisation is None or any(k not in self.ids for k in p.author_keys):
                self.counts.practices.refused += 1
                continue
            if organisation not in by_org:
                by_org[organisation] = {x["title"] for x in listed(
                    self.http, "/practices", {"organisation": organisation, "limit": 500}, "практики")}
            if p.title in by_org[organisation]:
                self.counts.practices.existing += 1
                continue
            self._practice(p, organisation)
            by_org[organisation].add(p.title)
            self.counts.practices.created += 1
        first = self.region.methodical.practices[0].title.split() if self.region.methodical.practices else []
        return max(first, key=len) if first else None

    def _practice(self, p: Practice, organisation: str) -> None:
        made = ok(self.http.post("/practices", json=rest(p.add_practice_input(organisation, self.ids))),
                  "практика").json()
        for step in p.status_steps():
            ok(self.http.post(f"/practices/{made['id']}/status", json={"status": step.lower()}), "состояние практики")
        for key in p.disseminated_at if p.status == "DISSEMINATED" else ():
            if key in self.event_ids:
                ok(self.http.post(f"/practices/{made['id']}/disseminations", json={"eventId": self.event_ids[key]}),
                   "распространение практики")


def _identity(title: str, starts_at) -> tuple[str, datetime]:
    when = datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else starts_at
    return title, when.astimezone(UTC)


def load(http: httpx.Client, region: Region, org_ids: Mapping[str, str], ids: Mapping[str, str], counts: Counts,
         say: Callable[[str], None], wait: float = 120, body_ids: Mapping[str, str] | None = None) -> dict[str, str]:
    """Everything of region.methodical; ids and words to try in GraphiQL."""
    loader = Loader(http, region, org_ids, ids, counts, Waiter(wait, say), body_ids=body_ids or {})
    say("Методические мероприятия / methodical events...")
    loader.events()
    say("Регистрации, посещение, итоги, сертификаты / registrations, attendance, completion, certificates...")
    loader.registrations()
    done = loader.complete(loader.attendance())
    certified = loader.certificates(done)
    say("Годовые планы / annual work plans...")
    loader.plans()
    say("Запросы организаций и консультации / support requests and consultations...")
    loader.requests()
    say("Банк практик / the bank of practices...")
    word = loader.practices()
    examples = {"event": certified} if certified else {}
    plan = region.methodical.plans[0] if region.methodical.plans else None
    if plan and plan.organisation_inn in org_ids:
        examples.update(plan_organisation=org_ids[plan.organisation_inn], plan_year=str(plan.year))
    if word:
        examples["practice_word"] = word
    return examples
