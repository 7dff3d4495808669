"""GraphQL shapes of the bank of practices and of materials, read and written through the events service's REST
API: `practices(search:, filter:)`, `practice(id:)`, add a practice, move its status, link the event where it
was disseminated, attach a material (a file by the GraphQL multipart request spec, like `startImport`, or a
link). Authors are person ids on the events service; their names come from the registry (`person`), which
decides scope and audits the read."""
from __future__ import annotations

import datetime
from enum import Enum

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from metodset_contracts.practices import LEVEL_TITLES, STATUS_TITLES
from metodset_contracts.practices import PracticeLevel as ContractLevel
from metodset_contracts.practices import PracticeStatus as ContractStatus

from .bodies import _uuid as _id
from .clients import ServiceError
from .connections import After, Connection, fetch_page
from .context import Context
from .events import MethodicalEvent
from .mentoring import _enum
from .paging import First, list_field
from .staff import Person

PracticeLevel = _enum("PracticeLevel", ContractLevel, LEVEL_TITLES, "Уровень практики")
PracticeStatus = _enum("PracticeStatus", ContractStatus, STATUS_TITLES,
                       "Состояние практики: выявлена → изучена → обобщена → распространена")
MaterialOwner = strawberry.enum(Enum("MaterialOwner", {"EVENT": "event", "BODY": "body", "PRACTICE": "practice"}),
                                description="К чему прикреплён материал: мероприятие, объединение, практика")
DOWNLOAD = "Файл скачивается с сервиса мероприятий по url (всегда вложением; материалы мероприятий — без токена, " \
           "остальные — с тем же токеном)"


async def _missing_is_none(call):
    try:
        return await call
    except ServiceError as exc:
        if (exc.extensions or {}).get("status") == 404:
            return None
        raise


@strawberry.type(description="Автор практики: id работника; ФИО — через person (в пределах области доступа, "
                             "чтение записывается в журнал)")
class PracticeAuthor:
    id: strawberry.ID

    @strawberry.field(description="Работник; null — вне вашей области доступа")
    async def person(self, info: Info[Context, None]) -> Person | None:
        found = await _missing_is_none(info.context.registry.call("GET", f"/persons/{_id(self.id, 'id')}",
                                                                  info.context.token))
        return found and Person.from_json(found)


@strawberry.type(description=f"Материал: файл в хранилище сервиса мероприятий или ссылка. {DOWNLOAD}")
class Material:
    id: strawberry.ID
    owner: MaterialOwner
    owner_id: strawberry.ID
    title: str
    kind: str = strawberry.field(description="file или link")
    url: str | None
    file_type: str | None = strawberry.field(description="pdf, docx, xlsx, pptx, jpg, png, mp4 (по содержимому)")
    file_name: str | None
    size_bytes: int | None
    added_at: datetime.datetime

    @classmethod
    def from_json(cls, d: dict) -> Material:
        return cls(id=strawberry.ID(d["id"]), owner=MaterialOwner(d["owner"]), owner_id=strawberry.ID(d["ownerId"]),
                   title=d["title"], kind=d["kind"], url=d["url"], file_type=d["fileType"], file_name=d["fileName"],
                   size_bytes=d["sizeBytes"], added_at=datetime.datetime.fromisoformat(d["addedAt"]))


@strawberry.type(description="Практика банка практик")
class Practice:
    id: strawberry.ID
    title: str
    description: str
    authors: list[PracticeAuthor]
    organisation_id: strawberry.ID
    municipality_oktmo: str
    subject: str | None = strawberry.field(description="Код предмета (справочник subjects)")
    subject_title: str | None
    level: PracticeLevel
    level_title: str
    status: PracticeStatus
    status_title: str
    event_ids: list[strawberry.ID] = strawberry.field(description="Мероприятия, где практика распространена")
    rank: float | None = strawberry.field(description="Релевантность поиску (если задан search)")
    snippet: str | None = strawberry.field(description="Фрагмент с найденными словами в **…** (если задан search)")
    material_list: strawberry.Private[list[dict] | None] = None

    @classmethod
    def from_json(cls, d: dict) -> Practice:
        return cls(id=strawberry.ID(d["id"]), title=d["title"], description=d["description"],
                   authors=[PracticeAuthor(id=strawberry.ID(a)) for a in d["authorIds"]],
                   organisation_id=strawberry.ID(d["organisationId"]), municipality_oktmo=d["municipalityOktmo"],
                   subject=d["subject"], subject_title=d["subjectTitle"], level=PracticeLevel(d["level"]),
                   level_title=d["levelTitle"], status=PracticeStatus(d["status"]), status_title=d["statusTitle"],
                   event_ids=[strawberry.ID(e) for e in d["eventIds"]], rank=d.get("rank"), snippet=d.get("snippet"),
                   material_list=d.get("materials"))

    @strawberry.field(description="Мероприятия, где практика распространена (null — мероприятие удалено)")
    async def events(self, info: Info[Context, None]) -> list[MethodicalEvent | None]:
        found = [await _missing_is_none(info.context.events.call("GET", f"/events/{_id(e, 'eventIds')}",
                                                                 info.context.token)) for e in self.event_ids]
        return [e and MethodicalEvent.from_json(e) for e in found]

    @strawberry.field(description=f"Материалы практики. {DOWNLOAD}")
    async def materials(self, info: Info[Context, None]) -> list[Material]:
        found = self.material_list
        if found is None:
            found = await info.context.events.call("GET", "/materials", info.context.token,
                                                   params={"owner": "practice", "ownerId": str(self.id)})
        return [Material.from_json(m) for m in found]


