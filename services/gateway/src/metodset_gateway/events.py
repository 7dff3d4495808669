"""GraphQL shapes of methodical events, read and written through the events service's REST API: schedule,
register (per person: confirmed, waitlisted or refused with the reason), cancel a registration, mark
attendance, the calendar, an event with its registrations, a person's events and credited hours.

The events service keeps person ids only: a registered person's full name is read from the registry with the
caller's token (the registry decides scope and audits the read; out of reach, the name is null)."""
from __future__ import annotations

import asyncio
import datetime
from enum import Enum

import strawberry
from pydantic.alias_generators import to_camel
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from metodset_contracts.methodical_events import FORMAT_TITLES, LEVEL_TITLES
from metodset_contracts.methodical_events import EventFormat as ContractFormat
from metodset_contracts.methodical_events import EventLevel as ContractLevel

from .bodies import _uuid as _id
from .certificates import EventFeedback
from .clients import ServiceError
from .connections import After, Connection, fetch_page
from .context import Context
from .mentoring import _enum
from .paging import First, list_field, page_size

DateTime = datetime.datetime

EventLevel = _enum("EventLevel", ContractLevel, LEVEL_TITLES, "Уровень мероприятия")
EventFormat = _enum("EventFormat", ContractFormat, FORMAT_TITLES, "Формат проведения")
RegistrationStatus = strawberry.enum(Enum("RegistrationStatus", {
    "CONFIRMED": "confirmed", "PENDING": "pending", "WAITLISTED": "waitlisted", "CANCELLED": "cancelled",
    "REFUSED": "refused"}), description="Состояние регистрации: подтверждена, ждёт одобрения организатора, в листе "
                                        "ожидания, отменена; refused — в записи отказано (см. reason)")


def _names(info: Info[Context, None]) -> DataLoader:
    """One loader per request: each person's full name from the registry (null when out of reach)."""
    loader = getattr(info.context, "_event_person_names", None)
    if loader is None:
        async def load(ids: list[str]) -> list[str | None]:
            return await asyncio.gather(*(_full_name(info.context, i) for i in ids))
        loader = DataLoader(load_fn=load)
        info.context._event_person_names = loader
    return loader


async def _full_name(context: Context, person_id: str) -> str | None:
    try:
        return (await context.registry.call("GET", f"/persons/{person_id}", context.token))["fullName"]
    except ServiceError as exc:
        if (exc.extensions or {}).get("status") in (403, 404):
            return None
        raise


@strawberry.type(description="Участник (ФИО читается из реестра — персональные данные, чтение в журнале)")
class EventPerson:
    id: strawberry.ID

    @strawberry.field(description="ФИО; null — работник вне вашей области доступа")
    async def full_name(self, info: Info[Context, None]) -> str | None:
        return await _names(info).load(str(self.id))


@strawberry.type(description="Регистрация на мероприятие")
class Registration:
    id: strawberry.ID
    person: EventPerson
    status: RegistrationStatus
    municipality_oktmo: str | None
    organisation_id: strawberry.ID | None
    registered_at: DateTime
    hours: int = strawberry.field(description="Зачтённые часы (посещённые занятия)")
    completed: bool = strawberry.field(description="Правило посещаемости выполнено")
    certificate_issued_at: DateTime | None = strawberry.field(description="Когда выдан действующий сертификат")
    certificate_url: str | None = strawberry.field(
        description="Путь PDF сертификата в сервисе мероприятий (GET с тем же токеном); null — не выдан или отозван")

    @classmethod
    def from_json(cls, d: dict, event_id: str) -> Registration:
        issued = d.get("certificateIssuedAt")
        return cls(id=strawberry.ID(d["id"]), person=EventPerson(id=strawberry.ID(d["personId"])),
                   status=RegistrationStatus(d["status"]), municipality_oktmo=d["municipalityOktmo"],
                   organisation_id=d["organisationId"], registered_at=DateTime.fromisoformat(d["registeredAt"]),
                   hours=d["hours"], completed=d["completed"],
                   certificate_issued_at=DateTime.fromisoformat(issued) if issued else None,
                   certificate_url=f"/events/{event_id}/certificates/{d['personId']}.pdf" if issued else None)


