"""Diplomas of winners and prize-winners of a published protocol (kit documents: PDF with a verification code,
verified publicly at GET /certificates/{code} with the certificates), and the rating tables per subject and
grade (published results only: code, organisation, grade, score, status — what a public rating may show).

Diplomas follow the latest published version: issuing again after a new version issues the new winners and
revokes the diplomas that no longer hold (a status or score changed by an appeal; those are issued anew)."""
from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from metodset_contracts.olympiads import STATUS_TITLES, OlympiadStageLevel, OlympiadStatus
from metodset_kit import audit, documents
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.errors import Conflict, NotFound, visible_or_missing
from metodset_kit.pagination import Page, decode_cursor, next_cursor

from . import olympiads
from . import olympiads_repository as repo
from .domain import olympiads as rules
from .domain.olympiad_diplomas import diploma_spec
from .olympiads_api import After, Limit
from .olympiads_schemas import Shape
from .projection import municipality_name

router = APIRouter(prefix="/olympiads", tags=["olympiads"])
KIND = "olympiad_diploma"
REVOKED = "Протокол опубликован в новой версии: статус или балл изменились"


class DiplomaIssued(Shape):
    participant_code: str
    status: OlympiadStatus
    code: str | None = Field(description="Код проверки — только при выдаче (далее он есть лишь на PDF)")


class DiplomasOutcome(Shape):
    protocol_version: int
    items: list[DiplomaIssued]
    revoked: list[str] = Field(description="Коды участников, чьи прежние дипломы отозваны")


class RatingRow(Shape):
    place: int
    participant_code: str
    organisation_id: UUID
    organisation_name: str | None
    grade: int
    score: float
    status: OlympiadStatus
    status_title: str


class RatingPage(Page[RatingRow]):
    pass


def _subject(stage_id: UUID) -> str:
    return f"olympiad-stage/{stage_id}"


def _full_name(row) -> str:
    return " ".join(p for p in (row["last_name"], row["first_name"], row["patronymic"]) if p)


@router.post("/stages/{stage_id}/diplomas", operation_id="issueOlympiadDiplomas", response_model=DiplomasOutcome,
             response_model_by_alias=True,
             summary="Выдать дипломы победителям и призёрам опубликованного протокола (PDF с кодом проверки)")
async def issue(request: Request, stage_id: UUID, principal: CurrentPrincipal):
    settings = request.app.state.settings
    url_for = lambda code: settings.certificate_url.format(code=documents.display(code))  # noqa: E731
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        row, stage = await olympiads.managed(conn, principal, stage_id)
        version = row["protocol_version"]
        if version == 0:
            raise Conflict("id", "Дипломы выдаются по опубликованному протоколу: опубликуйте его", "unpublished")
        awarded = await repo.awarded_published(conn, stage_id, version)
        municipality = await municipality_name(conn, stage.municipality_oktmo)
        specs = {a["code"]: diploma_spec(stage, settings.region_name, _full_name(a), a["grade"], a["score"],
                                         OlympiadStatus(a["status"]), municipality) for a in awarded}
        shown = await documents.valid_shows(conn, kind=KIND, subject=_subject(stage_id))
        stale = [code for code, shows in shown.items() if code not in specs or specs[code].shows() != shows]
        for code in stale:
            await documents.revoke(conn, kind=KIND, subject=_subject(stage_id), holder=code, by=principal.subject,
                                   reason=REVOKED)
        items = []
        for a in awarded:
            done = await documents.issue(conn, kind=KIND, subject=_subject(stage_id), holder=a["code"],
                                         spec=specs[a["code"]], url_for=url_for, issued_by=principal.subject)
            items.append(DiplomaIssued(participant_code=a["code"], status=a["status"],
                                       code=documents.display(done.code) if done.code else None))
        await audit.record_read(conn, principal, "olympiad_participant", list(specs), "issueOlympiadDiplomas")
    return DiplomasOutcome(protocol_version=version, items=items, revoked=stale)


@router.get("/stages/{stage_id}/diplomas/{code}.pdf", operation_id="olympiadDiplomaPdf", response_class=Response,
            summary="Диплом участника (PDF) — в пределах своей области, чтение записывается в журнал",
            responses={200: {"content": {"application/pdf": {}}}, 404: {"description": "Нет диплома"}})
async def pdf(request: Request, stage_id: UUID, code: str, principal: CurrentPrincipal):
    async with request.app.state.pool.acquire() as conn:
        found = await repo.result(conn, stage_id, code)
        allowed = found is not None and rules.sees_participant(principal, found["municipality_oktmo"],
                                                               str(found["organisation_id"]))
        document = await documents.pdf_of(conn, kind=KIND, subject=_subject(stage_id), holder=code) \
            if allowed else None
        visible_or_missing(document is not None,
                           NotFound("code", f"Диплом участника {code[:40]} не найден", where="path"))
        await audit.record_read(conn, principal, KIND, [document[0]], "olympiadDiplomaPdf")
    return Response(document[1], media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="diploma-{document[0]}.pdf"'})


@router.get("/ratings", operation_id="olympiadRating", response_model=RatingPage, response_model_by_alias=True,
            summary="Рейтинг по предмету и классу: опубликованные результаты этапа по региону (код, организация, "
                    "класс, балл, статус — без ФИО)")
async def rating(request: Request, principal: CurrentPrincipal, year: Annotated[int, Query(ge=2000, le=2100)],
                 subject: Annotated[str, Query(max_length=64)], stage: OlympiadStageLevel,
                 grade: Annotated[int, Query(ge=1, le=11)], limit: Limit = 50, after: After = None):
    seek = decode_cursor(repo.RATED, after) if after is not None else None
    async with request.app.state.pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                                          readonly=True):
        rows, total = await repo.rating(conn, year, subject, stage.value, grade, limit + 1, seek)
    items = [RatingRow(place=r["place"], participant_code=r["code"], organisation_id=r["organisation_id"],
                       organisation_name=r["organisation_name"], grade=r["grade"], score=float(r["score"]),
                       status=r["status"], status_title=STATUS_TITLES[r["status"]]) for r in rows[:limit]]
    return RatingPage(items=items, next_cursor=next_cursor(repo.RATED, rows, limit), total_count=total)
