-- Annual work plans (an organisation's items by direction and month for an academic year) and support
-- requests with their consultations. Organisations and their municipalities come from the projection of
-- the registry (registry_organisations, migration 002); persons are ids only.
create table work_plans (
    id                 uuid primary key,
    organisation_id    uuid not null,
    municipality_oktmo text not null,         -- the organisation's, when the plan was created
    year               int not null,          -- academic year by its start: 2026 is 2026/2027
    approved_on        date,
    created_by         text not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (organisation_id, year)
);
create index work_plans_municipality on work_plans (municipality_oktmo, year);

create table work_plan_items (
    id              uuid primary key,
    plan_id         uuid not null references work_plans (id) on delete cascade,
    position        int not null,
    direction       text not null,            -- code of the plan_directions catalogue
    months          date[] not null,          -- first days of the months
    title           text not null,
    responsible_id  uuid,                     -- a person id
    expected_result text,
    event_ids       uuid[] not null default '{}',  -- linked methodical events
    status          text not null default 'planned'
                    check (status in ('planned', 'done', 'moved', 'cancelled')),
    moved_to        date,
    note            text,
    updated_by      text not null,
    updated_at      timestamptz not null default now()
);
create index work_plan_items_plan on work_plan_items (plan_id, position);

create table support_requests (
    id                 uuid primary key,
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    topic              text not null,
    asked              text not null,
    subject            text,                  -- code of the subjects catalogue
    status             text not null default 'declared' check (status in ('declared', 'assigned', 'closed')),
    declared_at        timestamptz not null,
    methodist_id       uuid,
    assigned_at        timestamptz,
    first_consulted_at timestamptz,
    closed_at          timestamptz,
    outcome            text,
    outcome_text       text,
    rating             int check (rating between 1 and 5),
    declared_by        text not null,
    updated_at         timestamptz not null default now()
);
create index support_requests_municipality on support_requests (municipality_oktmo, id);
create index support_requests_organisation on support_requests (organisation_id, id);

create table consultations (
    id           uuid primary key,
    request_id   uuid not null references support_requests (id) on delete cascade,
    form         text not null check (form in ('individual', 'group', 'parents')),
    held_on      date not null,
    minutes      int not null check (minutes > 0),
    participants int not null check (participants > 0),
    notes        text,
    methodist_id uuid,
    recorded_by  text not null,
    recorded_at  timestamptz not null default now()
);
create index consultations_request on consultations (request_id, held_on);
