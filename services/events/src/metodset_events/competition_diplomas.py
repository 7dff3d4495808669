"""Diplomas of a published stage's winners and prize-winners: PDF with a verification code (kit documents), checked
at the same public `GET /certificates/{code}` as certificates of participation.

Students' names are printed from the entry (kept for the protocols); staff entrants' names come with the issuing
request (the gateway resolves them through the registry, which scopes and audits the read), as for certificates.
A diploma's subject is the entry, its holder the staff person's id or the student's place in the entry."""
from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import asyncpg

from metodset_contracts.competitions import ResultStatus, StageLevel
from metodset_kit import audit, documents
from metodset_kit.errors import Conflict, NotFound, visible_or_missing
from metodset_kit.scope import Principal

from . import competition_entries as entries
from . import competitions_repository as repo
from .certificates import KIND
from .competitions import run_stage
from .competitions_schemas import DiplomaAnswer
from .domain.competition_diplomas import AWARDED, diploma_spec, student_name
from .projection import municipality_name

NO_NAME = "ФИО работника не передано: диплом не выдан"


def subject_of(entry_id: UUID) -> str:
    return f"competition-entry:{entry_id}"


def holder_of(member: asyncpg.Record) -> str:
    return str(member["person_id"]) if member["person_id"] else f"student-{member['position']}"


async def issue(conn: asyncpg.Connection, principal: Principal, stage_id: UUID, names: dict[str, str], region: str,
                url_for: Callable[[str], str]) -> list[DiplomaAnswer]:
    stage = await run_stage(conn, principal, stage_id, open_only=False)
    if stage["status"] != "published":
        raise Conflict("stageId", "Дипломы выдают после публикации итогов этапа", "not_published")
    competition = await repo.competition(conn, stage["competition_id"])
    awarded = [e for e in await repo.stage_entries(conn, stage_id) if e["status"] in AWARDED]
    members = await repo.members_of(conn, [e["id"] for e in awarded])
    municipality = await municipality_name(conn, stage["municipality_oktmo"])
    answers = []
    for e in awarded:
        nomination = await repo.nomination(conn, e["nomination_id"])
        for m in members[e["id"]]:
            holder = holder_of(m)
            name = names.get(holder) if m["person_id"] else student_name(m["last_name"], m["first_name"],
                                                                          m["middle_name"])
            if not name:
                answers.append(DiplomaAnswer(entry_id=e["id"], holder=holder, status="REFUSED", reason=NO_NAME))
                continue
            spec = diploma_spec(competition=competition["title"], year=competition["year"],
                                level=StageLevel(stage["level"]), nomination=nomination["title"],
                                status=ResultStatus(e["status"]), place=e["place"], score=e["score"], holder=name,
                                region=region, municipality_oktmo=stage["municipality_oktmo"], work=e["title"],
                                municipality=municipality)
            done = await documents.issue(conn, kind=KIND, subject=subject_of(e["id"]), holder=holder, spec=spec,
                                         url_for=url_for, issued_by=principal.subject)
            answers.append(DiplomaAnswer(entry_id=e["id"], holder=holder,
                                         status="ISSUED" if done.code else "ALREADY_ISSUED",
                                         code=documents.display(done.code) if done.code else None))
    return answers


async def pdf(conn: asyncpg.Connection, principal: Principal, entry_id: UUID, holder: str) -> tuple[str, bytes]:
    """The diploma of a holder of an entry the caller sees; audited like a certificate's download."""
    await entries.visible_entry(conn, principal, entry_id)
    found = await documents.pdf_of(conn, kind=KIND, subject=subject_of(entry_id), holder=holder)
    visible_or_missing(found is not None, NotFound("holder", "Диплом не найден", where="path"))
    await audit.record_read(conn, principal, KIND, [found[0]], "competitionDiplomaPdf")
    return found