@strawberry.type(description="Занятие мероприятия")
class EventSession:
    id: strawberry.ID
    position: int
    starts_at: DateTime
    ends_at: DateTime
    hours: int
    check_in_code: str | None = strawberry.field(description="Код отметки у входа: только организатору")

    @classmethod
    def from_json(cls, d: dict) -> EventSession:
        return cls(id=strawberry.ID(d["id"]), position=d["position"], starts_at=DateTime.fromisoformat(d["startsAt"]),
                   ends_at=DateTime.fromisoformat(d["endsAt"]), hours=d["hours"], check_in_code=d["checkInCode"])


@strawberry.type(description="Квота муниципалитета")
class EventQuota:
    municipality_oktmo: str
    places: int
    used: int


@strawberry.type(description="Целевая аудитория (пустой список — без ограничения)")
class EventAudience:
    positions: list[str]
    subjects: list[str]
    municipalities: list[str]


@strawberry.enum(description="Ход мероприятия")
class EventProgress(Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    CANCELLED = "cancelled"


PROGRESS_TITLES = {EventProgress.PLANNED: "запланировано", EventProgress.IN_PROGRESS: "идёт",
                   EventProgress.HELD: "проведено", EventProgress.CANCELLED: "отменено"}


def progress_of(status: str, sessions: list[tuple[DateTime, DateTime]], now: DateTime) -> EventProgress:
    """Planned until its first session starts, held once its last session ended; a cancelled event stays so."""
    if status == "cancelled":
        return EventProgress.CANCELLED
    if not sessions or now < min(start for start, _ in sessions):
        return EventProgress.PLANNED
    return EventProgress.HELD if now >= max(end for _, end in sessions) else EventProgress.IN_PROGRESS


@strawberry.type(description="Методическое мероприятие")
class MethodicalEvent(EventFeedback):
    id: strawberry.ID
    title: str
    form: str = strawberry.field(description="Код формы (справочник event_forms)")
    form_title: str
    topic: str | None
    level: EventLevel
    organiser_id: strawberry.ID
    organiser_name: str | None
    municipality_oktmo: str | None
    audience: EventAudience
    format: EventFormat
    place: str | None
    sessions: list[EventSession]
    hours: int = strawberry.field(description="Часы программы")
    capacity: int
    places_left: int
    waiting: int = strawberry.field(description="Сколько в листе ожидания")
    quotas: list[EventQuota]
    registration_opens: DateTime
    registration_closes: DateTime
    requires_approval: bool
    attendance_percent: int = strawberry.field(description="Правило посещаемости: доля часов, %")
    status: str = strawberry.field(description="scheduled или cancelled")
    version: int

    @strawberry.field(description="Ход мероприятия сейчас: запланировано, идёт, проведено или отменено")
    def progress(self) -> EventProgress:
        return progress_of(self.status, [(s.starts_at, s.ends_at) for s in self.sessions],
                           datetime.datetime.now(datetime.UTC))

    @strawberry.field(description="Ход мероприятия по-русски")
    def progress_title(self) -> str:
        return PROGRESS_TITLES[self.progress()]

    @classmethod
    def from_json(cls, d: dict) -> MethodicalEvent:
        a = d["audience"]
        return cls(
            id=strawberry.ID(d["id"]), title=d["title"], form=d["form"], form_title=d["formTitle"], topic=d["topic"],
            level=EventLevel(d["level"]), organiser_id=strawberry.ID(d["organiserOrganisationId"]
                                                                     or d["organiserBodyId"]),
            organiser_name=d["organiserName"], municipality_oktmo=d["municipalityOktmo"],
            audience=EventAudience(positions=a["positions"], subjects=a["subjects"],
                                   municipalities=a["municipalities"]),
            format=EventFormat(d["format"]), place=d["place"],
            sessions=[EventSession.from_json(s) for s in d["sessions"]], hours=d["hours"], capacity=d["capacity"],
            places_left=d["placesLeft"], waiting=d["waiting"],
            quotas=[EventQuota(municipality_oktmo=q["municipalityOktmo"], places=q["places"], used=q["used"])
                    for q in d["quotas"]],
            registration_opens=DateTime.fromisoformat(d["registrationOpens"]),
            registration_closes=DateTime.fromisoformat(d["registrationCloses"]),
            requires_approval=d["requiresApproval"], attendance_percent=d["attendancePercent"], status=d["status"],
            version=d["version"])

    @list_field("Регистрации в порядке записи (организатору — все, иначе — своей области доступа), страница по "
                "курсору", page=100)
    async def registrations(self, info: Info[Context, None], first: First = None,
                            after: After = None) -> Connection[Registration]:
        return await fetch_page(info, info.context.events, f"/events/{_id(self.id, 'id')}/registrations",
                                lambda d: Registration.from_json(d, str(self.id)), first=first, after=after)


@strawberry.input(description="Занятие")
class SessionInput:
    starts_at: DateTime
    ends_at: DateTime
    hours: int = strawberry.field(description="Академические часы")


@strawberry.input(description="Квота муниципалитета")
class QuotaInput:
    municipality_oktmo: str
    places: int


@strawberry.input(description="Целевая аудитория: коды должностей, предметов, ОКТМО муниципалитетов")
class AudienceInput:
    positions: list[str] = strawberry.field(default_factory=list)
    subjects: list[str] = strawberry.field(default_factory=list)
    municipalities: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="Новое методическое мероприятие")
