"""GraphQL shapes of the events service's certificates, calendars and feedback.

Issuing a certificate needs the holder's name, which the events service never keeps otherwise: the gateway reads
each person from the registry with the caller's token (the registry scopes and audits that read) and sends the
names with the issuing request; the certificate then keeps exactly what it shows."""
from __future__ import annotations

import asyncio
import datetime
from urllib.parse import quote

import strawberry
from strawberry.types import Info

from metodset_kit.documents.pdf import PARTICIPATED

from .bodies import _uuid
from .clients import ServiceError
from .context import Context

NO_NAME = "Нет доступа к данным работника в реестре / the registry does not show this person to you"


@strawberry.type(description="Строка сертификата: подпись и значение (объём, даты)")
class CertificateFact:
    label: str
    value: str


@strawberry.type(description="Что показывает сертификат (публичная проверка по коду)")
class VerifiedCertificate:
    code: str
    title: str
    region: str
    issuer: str
    holder: str
    subject: str = strawberry.field(description="Мероприятие")
    facts: list[CertificateFact]
    issued_at: datetime.datetime
    statement: str = strawberry.field(description="Что подтверждает документ: «принял(а) участие в мероприятии», "
                                                  "«стал(а) победителем этапа олимпиады» и т. п.")


@strawberry.type(description="Итог выдачи сертификата одному участнику")
class CertificateIssue:
    person_id: strawberry.ID
    status: str = strawberry.field(description="ISSUED, ALREADY_ISSUED или REFUSED")
    code: str | None = strawberry.field(description="Код проверки (только при новой выдаче)")
    reason: str | None


@strawberry.type(description="Сводка отзывов о мероприятии")
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[int] = strawberry.field(description="Число оценок 1, 2, 3, 4, 5 (пять чисел)")
    comments: list[str]


def _not_found(exc: ServiceError) -> bool:
    return (exc.extensions or {}).get("status") == 404


async def _feedback(info: Info[Context, None], event_id: str) -> FeedbackSummary | None:
    try:
        r = await info.context.events.call("GET", f"/events/{event_id}/feedback", info.context.token)
    except ServiceError as exc:
        if _not_found(exc):
            return None
        raise
    return FeedbackSummary(count=r["count"], average=r["average"], comments=r["comments"],
                           distribution=[r["distribution"][str(k)] for k in range(1, 6)])


@strawberry.type
class EventFeedback:
    """Fields of an event (the events core's GraphQL type) about feedback; it needs the event's `id`."""

    id: strawberry.ID

    @strawberry.field(description="Отзывы участников (организатору мероприятия); null — вне области доступа")
    async def feedback(self, info: Info[Context, None]) -> FeedbackSummary | None:
        return await _feedback(info, _uuid(self.id, "id"))


@strawberry.type
class CertificateQueries:
    @strawberry.field(description="Проверка сертификата по коду; null — код неизвестен или сертификат отозван")
    async def verify_certificate(self, info: Info[Context, None], code: str) -> VerifiedCertificate | None:
        try:
            path = f"/certificates/{quote(code.strip()[:40], safe='')}"
            r = await info.context.events.call("GET", path, info.context.token)
        except ServiceError as exc:
            if _not_found(exc):
                return None
            raise
        return VerifiedCertificate(
            code=r["code"], title=r["title"], region=r["region"], issuer=r["issuer"], holder=r["holder"],
            subject=r["subject"], facts=[CertificateFact(label=f["label"], value=f["value"]) for f in r["facts"]],
            issued_at=datetime.datetime.fromisoformat(r["issuedAt"]), statement=r.get("statement", PARTICIPATED))

    @strawberry.field(description="Сводка отзывов о мероприятии (организатору); null — вне области доступа")
    async def event_feedback(self, info: Info[Context, None], event_id: strawberry.ID) -> FeedbackSummary | None:
        return await _feedback(info, _uuid(event_id, "eventId"))


async def _full_name(info: Info[Context, None], person_id: str) -> str | None:
    try:
        return (await info.context.registry.call("GET", f"/persons/{person_id}", info.context.token))["fullName"]
    except ServiceError as exc:
        if _not_found(exc):
            return None
        raise


@strawberry.type
class CertificateMutations:
    @strawberry.mutation(description="Выдать сертификаты участникам, выполнившим правило посещаемости (ФИО берутся "
                                     "из реестра)")
    async def issue_certificates(self, info: Info[Context, None], event_id: strawberry.ID,
                                 person_ids: list[strawberry.ID]) -> list[CertificateIssue]:
        event = _uuid(event_id, "eventId")
        people = list(dict.fromkeys(_uuid(p, "personIds") for p in person_ids))
        names = dict(zip(people, await asyncio.gather(*(_full_name(info, p) for p in people)), strict=True))
        refused = [CertificateIssue(person_id=strawberry.ID(p), status="REFUSED", code=None, reason=NO_NAME)
                   for p, n in names.items() if n is None]
        holders = [{"personId": p, "fullName": n} for p, n in names.items() if n is not None]
        if not holders:
            return refused
        r = await info.context.events.call("POST", f"/events/{event}/certificates", info.context.token,
                                           json={"holders": holders})
        return refused + [CertificateIssue(person_id=strawberry.ID(a["personId"]), status=a["status"], code=a["code"],
                                           reason=a["reason"]) for a in r["items"]]

    @strawberry.mutation(description="Отозвать сертификат участника: его код больше не проходит проверку")
    async def revoke_certificate(self, info: Info[Context, None], event_id: strawberry.ID, person_id: strawberry.ID,
                                 reason: str) -> bool:
        await info.context.events.call(
            "POST", f"/events/{_uuid(event_id, 'eventId')}/certificates/{_uuid(person_id, 'personId')}/revoke",
            info.context.token, json={"reason": reason})
        return True

    @strawberry.mutation(description="Записать отзыв участника (оценка 1–5 и комментарий) от его имени")
    async def record_feedback(self, info: Info[Context, None], event_id: strawberry.ID, person_id: strawberry.ID,
                              rating: int, comment: str = "") -> bool:
        await info.context.events.call(
            "PUT", f"/events/{_uuid(event_id, 'eventId')}/feedback/{_uuid(person_id, 'personId')}",
            info.context.token, json={"rating": rating, "comment": comment})
        return True

    @strawberry.mutation(description="Новая секретная ссылка на личный календарь работника (прежняя перестаёт "
                                     "работать)")
    async def rotate_calendar_link(self, info: Info[Context, None], person_id: strawberry.ID) -> str:
        r = await info.context.events.call(
            "POST", f"/people/{_uuid(person_id, 'personId')}/calendar-token", info.context.token)
        return r["url"]
