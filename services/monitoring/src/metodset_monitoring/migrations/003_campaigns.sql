-- Data-collection campaigns: form definitions, campaigns with their respondents' submissions (one per
-- respondent), reminders sent (one per respondent per day), files attached to forms, anonymous survey responses.
create table campaign_forms (
    code        text primary key,
    title       text not null,
    fields      jsonb not null,              -- the typed field definitions (domain/forms.py)
    owner_oktmo text,                        -- null: the region's form; else a municipality's
    created_by  text not null,
    created_at  timestamptz not null default now()
);

create table campaigns (
    id           uuid primary key,
    code         text not null unique,
    title        text not null,
    form_code    text not null references campaign_forms (code),
    kind         text not null check (kind in ('report', 'survey')),
    period       text not null,              -- e.g. 2025/2026
    period_start date not null,
    deadline     date not null,
    owner_oktmo  text,                       -- null: the region's campaign; else a municipality's own
    remind_days  int not null default 3,
    min_group    int not null default 5,     -- surveys: smaller groups are never shown
    created_by   text not null,
    created_at   timestamptz not null default now()
);

create table campaign_submissions (
    id                 uuid primary key,
    campaign_id        uuid not null references campaigns (id),
    respondent         text not null,        -- the organisation id, or the ОКТМО of a municipality respondent
    organisation_id    uuid,
    municipality_oktmo text not null,
    status             text not null default 'draft',
    answers            jsonb not null default '{}'::jsonb,
    version            int not null default 1,
    approvals          int not null default 0,
    submitted_at       timestamptz,
    approved_at        timestamptz,
    return_comment     text,
    returned_by        text,
    updated_by         text,
    updated_at         timestamptz not null default now(),
    unique (campaign_id, respondent)
);
create index campaign_submissions_municipality on campaign_submissions (campaign_id, municipality_oktmo, id);
create index campaign_submissions_organisation on campaign_submissions (organisation_id) where organisation_id is not null;

create table campaign_reminders (
    submission_id uuid not null references campaign_submissions (id),
    day           date not null,
    reason        text not null,
    primary key (submission_id, day)
);

create table campaign_files (
    campaign_id uuid not null references campaigns (id),
    respondent  text not null,
    sha256      text not null,
    file_type   text not null,
    size_bytes  bigint not null,
    file_name   text,
    uploaded_by text not null,
    uploaded_at timestamptz not null default now(),
    primary key (campaign_id, respondent, sha256)
);

-- Anonymous: no person id, no one who answered; entered by the organisation for its staff.
create table survey_responses (
    id                 uuid primary key,
    campaign_id        uuid not null references campaigns (id),
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    answers            jsonb not null,
    entered_at         timestamptz not null default now()
);
create index survey_responses_campaign on survey_responses (campaign_id, municipality_oktmo, organisation_id);