class ScheduleEventInput:
    title: str
    form: str = strawberry.field(description="Код формы (справочник event_forms)")
    level: EventLevel
    organiser_id: strawberry.ID = strawberry.field(description="Организация или методическое объединение")
    capacity: int
    format: EventFormat
    sessions: list[SessionInput]
    registration_opens: DateTime
    registration_closes: DateTime
    place: str | None = None
    topic: str | None = None
    quotas: list[QuotaInput] = strawberry.field(default_factory=list)
    requires_approval: bool = False
    audience: AudienceInput | None = None
    attendance_percent: int = strawberry.field(default=75, description="Правило посещаемости, % часов")


@strawberry.input(description="Изменение мероприятия: только указанные поля (записанные получают уведомление)")
class ChangeEventInput:
    title: str | None = strawberry.UNSET
    topic: str | None = strawberry.UNSET
    place: str | None = strawberry.UNSET
    format: EventFormat | None = strawberry.UNSET
    capacity: int | None = strawberry.UNSET
    sessions: list[SessionInput] | None = strawberry.UNSET
    registration_opens: DateTime | None = strawberry.UNSET
    registration_closes: DateTime | None = strawberry.UNSET
    quotas: list[QuotaInput] | None = strawberry.UNSET
    audience: AudienceInput | None = strawberry.UNSET
    attendance_percent: int | None = strawberry.UNSET


@strawberry.input(description="Условия календаря мероприятий; не указанное условие не ограничивает")
class EventFilter:
    from_: datetime.date | None = strawberry.field(default=None, name="from", description="Заканчиваются не раньше")
    to: datetime.date | None = strawberry.field(default=None, description="Начинаются не позже")
    municipality_oktmo: str | None = None
    level: EventLevel | None = None
    form: str | None = None


@strawberry.type(description="Итог записи одного работника")
class RegistrationOutcome:
    person_id: strawberry.ID
    status: RegistrationStatus
    reason: str | None = strawberry.field(description="Код причины: full, quota_used, outside_audience, "
                                                      "window_closed, not_open_yet, event_cancelled, unknown_person")
    message: str | None = strawberry.field(description="Причина по-русски")
    waiting_position: int | None


@strawberry.type(description="Регистрация отменена")
class CancelledRegistration:
    promoted: list[strawberry.ID] = strawberry.field(description="Кто переведён из листа ожидания")


@strawberry.type(description="Итог отметки посещаемости")
class AttendanceOutcome:
    marked: list[strawberry.ID] = strawberry.field(description="Отмечены впервые")
    completed: list[strawberry.ID] = strawberry.field(description="Выполнили правило посещаемости")


