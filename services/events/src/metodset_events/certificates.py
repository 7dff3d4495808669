"""Certificates of participation: issued to those who met the attendance rule, downloaded as PDF by the event's
or the person's managers, revoked; verified publicly at `GET /certificates/{code}` (kit documents).

The events service never stores people's names except as printed on an issued certificate: the issuing
request carries the holders' full names (the gateway resolves them through the registry), and the document
keeps exactly what it shows (kit issued_documents.shows). Every download and every issue is audited."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, Field

from metodset_kit import audit, documents
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import NotFound, visible_or_missing
from metodset_kit.hostile import prefix

from .access import facts, managed_event, manages_event, manages_person, missing_event
from .domain.certificates import certificate_spec

router = APIRouter(tags=["certificates"])
KIND = "certificate"


class Holder(BaseModel):
    personId: str = Field(min_length=1, max_length=64)
    fullName: str = Field(min_length=1, max_length=300)


class IssueRequest(BaseModel):
    holders: list[Holder] = Field(min_length=1, max_length=200)


class IssueStatus(StrEnum):
    ISSUED = "ISSUED"
    ALREADY_ISSUED = "ALREADY_ISSUED"
    REFUSED = "REFUSED"


class IssueAnswer(BaseModel):
    personId: str
    status: IssueStatus
    code: str | None = None  # shown once, when newly issued
    reason: str | None = None


class IssueResult(BaseModel):
    items: list[IssueAnswer]


class CertificateState(BaseModel):
    personId: str
    issuedAt: datetime
    revoked: bool


class RevokeRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


NOT_COMPLETED = "Правило посещаемости не выполнено / the attendance rule is not met"


def _url_for(request: Request):
    template = request.app.state.settings.certificate_url
    return lambda code: template.format(code=documents.display(code))


@router.post("/events/{eventId}/certificates", operation_id="issueCertificates", response_model=IssueResult,
             summary="Выдать сертификаты участникам, выполнившим правило посещаемости")
async def issue(request: Request, principal: CurrentPrincipal, eventId: str, body: IssueRequest):
    url_for = _url_for(request)
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        event = await managed_event(conn, request, principal, eventId)
        hours = {c.person_id: c.hours for c in await facts(request).completed_participants(conn, eventId)}
        region = request.app.state.settings.region_name
        zone = ZoneInfo(request.app.state.settings.region_timezone)
        answers = []
        for holder in body.holders:
            if holder.personId not in hours:
                answers.append(IssueAnswer(personId=holder.personId, status=IssueStatus.REFUSED, reason=NOT_COMPLETED))
                continue
            spec = certificate_spec(event, region, zone, holder.fullName, hours[holder.personId])
            done = await documents.issue(conn, kind=KIND, subject=eventId, holder=holder.personId, spec=spec,
                                         url_for=url_for, issued_by=principal.subject)
            status = IssueStatus.ISSUED if done.code else IssueStatus.ALREADY_ISSUED
            answers.append(IssueAnswer(personId=holder.personId, status=status,
                                       code=documents.display(done.code) if done.code else None))
    return IssueResult(items=answers)


@router.get("/events/{eventId}/certificates", operation_id="eventCertificates",
            response_model=list[CertificateState], summary="Выданные сертификаты мероприятия (без имён)")
async def listed(request: Request, principal: CurrentPrincipal, eventId: str):
    async with request.app.state.pool.acquire() as conn:
        await managed_event(conn, request, principal, eventId)
        rows = await documents.issued(conn, kind=KIND, subject=eventId)
    return [CertificateState(personId=r["holder"], issuedAt=r["issued_at"], revoked=r["revoked_at"] is not None)
            for r in rows]


def _missing_certificate(person_id: str) -> NotFound:
    return NotFound("personId", f"Сертификат участника {prefix(person_id)} не найден", where="path")


@router.get("/events/{eventId}/certificates/{personId}.pdf", operation_id="certificatePdf",
            response_class=Response, summary="Сертификат участника (PDF)",
            responses={200: {"content": {"application/pdf": {}}}, 404: {"description": "Нет сертификата"}})
async def pdf(request: Request, principal: CurrentPrincipal, eventId: str, personId: str):
    async with request.app.state.pool.acquire() as conn:
        event = await facts(request).event(conn, eventId)
        visible_or_missing(event is not None, missing_event(eventId))
        allowed = manages_event(principal, event) or await manages_person(conn, request, principal, personId)
        found = await documents.pdf_of(conn, kind=KIND, subject=eventId, holder=personId) if allowed else None
        visible_or_missing(found is not None, _missing_certificate(personId))
        await audit.record_read(conn, principal, KIND, [found[0]], "certificatePdf")
    return Response(found[1], media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="certificate-{found[0]}.pdf"'})


@router.post("/events/{eventId}/certificates/{personId}/revoke", operation_id="revokeCertificate", status_code=204,
             summary="Отозвать сертификат: его код больше не проходит проверку")
async def revoke(request: Request, principal: CurrentPrincipal, eventId: str, personId: str,
                 body: Annotated[RevokeRequest, Body()]):
    async with request.app.state.pool.acquire() as conn:
        await managed_event(conn, request, principal, eventId)
        done = await documents.revoke(conn, kind=KIND, subject=eventId, holder=personId, by=principal.subject,
                                      reason=body.reason)
    visible_or_missing(done, _missing_certificate(personId))
    return Response(status_code=204)
