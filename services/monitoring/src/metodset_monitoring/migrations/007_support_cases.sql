-- Support cases of low-result schools (ШНОР): one per low_results flag of the registry, with a curator, a plan,
-- recorded visits; consultations of the events service are kept per organisation (ids and dates only) and fall
-- into a case's timeline by date, whatever order the topics deliver them in.
create table support_cases (
    id                 uuid primary key,
    flag_id            uuid not null unique,
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    opened_on          date not null,
    status             text not null default 'opened',
    curator_id         uuid,
    closed_on          date,
    outcome            text,
    outcome_text       text,
    flag_cleared_on    date,
    updated_at         timestamptz not null default now()
);
create index support_cases_municipality on support_cases (municipality_oktmo, status);
create index support_cases_organisation on support_cases (organisation_id);

create table support_plan_items (
    id         uuid primary key,
    case_id    uuid not null references support_cases (id),
    title      text not null,
    starts_on  date,
    due_on     date not null,
    status     text not null default 'planned',
    done_on    date,
    notes      text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index support_plan_items_case on support_plan_items (case_id, due_on);

create table support_visits (
    id           uuid primary key,
    case_id      uuid not null references support_cases (id),
    visited_on   date not null,
    methodist_id uuid,
    purpose      text not null,
    notes        text,
    recorded_by  text not null,
    recorded_at  timestamptz not null default now()
);
create index support_visits_case on support_visits (case_id, visited_on);

-- events.requests.v1 consultations of organisations' support requests (identifiers, dates and minutes only).
create table organisation_consultations (
    consultation_id uuid primary key,
    request_id      uuid not null,
    organisation_id uuid not null,
    held_on         date not null,
    minutes         int not null
);
create index organisation_consultations_organisation on organisation_consultations (organisation_id, held_on);
-- who the methodist of a request is (assigned after, or before, its consultations arrive)
create table request_methodists (
    request_id   uuid primary key,
    methodist_id uuid not null
);
