"""Use cases of data-collection campaigns: forms and campaigns created and assigned, drafts saved and forms
submitted, approved by the municipality and then the region or returned, completeness, reminders.

Scope: the regional coordinator creates forms and campaigns for the region; a municipal methodist for their own
municipality's organisations (the campaign is then the municipality's, and its approval is final there). An
organisation's form is filled by its administrator (or the municipal methodist, or the coordinator, on its
behalf); a municipality's by its methodist. A campaign, a submission or a municipality the caller does not see
answers like a missing one (404). Organisations are known from organisation_facts (registry.organisations.v1).
Changes go to monitoring.campaigns.v1 in the same transaction; final approvals write facts (domain.campaigns)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

import asyncpg

from metodset_contracts.campaigns import (
    ApprovalLevel,
    CampaignOpened,
    FormSubmitted,
    ReminderDue,
    SubmissionApproved,
    SubmissionReturned,
)
from metodset_kit import outbox
from metodset_kit.errors import Conflict, DomainError, Forbidden, NotFound, RowsRejected
from metodset_kit.events import now, outgoing
from metodset_kit.hostile import bad_text
from metodset_kit.scope import Principal, Role
from metodset_kit.storage import FileType, Storage

from . import campaigns_repository as repo
from .campaigns_repository import StoredCampaign, StoredForm, StoredSubmission
from .campaigns_schemas import Answers, Assignment, CampaignCreate, FormCreate
from .domain import campaigns as rules
from .domain.campaigns import Campaign, Submission, TransitionError
from .domain.forms import Checked, FieldProblem, FieldType, FormError, check_values, checked

SOURCE = "urn:metodset:monitoring"


def missing_campaign(campaign_id: UUID) -> NotFound:
    return NotFound("id", f"Кампания {campaign_id} не найдена", where="path")


def missing_submission(submission_id: UUID) -> NotFound:
    return NotFound("id", f"Форма {submission_id} не найдена", where="path")


READERS = (Role.REGIONAL_COORDINATOR, Role.ANALYST, Role.SERVICE, Role.MUNICIPAL_METHODIST, Role.ORGANISATION_ADMIN)


def _scope(principal: Principal) -> tuple[str | None, UUID | None]:
    """What narrows the caller's reads: a municipality, an organisation, or nothing (the region's roles; any
    other role reads no campaign at all: `_campaign` and `listing` refuse it first)."""
    if principal.role is Role.MUNICIPAL_METHODIST:
        return principal.municipality, None
    if principal.role is Role.ORGANISATION_ADMIN:
        return None, UUID(principal.organisation)
    return None, None


def sees_submission(principal: Principal, s: Submission) -> bool:
    if s.organisation_id is not None and principal.may_edit_organisation(str(s.organisation_id), s.municipality_oktmo):
        return True
    return principal.sees_municipality(s.municipality_oktmo) and principal.role is not Role.ORGANISATION_ADMIN


# ---- forms and campaigns --------------------------------------------------------------------------------------

def _owner(principal: Principal, what: str) -> str | None:
    if principal.role is Role.REGIONAL_COORDINATOR:
        return None
    if principal.role is Role.MUNICIPAL_METHODIST:
        return principal.municipality
    raise Forbidden(f"{what} может региональный координатор или методист муниципалитета")


async def create_form(pool: asyncpg.Pool, principal: Principal, data: FormCreate) -> StoredForm:
    owner = _owner(principal, "Создать форму")
    try:
        checked(data.domain())
    except FormError as exc:
        raise DomainError(exc.field, str(exc)) from None
    async with pool.acquire() as conn, conn.transaction():
        if not await repo.insert_form(conn, data, owner, principal.subject):
            raise Conflict("code", f"Форма с кодом {data.code} уже есть", "duplicate")
        return await repo.form(conn, data.code)


async def read_form(pool: asyncpg.Pool, code: str) -> StoredForm:
    async with pool.acquire() as conn:
        found = await repo.form(conn, code)
    if found is None:
        raise NotFound("code", f"Форма {code} не найдена", where="path")
    return found


async def _respondents(conn: asyncpg.Connection, principal: Principal, c: Campaign, a: Assignment) -> list[Submission]:
    """Whom the assignment names, resolved through organisation_facts; every unknown or out-of-scope one refused."""
    if c.owner_oktmo is not None and (a.municipalities_respond or any(m != c.owner_oktmo for m in a.municipalities)):
        raise Forbidden("Кампания муниципалитета назначается только организациям этого муниципалитета",
                        field="assign.municipalities")
    found = await repo.organisations(conn, a.organisation_ids)
    unknown = [{"loc": ["body", "assign", "organisationIds", i], "msg": f"Организация {o} не найдена или закрыта",
                "type": "unknown"} for i, o in enumerate(a.organisation_ids) if o not in found]
    if unknown:
        raise RowsRejected(unknown)
    if a.kinds:
        within = a.municipalities or ([c.owner_oktmo] if c.owner_oktmo else None)
        found |= await repo.organisations_of_kinds(conn, a.kinds, within)
    if c.owner_oktmo is not None and any(m != c.owner_oktmo for m in found.values()):
        raise Forbidden("Кампания муниципалитета назначается только организациям этого муниципалитета",
                        field="assign.organisationIds")
    subs = [Submission(uuid.uuid4(), c.id, o, m) for o, m in found.items()]
    if a.municipalities_respond:
        subs += [Submission(uuid.uuid4(), c.id, None, m) for m in dict.fromkeys(a.municipalities)]
    return subs


async def create_campaign(pool: asyncpg.Pool, principal: Principal, data: CampaignCreate) -> StoredCampaign:
    owner = _owner(principal, "Открыть кампанию")
    if data.deadline < data.period_start:
        raise DomainError("deadline", "Срок представления раньше начала периода")
    c = Campaign(uuid.uuid4(), data.code, data.title, data.form_code, data.period, data.period_start, data.deadline,
                 owner, data.remind_days)
    async with pool.acquire() as conn, conn.transaction():
        form = await repo.form(conn, data.form_code)
        if form is None or (form.owner_oktmo is not None and form.owner_oktmo != owner):
            raise DomainError("formCode", f"Форма {data.form_code} не найдена", "unknown")
        if not await repo.insert_campaign(conn, c, data.kind, data.min_group, principal.subject):
            raise Conflict("code", f"Кампания с кодом {data.code} уже есть", "duplicate")
        subs = await _respondents(conn, principal, c, data.assign)
        if data.kind == "survey" and any(s.organisation_id is None for s in subs):
            raise DomainError("assign.municipalitiesRespond", "Опрос работников назначается организациям")
        await repo.add_respondents(conn, subs)
        await outbox.add(conn, [_event(c, CampaignOpened(
            campaign_id=c.id, code=c.code, form_code=c.form_code, period=c.period, deadline=c.deadline,
            owner_oktmo=c.owner_oktmo, respondents=len(subs)))])
        return await repo.campaign(conn, c.id)


async def assign(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, a: Assignment) -> int:
    """More respondents for an open campaign; those already assigned are kept as they are. Answers how many
    were added."""
    async with pool.acquire() as conn, conn.transaction():
        stored = await _campaign(conn, principal, campaign_id)
        _manages(principal, stored.campaign)
        subs = await _respondents(conn, principal, stored.campaign, a)
        return await repo.add_respondents(conn, subs)


def _manages(principal: Principal, c: Campaign) -> None:
    allowed = principal.may_manage_region() if c.owner_oktmo is None else principal.may_manage_municipality(
        c.owner_oktmo)
    if not allowed:
        raise Forbidden("Назначать кампанию может тот, кто её открыл (регион или муниципалитет)")


def _event(c: Campaign, data, key: str | None = None):
    return outgoing(data, source=SOURCE, subject=f"campaigns/{c.id}", key=key or str(c.id), time=now())


async def _campaign(conn: asyncpg.Connection, principal: Principal, campaign_id: UUID) -> StoredCampaign:
    if principal.role not in READERS:  # a role that came after this rule reads nothing until it is placed here
        raise missing_campaign(campaign_id)
    found = await repo.campaign(conn, campaign_id)
    if found is None or not await repo.sees_campaign(conn, campaign_id, *_scope(principal)):
        raise missing_campaign(campaign_id)
    return found


async def read_campaign(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID) -> tuple[StoredCampaign,
                                                                                               StoredForm]:
    async with pool.acquire() as conn:
        found = await _campaign(conn, principal, campaign_id)
        return found, await repo.form(conn, found.campaign.form_code)


async def listing(pool: asyncpg.Pool, principal: Principal, f: repo.CampaignFilter, limit: int,
                  after: tuple | None) -> tuple[list[tuple[StoredCampaign, StoredForm]], int, bool]:
    if principal.role not in READERS:
        return [], 0, False
    async with pool.acquire() as conn:
        found, total = await repo.campaign_page(conn, *_scope(principal), f, limit + 1, after)
        forms = {c.campaign.form_code: await repo.form(conn, c.campaign.form_code) for c in found[:limit]}
    return [(c, forms[c.campaign.form_code]) for c in found[:limit]], total, len(found) > limit


# ---- answering -------------------------------------------------------------------------------------------------

def _respondent_key(data: Answers) -> str:
    if (data.organisation_id is None) == (data.municipality_oktmo is None):
        raise DomainError("organisationId", "Укажите организацию (organisationId) или муниципалитет "
                                            "(municipalityOktmo), от имени которого заполняется форма")
    return str(data.organisation_id) if data.organisation_id else data.municipality_oktmo


async def _own_submission(conn: asyncpg.Connection, principal: Principal, campaign_id: UUID,
                          data: Answers) -> tuple[StoredCampaign, StoredForm, StoredSubmission]:
    stored = await _campaign(conn, principal, campaign_id)
    found = await repo.submission_of(conn, campaign_id, _respondent_key(data))
    if found is None or not sees_submission(principal, found.submission):
        raise NotFound("organisationId", "Эта форма кампании вам не назначена")
    s = found.submission
    allowed = principal.may_edit_organisation(str(s.organisation_id), s.municipality_oktmo) if s.organisation_id \
        else principal.may_manage_municipality(s.municipality_oktmo)
    if not allowed or stored.kind != "report":
        raise Forbidden("Заполнить форму может респондент: администратор организации или методист муниципалитета")
    return stored, await repo.form(conn, stored.campaign.form_code), found


async def _checked(conn: asyncpg.Connection, form: StoredForm, s: Submission, raw: dict, complete: bool) -> Checked:
    result = check_values(form.form, raw, complete=complete)
    files = [f.code for f in form.form.fields if f.type is FieldType.FILE and f.code in result.values]
    if files:
        known = await repo.uploaded(conn, s.campaign_id, s.respondent)
        result.problems.extend(FieldProblem(code, f"Файл поля {code} не загружен в эту форму")
                               for code in files if result.values[code]["sha256"] not in known)
    return result


def _rejected(problems: list[FieldProblem]) -> RowsRejected:
    return RowsRejected([{"loc": ["body", "values", p.field], "msg": p.message, "type": "invalid"} for p in problems])


def _transition(exc: TransitionError) -> DomainError:
    return DomainError(exc.field, str(exc), exc.code) if exc.field else Conflict(None, str(exc), exc.code)


async def check(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID,
                data: Answers) -> tuple[StoredSubmission, list[FieldProblem]]:
    """What submitting these values would refuse, nothing written."""
    async with pool.acquire() as conn, conn.transaction():
        _, form, found = await _own_submission(conn, principal, campaign_id, data)
        return found, (await _checked(conn, form, found.submission, data.as_dict(), True)).problems


async def _answer(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, data: Answers, complete: bool,
                  step) -> StoredSubmission:
    """Check the values (a submission also for required fields: `complete`), apply `step(submission, values)
    -> (submission, event data or None)`, save; any bad value refuses it all."""
    async with pool.acquire() as conn, conn.transaction():
        stored, form, found = await _own_submission(conn, principal, campaign_id, data)
        result = await _checked(conn, form, found.submission, data.as_dict(), complete)
        if not result.ok:
            raise _rejected(result.problems)
        try:
            s, event = step(found.submission, result.values)
        except TransitionError as exc:
            raise _transition(exc) from None
        await repo.save_submission(conn, s, principal.subject)
        if event is not None:
            await outbox.add(conn, [_event(stored.campaign, event(stored.campaign, s), str(s.id))])
        return await repo.submission(conn, s.id)


async def save_draft(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, data: Answers) -> StoredSubmission:
    return await _answer(pool, principal, campaign_id, data, False,
                         lambda s, values: (rules.save_draft(s, values), None))


async def submit(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, data: Answers) -> StoredSubmission:
    at = datetime.now(UTC)

    def step(s: Submission, values: dict):
        return rules.submit(s, values, at), lambda c, s: FormSubmitted(**_facts(c, s), submitted_at=at)
    return await _answer(pool, principal, campaign_id, data, True, step)


def _facts(c: Campaign, s: Submission) -> dict:
    return dict(campaign_id=c.id, campaign_code=c.code, submission_id=s.id, organisation_id=s.organisation_id,
                municipality_oktmo=s.municipality_oktmo, status=s.status, version=s.version)


async def add_file(pool: asyncpg.Pool, storage: Storage, principal: Principal, campaign_id: UUID, data: Answers,
                   content: bytes, kind: FileType, name: str | None) -> dict:
    """Keep a file for a field of the respondent's form; its reference is then given as the field's value."""
    async with pool.acquire() as conn, conn.transaction():
        _, _, found = await _own_submission(conn, principal, campaign_id, data)
        sha256 = await storage.put(content)
        ref = {"sha256": sha256, "fileType": kind.code, "sizeBytes": len(content),
               "fileName": name if name and not bad_text(name) else None}
        await repo.add_file(conn, campaign_id, found.submission.respondent, ref, principal.subject)
        return ref


# ---- approving ---------------------------------------------------------------------------------------------------

async def _to_decide(conn: asyncpg.Connection, principal: Principal,
                     submission_id: UUID) -> tuple[StoredCampaign, StoredSubmission, ApprovalLevel]:
    found = await repo.submission(conn, submission_id, lock=True)
    if found is None or not sees_submission(principal, found.submission):
        raise missing_submission(submission_id)
    stored = await repo.campaign(conn, found.submission.campaign_id)
    if principal.role is Role.REGIONAL_COORDINATOR and stored.campaign.regional:
        return stored, found, ApprovalLevel.REGION
    if principal.role is Role.MUNICIPAL_METHODIST and principal.may_manage_municipality(
            found.submission.municipality_oktmo) or not stored.campaign.regional and principal.may_manage_region():
        return stored, found, ApprovalLevel.MUNICIPALITY
    raise Forbidden("Согласует форму методист муниципалитета, принимает региональный координатор")


async def _decide(pool: asyncpg.Pool, principal: Principal, submission_id: UUID, step) -> StoredSubmission:
    """Apply an approval step `step(campaign, submission, level) -> (submission, event data)`; the facts follow
    the final approval (written) and a return after it (removed)."""
    async with pool.acquire() as conn, conn.transaction():
        stored, found, level = await _to_decide(conn, principal, submission_id)
        c = stored.campaign
        try:
            s, data = step(c, found.submission, level)
        except TransitionError as exc:
            raise _transition(exc) from None
        approved = s.status is rules.S.APPROVED
        await repo.save_submission(conn, s, principal.subject, approved=approved)
        if approved or found.submission.status is rules.S.APPROVED:
            form = await repo.form(conn, c.form_code)
            await repo.replace_facts(conn, rules.record_prefix(c, s), rules.facts_of(c, form.form, s))
        await outbox.add(conn, [_event(c, data, str(s.id))])
        return await repo.submission(conn, s.id)


async def approve(pool: asyncpg.Pool, principal: Principal, submission_id: UUID) -> StoredSubmission:
    def step(c: Campaign, s: Submission, level: ApprovalLevel):
        s = rules.approve(c, s, level)
        return s, SubmissionApproved(**_facts(c, s), level=level, approved_at=datetime.now(UTC))
    return await _decide(pool, principal, submission_id, step)


async def return_back(pool: asyncpg.Pool, principal: Principal, submission_id: UUID, comment: str) -> StoredSubmission:
    def step(c: Campaign, s: Submission, level: ApprovalLevel):
        s = rules.return_back(c, s, level, comment)
        return s, SubmissionReturned(**_facts(c, s), level=level, returned_at=datetime.now(UTC))
    return await _decide(pool, principal, submission_id, step)


async def rebuild_facts(conn: asyncpg.Connection) -> int:
    """The campaign facts again from the approved submissions (monitoring owns them: no topic brings them back,
    so a replay that empties `facts` calls this). Answers how many rows were written."""
    written = 0
    await conn.execute("delete from facts where kind = 'campaign'")
    for campaign_id in await repo.campaigns_with_approvals(conn):
        stored = await repo.campaign(conn, campaign_id)
        form = await repo.form(conn, stored.campaign.form_code)
        for s in await repo.all_submissions(conn, campaign_id, None):
            facts = rules.facts_of(stored.campaign, form.form, s)
            await repo.replace_facts(conn, rules.record_prefix(stored.campaign, s), facts)
            written += len(facts)
    return written


# ---- reading submissions, completeness, reminders --------------------------------------------------------------

async def read_submission(pool: asyncpg.Pool, principal: Principal, submission_id: UUID) -> StoredSubmission:
    async with pool.acquire() as conn:
        found = await repo.submission(conn, submission_id)
    if found is None or not sees_submission(principal, found.submission):
        raise missing_submission(submission_id)
    return found


async def submissions(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID, municipality: str | None,
                      status: str | None, limit: int, after: tuple | None):
    municipality_scope, organisation = _scope(principal)
    if municipality_scope and municipality not in (None, municipality_scope):
        return [], 0, False
    async with pool.acquire() as conn:
        await _campaign(conn, principal, campaign_id)
        found, total = await repo.submission_page(conn, campaign_id, municipality_scope or municipality,
                                                  organisation, status, limit + 1, after)
    return found[:limit], total, len(found) > limit


@dataclass(frozen=True)
class CompletenessView:
    campaign: StoredCampaign
    rows: list[rules.Completeness]
    submissions: list[Submission]
    today: date


async def completeness(pool: asyncpg.Pool, principal: Principal, campaign_id: UUID,
                       today: date | None = None) -> CompletenessView:
    """Per municipality the caller sees (an organisation's administrator: none, only their own form counts)."""
    async with pool.acquire() as conn:
        stored = await _campaign(conn, principal, campaign_id)
        municipality, organisation = _scope(principal)
        subs = await repo.all_submissions(conn, campaign_id, municipality)
    if organisation is not None:
        subs = [s for s in subs if s.organisation_id == organisation]
    today = today or date.today()
    return CompletenessView(stored, rules.completeness(stored.campaign, subs, today), subs, today)


async def remind(pool: asyncpg.Pool, principal: Principal, today: date | None = None) -> int:
    """Reminder events for every respondent due one today; a second run the same day sends none."""
    if principal.role not in (Role.REGIONAL_COORDINATOR, Role.SERVICE):
        raise Forbidden("Напоминания рассылает региональный координатор или служебная учётная запись")
    today = today or date.today()
    sent = 0
    async with pool.acquire() as conn, conn.transaction():
        for stored in await repo.open_campaigns(conn, today):
            c = stored.campaign
            for s in await repo.all_submissions(conn, c.id, None):
                reason = rules.reminder_reason(c, s, today)
                if reason is None or not await repo.record_reminder(conn, s.id, today, reason.value):
                    continue
                await outbox.add(conn, [_event(c, ReminderDue(**_facts(c, s), reason=reason, deadline=c.deadline,
                                                              day=today), str(s.id))])
                sent += 1
    return sent