@strawberry.input(description="Условия банка практик; не указанное условие не ограничивает")
class PracticeFilter:
    subject: str | None = strawberry.field(default=None, description="Код предмета (справочник subjects)")
    level: PracticeLevel | None = None
    status: PracticeStatus | None = None
    municipality_oktmo: str | None = None
    organisation_id: strawberry.ID | None = None


@strawberry.input(description="Выявленная практика")
class AddPracticeInput:
    title: str
    organisation_id: strawberry.ID = strawberry.field(description="Организация, где практика сложилась")
    level: PracticeLevel
    description: str = ""
    author_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Авторы (id работников)")
    subject: str | None = strawberry.field(default=None, description="Код предмета (справочник subjects)")


def _filter_params(f: PracticeFilter | None) -> dict:
    if f is None:
        return {}
    values = {"subject": f.subject, "level": f.level and f.level.value, "status": f.status and f.status.value,
              "municipality": f.municipality_oktmo,
              "organisation": f.organisation_id and _id(f.organisation_id, "filter.organisationId")}
    return {k: v for k, v in values.items() if v is not None}


@strawberry.type
class PracticeQueries:
    @list_field("Банк практик: поиск по тексту с русской морфологией (search; синтаксис websearch: \"фраза\", "
                "-слово, or), фильтры; с search — по релевантности, без — по названию; страница по курсору")
    async def practices(self, info: Info[Context, None], search: str | None = None,
                        filter: PracticeFilter | None = None, first: First = None,
                        after: After = None) -> Connection[Practice]:
        return await fetch_page(info, info.context.events, "/practices", Practice.from_json, first=first,
                                after=after, **_filter_params(filter), search=search or None)

    @strawberry.field(description="Практика по идентификатору; null — нет такой")
    async def practice(self, info: Info[Context, None], id: strawberry.ID) -> Practice | None:
        found = await _missing_is_none(info.context.events.call("GET", f"/practices/{_id(id, 'id')}",
                                                                info.context.token))
        return found and Practice.from_json(found)

    @strawberry.field(description=f"Материалы мероприятия, объединения или практики. {DOWNLOAD}")
    async def materials(self, info: Info[Context, None], owner: MaterialOwner,
                        owner_id: strawberry.ID) -> list[Material]:
        found = await info.context.events.call("GET", "/materials", info.context.token,
                                               params={"owner": owner.value, "ownerId": _id(owner_id, "ownerId")})
        return [Material.from_json(m) for m in found]


def _link_or_file(url: str | None, file: Upload | None) -> None:
    from graphql import GraphQLError

    if (url is None) == (file is None):
        raise GraphQLError("Укажите либо file (загрузка), либо url (ссылка)",
                           extensions={"code": "BAD_USER_INPUT", "field": "file"})


@strawberry.type
class PracticeMutations:
    @strawberry.mutation(description="Внести выявленную практику в банк (координатор; методист — практики "
                                     "организаций своего муниципалитета)")
    async def add_practice(self, info: Info[Context, None], input: AddPracticeInput) -> Practice:
        body = {"title": input.title, "organisationId": _id(input.organisation_id, "organisationId"),
                "level": input.level.value, "description": input.description, "subject": input.subject,
                "authorIds": [_id(a, "authorIds") for a in input.author_ids]}
        return Practice.from_json(await info.context.events.call("POST", "/practices", info.context.token, json=body))

    @strawberry.mutation(description="Перевести практику в следующее состояние (распространена — только с "
                                     "мероприятием: disseminatePractice)")
    async def change_practice_status(self, info: Info[Context, None], id: strawberry.ID,
                                     status: PracticeStatus) -> Practice:
        return Practice.from_json(await info.context.events.call(
            "POST", f"/practices/{_id(id, 'id')}/status", info.context.token, json={"status": status.value}))

    @strawberry.mutation(description="Указать мероприятие, где практика распространена (обобщённая становится "
                                     "распространённой)")
    async def disseminate_practice(self, info: Info[Context, None], id: strawberry.ID,
                                   event_id: strawberry.ID) -> Practice:
        return Practice.from_json(await info.context.events.call(
            "POST", f"/practices/{_id(id, 'id')}/disseminations", info.context.token,
            json={"eventId": _id(event_id, "eventId")}))

    @strawberry.mutation(description="Прикрепить материал к мероприятию, объединению или практике: file — загрузка "
                                     "по GraphQL multipart request spec (pdf, docx, xlsx, pptx, jpg, png, mp4; тип "
                                     "по содержимому), или url — ссылка http/https")
    async def attach_material(self, info: Info[Context, None], owner: MaterialOwner, owner_id: strawberry.ID,
                              title: str, file: Upload | None = None, url: str | None = None) -> Material:
        _link_or_file(url, file)
        target = {"owner": owner.value, "ownerId": _id(owner_id, "ownerId"), "title": title}
        if url is not None:
            found = await info.context.events.call("POST", "/materials/links", info.context.token,
                                                   json={**target, "url": url})
        else:
            data = await file.read()
            files = {"file": (file.filename or "material", data, "application/octet-stream")}
            found = await info.context.events.call("POST", "/materials/files", info.context.token, data=target,
                                                   files=files)
        return Material.from_json(found)