@strawberry.type(description="Мероприятие работника")
class PersonEvent:
    event_id: strawberry.ID
    title: str
    form: str
    level: EventLevel
    starts_at: DateTime
    ends_at: DateTime
    status: RegistrationStatus
    hours: int = strawberry.field(description="Зачтённые часы")
    programme_hours: int
    completed: bool


@strawberry.enum(description="Вид уведомления")
class NoticeKind(Enum):
    CHANGED = "changed"
    CANCELLED = "cancelled"
    PROMOTED = "promoted"


@strawberry.type(description="Уведомление участнику: мероприятие изменено или отменено, место из листа ожидания")
class EventNotice:
    event_id: strawberry.ID
    kind: NoticeKind
    message: str
    created_at: DateTime


def _json(value):
    """An input's value as the events service's REST takes it."""
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DateTime):
        return value.isoformat()
    if isinstance(value, SessionInput | QuotaInput | AudienceInput):
        return {to_camel(k): _json(v) for k, v in vars(value).items()}
    return value


def _schedule_body(i: ScheduleEventInput) -> dict:
    body = {to_camel(k): _json(v) for k, v in vars(i).items()}
    return {**body, "organiserId": _id(i.organiser_id, "organiserId"), "audience": _json(i.audience or AudienceInput())}


def _change_body(i: ChangeEventInput) -> dict:
    return {to_camel(k): _json(v) for k, v in vars(i).items() if v is not strawberry.UNSET}


def _filter_params(f: EventFilter | None) -> dict:
    f = f or EventFilter()
    values = {"from": f.from_, "to": f.to, "municipality": f.municipality_oktmo,
              "level": f.level.value if f.level else None, "form": f.form}
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in values.items() if v is not None}


@strawberry.type
class EventQueries:
    @strawberry.field(description="Педагог, вошедший со своим токеном (роль pedagogue): его мероприятия, часы и "
                                  "уведомления; для других ролей null")
    def me(self, info: Info[Context, None]) -> Me | None:
        person = getattr(info.context.principal, "person", None)
        return Me(id=strawberry.ID(person)) if person else None

    @list_field("Методические мероприятия (календарь) по условиям, страница по курсору (порядок: начало, id)")
    async def events(self, info: Info[Context, None], filter: EventFilter | None = None, first: First = None,
                     after: After = None) -> Connection[MethodicalEvent]:
        return await fetch_page(info, info.context.events, "/events", MethodicalEvent.from_json, first=first,
                                after=after, **_filter_params(filter))

    @strawberry.field(description="Мероприятие по идентификатору (null — нет такого)")
    async def event(self, info: Info[Context, None], id: strawberry.ID) -> MethodicalEvent | None:
        found = await info.context.events.find(f"/events/{_id(id, 'id')}", info.context.token)
        return MethodicalEvent.from_json(found) if found is not None else None


