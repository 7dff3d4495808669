"""iCal feeds: public ones of a municipality and an organiser (events are public), and a private one per person
behind a long random token (kept as a digest; rotating it makes the old URL answer 404)."""
from __future__ import annotations

import hashlib
import re
import secrets
from collections import OrderedDict
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.hostile import prefix

from .access import facts, manages_person
from .domain.calendar import feed, fingerprint

router = APIRouter(tags=["calendar"])
PUBLIC = ("GET /calendar/*",)
ICS = "text/calendar; charset=utf-8"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


_WRITTEN: OrderedDict[str, bytes] = OrderedDict()  # feeds written lately, by ETag (their content's fingerprint)
_KEPT = 32


def _ics(request: Request, name: str, events) -> Response:
    """The feed, with its content's fingerprint as ETag: a client that sends it back (If-None-Match) gets 304, and
    a feed written before for the same events is answered again instead of written anew."""
    zone = request.app.state.settings.region_timezone
    etag = f'"{fingerprint(name, events, zone)}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    body = _WRITTEN.get(etag)
    if body is None:
        body = _WRITTEN[etag] = feed(name, events, zone, datetime.now(UTC))
        while len(_WRITTEN) > _KEPT:
            _WRITTEN.popitem(last=False)
    else:
        _WRITTEN.move_to_end(etag)
    return Response(body, media_type=ICS, headers=headers)


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header; a weak tag (W/"…") matches its strong form (RFC 9110 §13.1.2)."""
    return {t.strip().removeprefix("W/") for t in header[:4096].split(",")}


_RESPONSES = {200: {"content": {"text/calendar": {}}},
              304: {"description": "Календарь не изменился с указанной в If-None-Match версии (ETag)"}}


@router.get("/calendar/municipalities/{oktmo}.ics", operation_id="municipalityCalendar", response_class=Response,
            responses=_RESPONSES, summary="Календарь мероприятий муниципалитета (iCal, без токена)")
async def municipality(request: Request, oktmo: str):
    async with request.app.state.pool.acquire() as conn:
        events = await facts(request).calendar(conn, municipality=oktmo)
    return _ics(request, f"Методические мероприятия ({oktmo})", events)


@router.get("/calendar/organisers/{organiserId}.ics", operation_id="organiserCalendar", response_class=Response,
            responses=_RESPONSES, summary="Календарь мероприятий организатора (iCal, без токена)")
async def organiser(request: Request, organiserId: str):
    async with request.app.state.pool.acquire() as conn:
        events = await facts(request).calendar(conn, organiser=organiserId)
    name = events[0].organiser_name if events else "Методические мероприятия"
    return _ics(request, name, events)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


def _unknown_feed() -> NotFound:
    return NotFound("token", "Календарь не найден / no calendar for this link", where="path")


@router.get("/calendar/people/{token}.ics", operation_id="personalCalendar", response_class=Response,
            responses={**_RESPONSES, 404: {"description": "Ссылка неизвестна или заменена"}},
            summary="Личный календарь по секретной ссылке (iCal)")
async def personal(request: Request, token: str):
    async with request.app.state.pool.acquire() as conn:
        person = await conn.fetchval("select person_id from calendar_tokens where token_digest = $1",
                                     _digest(token)) if _TOKEN.match(token) else None
        visible_or_missing(person is not None, _unknown_feed())
        events = await facts(request).calendar(conn, person=person)
    return _ics(request, "Мои мероприятия", events)


class CalendarLink(BaseModel):
    url: str


@router.post("/people/{personId}/calendar-token", operation_id="rotateCalendarToken", response_model=CalendarLink,
             summary="Новая секретная ссылка на личный календарь (прежняя перестаёт работать)")
async def rotate(request: Request, principal: CurrentPrincipal, personId: str):
    token = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    async with request.app.state.pool.acquire() as conn:
        allowed = await manages_person(conn, request, principal, personId)
        visible_or_missing(allowed, NotFound("personId", f"Сотрудник {prefix(personId)} не найден", where="path"))
        await conn.execute(
            "insert into calendar_tokens (person_id, token_digest, rotated_by) values ($1, $2, $3)"
            " on conflict (person_id) do update set token_digest = excluded.token_digest, rotated_at = now(),"
            " rotated_by = excluded.rotated_by", personId, _digest(token), principal.subject)
    return CalendarLink(url=request.app.state.settings.calendar_url.format(token=token))
