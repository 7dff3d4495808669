"""SQL access to campaign forms, campaigns, submissions, reminders, files, survey responses and campaign facts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from metodset_contracts.campaigns import ApprovalLevel, SubmissionStatus
from metodset_kit.pagination import Ordering, keyset_after, order_by

from .campaigns_schemas import FieldIn, FormCreate
from .domain.campaigns import Campaign, CampaignFact, Submission
from .domain.forms import Form
from .domain.surveys import SurveyResponse
from .facts_projection import mark_dirty

CAMPAIGN_ORDER = Ordering("campaigns", (("code", str), ("id", UUID)))
SUBMISSION_ORDER = Ordering("campaign_submissions", (("municipality_oktmo", str), ("id", UUID)))


@dataclass(frozen=True)
class StoredForm:
    form: Form
    fields: list[FieldIn]
    owner_oktmo: str | None


@dataclass(frozen=True)
class StoredCampaign:
    campaign: Campaign
    kind: str
    min_group: int
    created_at: object


def _form(row) -> StoredForm:
    fields = [FieldIn.model_validate(f) for f in row["fields"]]
    return StoredForm(Form(row["code"], row["title"], tuple(f.domain() for f in fields)), fields, row["owner_oktmo"])


async def form(conn: asyncpg.Connection, code: str) -> StoredForm | None:
    row = await conn.fetchrow("select * from campaign_forms where code = $1", code)
    return _form(row) if row else None


async def insert_form(conn: asyncpg.Connection, data: FormCreate, owner_oktmo: str | None, by: str) -> bool:
    fields = [f.model_dump(mode="json", by_alias=True) for f in data.fields]
    done = await conn.execute("insert into campaign_forms (code, title, fields, owner_oktmo, created_by) "
                              "values ($1, $2, $3, $4, $5) on conflict do nothing",
                              data.code, data.title, fields, owner_oktmo, by)
    return done.endswith(" 1")


def _campaign(r) -> StoredCampaign:
    return StoredCampaign(Campaign(r["id"], r["code"], r["title"], r["form_code"], r["period"], r["period_start"],
                                   r["deadline"], r["owner_oktmo"], r["remind_days"]), r["kind"], r["min_group"],
                          r["created_at"])


async def campaign(conn: asyncpg.Connection, campaign_id: UUID) -> StoredCampaign | None:
    row = await conn.fetchrow("select * from campaigns where id = $1", campaign_id)
    return _campaign(row) if row else None


async def insert_campaign(conn: asyncpg.Connection, c: Campaign, kind: str, min_group: int, by: str) -> bool:
    done = await conn.execute(
        "insert into campaigns (id, code, title, form_code, kind, period, period_start, deadline, owner_oktmo, "
        "remind_days, min_group, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        "on conflict (code) do nothing", c.id, c.code, c.title, c.form_code, kind, c.period, c.period_start,
        c.deadline, c.owner_oktmo, c.remind_days, min_group, by)
    return done.endswith(" 1")


_VISIBLE = """($1::text is null or c.owner_oktmo = $1
               or exists (select 1 from campaign_submissions s
                           where s.campaign_id = c.id and s.municipality_oktmo = $1))
          and ($2::uuid is null
               or exists (select 1 from campaign_submissions s
                           where s.campaign_id = c.id and s.organisation_id = $2))"""


@dataclass(frozen=True)
class CampaignFilter:
    kind: str | None = None
    period: str | None = None


_FILTER = "($3::text is null or c.kind = $3) and ($4::text is null or c.period = $4)"


async def campaign_page(conn: asyncpg.Connection, municipality: str | None, organisation: UUID | None,
                        f: CampaignFilter, limit: int, after: tuple | None) -> tuple[list[StoredCampaign], int]:
    args: list = [municipality, organisation, f.kind, f.period, limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(CAMPAIGN_ORDER, 6)}"
        args += list(after)
    rows = await conn.fetch(f"select * from campaigns c where {_VISIBLE} and {_FILTER} {seek} "
                            f"{order_by(CAMPAIGN_ORDER)} limit $5", *args)
    total = await conn.fetchval(f"select count(*) from campaigns c where {_VISIBLE} and {_FILTER}", *args[:4])
    return [_campaign(r) for r in rows], total


async def sees_campaign(conn: asyncpg.Connection, campaign_id: UUID, municipality: str | None,
                        organisation: UUID | None) -> bool:
    return await conn.fetchval(f"select exists (select 1 from campaigns c where c.id = $3 and {_VISIBLE})",
                               municipality, organisation, campaign_id)


# ---- respondents ----------------------------------------------------------------------------------------------

async def organisations(conn: asyncpg.Connection, ids: list[UUID]) -> dict[UUID, str]:
    rows = await conn.fetch("select organisation_id, municipality_oktmo from organisation_facts "
                            "where active and organisation_id = any($1)", ids)
    return {r["organisation_id"]: r["municipality_oktmo"] for r in rows}


async def organisations_of_kinds(conn: asyncpg.Connection, kinds: list[str],
                                 municipalities: list[str] | None) -> dict[UUID, str]:
    rows = await conn.fetch("select organisation_id, municipality_oktmo from organisation_facts where active and "
                            "kind = any($1) and ($2::text[] is null or municipality_oktmo = any($2))",
                            kinds, municipalities)
    return {r["organisation_id"]: r["municipality_oktmo"] for r in rows}


async def add_respondents(conn: asyncpg.Connection, subs: list[Submission]) -> int:
    done = await conn.execute(
        "insert into campaign_submissions (id, campaign_id, respondent, organisation_id, municipality_oktmo) "
        "select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[]) "
        "on conflict (campaign_id, respondent) do nothing",
        [s.id for s in subs], [s.campaign_id for s in subs], [s.respondent for s in subs],
        [s.organisation_id for s in subs], [s.municipality_oktmo for s in subs])
    return int(done.rsplit(" ", 1)[-1])


def _submission(r) -> Submission:
    return Submission(r["id"], r["campaign_id"], r["organisation_id"], r["municipality_oktmo"],
                      SubmissionStatus(r["status"]), r["answers"], r["version"], r["approvals"],
                      r["submitted_at"], r["return_comment"],
                      ApprovalLevel(r["returned_by"]) if r["returned_by"] else None)


@dataclass(frozen=True)
class StoredSubmission:
    submission: Submission
    approved_at: object


def _stored(r) -> StoredSubmission:
    return StoredSubmission(_submission(r), r["approved_at"])


async def submission(conn: asyncpg.Connection, submission_id: UUID, *, lock: bool = False) -> StoredSubmission | None:
    row = await conn.fetchrow(f"select * from campaign_submissions where id = $1{' for update' if lock else ''}",
                              submission_id)
    return _stored(row) if row else None


async def submission_of(conn: asyncpg.Connection, campaign_id: UUID, respondent: str) -> StoredSubmission | None:
    row = await conn.fetchrow("select * from campaign_submissions where campaign_id = $1 and respondent = $2 "
                              "for update", campaign_id, respondent)
    return _stored(row) if row else None


async def save_submission(conn: asyncpg.Connection, s: Submission, by: str, *, approved: bool = False) -> None:
    await conn.execute(
        """update campaign_submissions set status = $2, answers = $3, version = $4, approvals = $5,
                  submitted_at = $6, return_comment = $7, returned_by = $8, updated_by = $9, updated_at = now(),
                  approved_at = case when $10 then now() else approved_at end
            where id = $1""",
        s.id, s.status.value, s.values or {}, s.version, s.approvals,
        s.submitted_at, s.return_comment, s.returned_by.value if s.returned_by else None, by, approved)


_SUBMISSIONS_WHERE = """campaign_id = $1 and ($2::text is null or municipality_oktmo = $2)
   and ($3::uuid is null or organisation_id = $3) and ($4::text is null or status = $4)"""


async def submission_page(conn: asyncpg.Connection, campaign_id: UUID, municipality: str | None,
                          organisation: UUID | None, status: str | None, limit: int,
                          after: tuple | None) -> tuple[list[StoredSubmission], int]:
    args: list = [campaign_id, municipality, organisation, status, limit]
    seek = ""
    if after is not None:
        seek = f"and {keyset_after(SUBMISSION_ORDER, 6)}"
        args += list(after)
    rows = await conn.fetch(f"select * from campaign_submissions where {_SUBMISSIONS_WHERE} {seek} "
                            f"{order_by(SUBMISSION_ORDER)} limit $5", *args)
    total = await conn.fetchval(f"select count(*) from campaign_submissions where {_SUBMISSIONS_WHERE}",
                                *args[:4])
    return [_stored(r) for r in rows], total


async def all_submissions(conn: asyncpg.Connection, campaign_id: UUID, municipality: str | None) -> list[Submission]:
    rows = await conn.fetch("select * from campaign_submissions where campaign_id = $1 and "
                            "($2::text is null or municipality_oktmo = $2)", campaign_id, municipality)
    return [_submission(r) for r in rows]


# ---- facts, reminders, files, surveys -------------------------------------------------------------------------

async def replace_facts(conn: asyncpg.Connection, prefix: str, facts: list[CampaignFact]) -> None:
    """The respondent's campaign facts become exactly these (none: removed); the indicators reading campaign
    facts are recomputed after the commit."""
    await mark_dirty(conn, ["campaign"])
    await conn.execute("delete from facts where kind = 'campaign' and starts_with(record_id, $1)", prefix)
    await conn.executemany(
        "insert into facts (kind, record_id, organisation_id, municipality_oktmo, valid_from, value, attrs, version) "
        "values ('campaign', $1, $2, $3, $4, $5, $6, $7)",
        [(f.record_id, f.organisation_id, f.municipality_oktmo, f.valid_from, f.value,
          f.attrs, f.version) for f in facts])


async def campaigns_with_approvals(conn: asyncpg.Connection) -> list[UUID]:
    rows = await conn.fetch("select distinct campaign_id from campaign_submissions where status = 'approved'")
    return [r["campaign_id"] for r in rows]


async def open_campaigns(conn: asyncpg.Connection, today: date) -> list[StoredCampaign]:
    rows = await conn.fetch("select * from campaigns where kind = 'report' and deadline - remind_days <= $1", today)
    return [_campaign(r) for r in rows]


async def record_reminder(conn: asyncpg.Connection, submission_id: UUID, day: date, reason: str) -> bool:
    done = await conn.execute("insert into campaign_reminders (submission_id, day, reason) values ($1, $2, $3) "
                              "on conflict do nothing", submission_id, day, reason)
    return done.endswith(" 1")


async def add_file(conn: asyncpg.Connection, campaign_id: UUID, respondent: str, ref: dict, by: str) -> None:
    await conn.execute("insert into campaign_files (campaign_id, respondent, sha256, file_type, size_bytes, file_name,"
                       " uploaded_by) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                       campaign_id, respondent, ref["sha256"], ref["fileType"], ref["sizeBytes"], ref["fileName"], by)


async def uploaded(conn: asyncpg.Connection, campaign_id: UUID, respondent: str) -> set[str]:
    rows = await conn.fetch("select sha256 from campaign_files where campaign_id = $1 and respondent = $2",
                            campaign_id, respondent)
    return {r["sha256"] for r in rows}


async def add_response(conn: asyncpg.Connection, response_id: UUID, campaign_id: UUID, r: SurveyResponse) -> None:
    await conn.execute("insert into survey_responses (id, campaign_id, organisation_id, municipality_oktmo, answers) "
                       "values ($1, $2, $3, $4, $5)", response_id, campaign_id, r.organisation_id,
                       r.municipality_oktmo, r.values)


async def responses(conn: asyncpg.Connection, campaign_id: UUID) -> list[SurveyResponse]:
    rows = await conn.fetch("select organisation_id, municipality_oktmo, answers from survey_responses "
                            "where campaign_id = $1", campaign_id)
    return [SurveyResponse(r["organisation_id"], r["municipality_oktmo"], r["answers"]) for r in rows]