@strawberry.type
class EventMutations:
    @strawberry.mutation(description="Запланировать методическое мероприятие")
    async def schedule_event(self, info: Info[Context, None], input: ScheduleEventInput) -> MethodicalEvent:
        return MethodicalEvent.from_json(await info.context.events.call("POST", "/events", info.context.token,
                                                                        json=_schedule_body(input)))

    @strawberry.mutation(description="Изменить мероприятие (записанные получают уведомление; больше мест — лист "
                                     "ожидания продвигается)")
    async def change_event(self, info: Info[Context, None], id: strawberry.ID,
                           input: ChangeEventInput) -> MethodicalEvent:
        return MethodicalEvent.from_json(await info.context.events.call(
            "PATCH", f"/events/{_id(id, 'id')}", info.context.token, json=_change_body(input)))

    @strawberry.mutation(description="Отменить мероприятие (записанные получают уведомление)")
    async def cancel_event(self, info: Info[Context, None], id: strawberry.ID) -> MethodicalEvent:
        return MethodicalEvent.from_json(await info.context.events.call(
            "POST", f"/events/{_id(id, 'id')}/cancel", info.context.token))

    @strawberry.mutation(description="Записать работников: по каждому — подтверждено, лист ожидания или отказ "
                                     "с причиной")
    async def register_participants(self, info: Info[Context, None], event_id: strawberry.ID,
                                    person_ids: list[strawberry.ID]) -> list[RegistrationOutcome]:
        rows = await info.context.events.call("POST", f"/events/{_id(event_id, 'eventId')}/registrations",
                                              info.context.token,
                                              json={"personIds": [_id(p, "personIds") for p in person_ids]})
        return [RegistrationOutcome(person_id=strawberry.ID(r["personId"]), status=RegistrationStatus(r["status"]),
                                    reason=r["reason"], message=r["message"], waiting_position=r["waitingPosition"])
                for r in rows]

    @strawberry.mutation(description="Отменить регистрацию (место переходит первому в листе ожидания)")
    async def cancel_registration(self, info: Info[Context, None], event_id: strawberry.ID,
                                  person_id: strawberry.ID) -> CancelledRegistration:
        r = await info.context.events.call(
            "DELETE", f"/events/{_id(event_id, 'eventId')}/registrations/{_id(person_id, 'personId')}",
            info.context.token)
        return CancelledRegistration(promoted=[strawberry.ID(p) for p in r["promoted"]])

    @strawberry.mutation(description="Отметить присутствовавших на занятии; после последнего занятия — итог по "
                                     "правилу посещаемости")
    async def record_attendance(self, info: Info[Context, None], event_id: strawberry.ID, session_id: strawberry.ID,
                                person_ids: list[strawberry.ID]) -> AttendanceOutcome:
        r = await info.context.events.call(
            "POST", f"/events/{_id(event_id, 'eventId')}/attendance", info.context.token,
            json={"sessionId": _id(session_id, "sessionId"), "personIds": [_id(p, "personIds") for p in person_ids]})
        return AttendanceOutcome(marked=[strawberry.ID(p) for p in r["marked"]],
                                 completed=[strawberry.ID(p) for p in r["completed"]])

    @strawberry.mutation(description="Подвести итог мероприятия после последнего занятия: кто выполнил правило")
    async def complete_event(self, info: Info[Context, None], id: strawberry.ID) -> list[strawberry.ID]:
        r = await info.context.events.call("POST", f"/events/{_id(id, 'id')}/complete", info.context.token)
        return [strawberry.ID(p) for p in r["completed"]]


async def _person_events(obj, info: Info[Context, None]) -> dict:
    cached = getattr(obj, "_events_json", None)
    if cached is None:
        cached = await info.context.events.call("GET", f"/persons/{_id(obj.id, 'id')}/events", info.context.token)
        object.__setattr__(obj, "_events_json", cached)
    return cached


@strawberry.type
class PersonEvents:
    @list_field("Методические мероприятия работника (регистрации), по дате начала", page=50)
    async def events(self, info: Info[Context, None], first: First = None) -> list[PersonEvent]:
        size = page_size(first, info)
        return [PersonEvent(event_id=strawberry.ID(e["eventId"]), title=e["title"], form=e["form"],
                            level=EventLevel(e["level"]), starts_at=DateTime.fromisoformat(e["startsAt"]),
                            ends_at=DateTime.fromisoformat(e["endsAt"]), status=RegistrationStatus(e["status"]),
                            hours=e["hours"], programme_hours=e["programmeHours"], completed=e["completed"])
                for e in (await _person_events(self, info))["items"][:size]]

    @strawberry.field(description="Часы, зачтённые за выполненные методические мероприятия")
    async def hours(self, info: Info[Context, None]) -> int:
        return (await _person_events(self, info))["hours"]

    @strawberry.field(description="Последние уведомления об изменениях мероприятий, новые первыми (до 20)")
    async def notices(self, info: Info[Context, None]) -> list[EventNotice]:
        return [EventNotice(event_id=strawberry.ID(n["eventId"]), kind=NoticeKind(n["kind"]), message=n["message"],
                            created_at=DateTime.fromisoformat(n["createdAt"]))
                for n in (await _person_events(self, info)).get("notices", [])]




@strawberry.type(description="Педагог, вошедший в систему")
class Me(PersonEvents):
    id: strawberry.ID = strawberry.field(description="id работника в реестре")
