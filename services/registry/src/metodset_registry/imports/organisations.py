"""The organisations kind of import and export (the kit's tabular mechanism): the template's columns, a batch row
handler (upsert by ИНН within the caller's scope) and the xlsx export of the organisation list. The other kinds
(staff.py, bodies.py, courses.py, diagnostics.py) the same way, each with a column spec and a batch row handler."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from metodset_contracts.organisations import KIND_TITLES, OrganisationKind
from metodset_kit import outbox
from metodset_kit.auth import CurrentPrincipal
from metodset_kit.hostile import bad_text
from metodset_kit.scope import Principal
from metodset_kit.tabular import Catalogue, Column, ColumnType, Kind, Outcome, Row, RowError
from metodset_kit.tabular.api import export
from metodset_kit.tabular.writing import XLSX_MEDIA_TYPE

from ..deps import AsOf
from ..domain import organisations as domain
from ..domain import write_rules
from ..domain.identifiers import is_valid_oktmo, legal_inn_problem, ogrn_problem
from ..organisations import handlers
from ..organisations import repository as repo
from ..shapes import _email_problem, _phone_problem, _website_problem


def _text(limit: int, *checks):
    def check(value: str) -> str | None:
        if len(value) > limit:
            return f"Не длиннее {limit} символов"
        return bad_text(value) or next((r for r in (c(value) for c in checks) if r), None)
    return check


def _oktmo_problem(value: str) -> str | None:
    return None if is_valid_oktmo(value) else "ОКТМО — 8 или 11 цифр"


ORGANISATION_COLUMNS = (
    Column("name", "Наименование", required=True, check=_text(500), width=50,
           help="Полное наименование по уставу", example="Муниципальное бюджетное общеобразовательное "
                                                          "учреждение «Средняя общеобразовательная школа № 1»"),
    Column("short_name", "Краткое наименование", check=_text(150), width=30, example="МБОУ СОШ № 1"),
    Column("kind", "Вид организации", ColumnType.CHOICE, required=True, catalogue=Catalogue.of(KIND_TITLES),
           unknown="Нет такого вида организации", width=40, example=KIND_TITLES[OrganisationKind.SCHOOL]),
    Column("municipality_oktmo", "ОКТМО муниципалитета", required=True, check=_oktmo_problem, width=16,
           help="Код ОКТМО муниципалитета (8 или 11 цифр)", example="29701000"),
    Column("inn", "ИНН", required=True, unique=True, check=legal_inn_problem, width=14,
           help="ИНН юридического лица, 10 цифр; по нему организация находится в реестре при повторной загрузке",
           example="4027012345"),
    Column("ogrn", "ОГРН", check=ogrn_problem, width=16, help="13 цифр", example="1024001234567"),
    Column("address", "Адрес", check=_text(500), width=40, example="248000, г. Калуга, ул. Ленина, д. 1"),
    Column("phone", "Телефон", check=_text(40, _phone_problem), example="+7 (4842) 56-12-34"),
    Column("email", "Электронная почта", check=_text(254, _email_problem), example="school1@kaluga.ru"),
    Column("website", "Сайт", check=_text(500, _website_problem), example="https://school1.kaluga.ru"),
)
IMPORT_LOCK = 7_311_000_104  # one organisations chunk at a time: matching by ИНН reads what the previous wrote
_IMPORTED = tuple(c.key for c in ORGANISATION_COLUMNS)
_CAPTIONS = {c.key: c.caption for c in ORGANISATION_COLUMNS}


def _refusal(principal: Principal) -> str | None:
    if not write_rules.WRITABLE.get(principal.role):
        return f"{write_rules.ROLE_TITLES[principal.role]} не может импортировать организации"
    return None


def _values(row: Row) -> dict:
    values = {k: v for k, v in row.values.items() if k in _IMPORTED}
    if values.get("kind") is not None:
        values["kind"] = OrganisationKind(values["kind"])
    return values


async def import_organisations(conn: asyncpg.Connection, principal: Principal, rows: Sequence[Row]) -> Outcome:
    """Upsert by ИНН within the caller's scope: a new ИНН registers, the same data is unchanged, other data
    updates; one event per created or changed organisation; a handful of queries whatever the row count."""
    await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
    values = [_values(r) for r in rows]
    known = await repo.existing_municipalities(conn, {v["municipality_oktmo"] for v in values})
    existing = {o.inn: o for o in await repo.active_by_inns(conn, [v["inn"] for v in values])}
    outcome, created, changed, facts = Outcome(), [], [], []
    for row, v in zip(rows, values, strict=True):
        org = existing.get(v["inn"])
        if org is None:
            reason = _new_problem(principal, v, known)
            if reason:
                outcome.errors.append(RowError(row.number, *reason))
            else:
                created.append(domain.Organisation(id=uuid.uuid4(), **{k: v.get(k) for k in _IMPORTED}))
            continue
        fields = domain.changed_fields(org, v)
        if not fields:
            outcome.unchanged += 1
            continue
        reason = _change_problem(principal, org, v, fields, known)
        if reason:
            outcome.errors.append(RowError(row.number, *reason))
            continue
        new, fact = domain.update(org, v)
        changed.append(new)
        facts.append(fact)
    if created:
        await repo.insert_organisations(conn, created)
    if changed:
        await repo.save_many(conn, changed)
    events = handlers.events_of_many(created, [domain.register(o) for o in created]) + \
        handlers.events_of_many(changed, facts)
    if events:
        await outbox.add(conn, events)
    outcome.created, outcome.updated = len(created), len(changed)
    return outcome


def _new_problem(principal: Principal, v: dict, known: set[str]) -> tuple[str | None, str] | None:
    if not write_rules.may_register(principal.role):
        return _CAPTIONS["inn"], f"Организации с ИНН {v['inn']} нет в реестре; " \
                                 f"{write_rules.registration_refusal(principal.role).lower()}"
    return _municipality_problem(principal, v["municipality_oktmo"], known)


def _municipality_problem(principal: Principal, oktmo: str, known: set[str]) -> tuple[str, str] | None:
    if not principal.may_manage_municipality(oktmo):
        return _CAPTIONS["municipality_oktmo"], handlers.FORBIDDEN_MUNICIPALITY
    if oktmo not in known:
        return _CAPTIONS["municipality_oktmo"], f"Муниципалитет с ОКТМО {oktmo} не найден"
    return None


def _change_problem(principal: Principal, org: domain.Organisation, v: dict, fields: list[str],
                    known: set[str]) -> tuple[str | None, str] | None:
    if not principal.may_edit_organisation(str(org.id), org.municipality_oktmo):
        return _CAPTIONS["inn"], f"Организация с ИНН {org.inn} вне вашей области доступа"
    refused = write_rules.refused(principal.role, fields)
    if refused:
        return _CAPTIONS[refused[0]], write_rules.refusal_message(principal.role, refused)
    if "municipality_oktmo" in fields:
        return _municipality_problem(principal, v["municipality_oktmo"], known)
    return None


ORGANISATIONS = Kind("organisations", "Организации", ORGANISATION_COLUMNS, import_organisations,
                     refusal=_refusal)

exports = APIRouter()


@exports.get("/organisations/export.xlsx", operation_id="exportOrganisations", tags=["organisations"],
             summary="Организации в xlsx: те же фильтры, что у списка (и asOf); файл загружается обратно без изменений",
             response_class=Response, responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}})
async def export_organisations(
    request: Request, principal: CurrentPrincipal, as_of: AsOf,
    municipality: Annotated[list[str] | None, Query(description="Коды ОКТМО", max_length=500)] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None, active: bool | None = None,
):
    async with request.app.state.pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                                          readonly=True):
        orgs = await repo.all_organisations(conn, municipalities=municipality, kind=kind, active=active, as_of=as_of)
    records = ({k: getattr(o, k) for k in _IMPORTED} for o in orgs)
    return await export(ORGANISATIONS, records, "Организации.xlsx")
