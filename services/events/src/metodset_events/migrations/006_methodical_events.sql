-- Methodical events: the event, its sessions, quotas, registrations (with the waiting list), attendance and
-- the notices sent to the registered. Persons are ids; their names stay in the registry.
create table methodical_events (
    id                        uuid primary key,
    form                      text not null,                 -- code of the event_forms catalogue
    title                     text not null,
    topic                     text,
    level                     text not null check (level in ('school', 'municipal', 'regional', 'federal')),
    organiser_organisation_id uuid,
    organiser_body_id         uuid,
    municipality_oktmo        text,                          -- the organiser's municipality (null: the region's)
    audience_positions        text[] not null default '{}',
    audience_subjects         text[] not null default '{}',
    audience_municipalities   text[] not null default '{}',
    format                    text not null check (format in ('in_person', 'online', 'hybrid')),
    place                     text,
    capacity                  int not null check (capacity > 0),
    registration_opens        timestamptz not null,
    registration_closes       timestamptz not null,
    requires_approval         boolean not null default false,
    attendance_percent        int not null default 75 check (attendance_percent between 1 and 100),
    status                    text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
    starts_at                 timestamptz not null,           -- first session's start
    ends_at                   timestamptz not null,           -- last session's end
    starts_key                text not null,                  -- starts_at as ISO text, the list's sort key
    hours                     int not null,                   -- the programme's hours: sum of the sessions'
    completed_at              timestamptz,                    -- completion evaluated (after the last session)
    version                   int not null default 1,
    created_by                text not null,
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now(),
    check ((organiser_organisation_id is null) <> (organiser_body_id is null))
);
create index methodical_events_order on methodical_events (starts_key, id);
create index methodical_events_municipality on methodical_events (municipality_oktmo, starts_at);
create index methodical_events_organisation on methodical_events (organiser_organisation_id);
create index methodical_events_body on methodical_events (organiser_body_id);

create table event_sessions (
    id            uuid primary key,
    event_id      uuid not null references methodical_events (id) on delete cascade,
    position      int not null,
    starts_at     timestamptz not null,
    ends_at       timestamptz not null,
    hours         int not null check (hours > 0),
    check_in_code text not null,
    unique (event_id, position)
);

create table event_quotas (
    event_id           uuid not null references methodical_events (id) on delete cascade,
    municipality_oktmo text not null,
    places             int not null check (places > 0),
    primary key (event_id, municipality_oktmo)
);

create sequence event_registration_arrival;

create table event_registrations (
    id                 uuid primary key,
    event_id           uuid not null references methodical_events (id) on delete cascade,
    person_id          uuid not null,
    municipality_oktmo text,                                -- of the employment the person came with
    organisation_id    uuid,
    status             text not null check (status in ('pending', 'confirmed', 'waitlisted', 'cancelled')),
    arrival            bigint not null,                      -- arrival order: the waiting list's order
    registered_by      text not null,
    registered_at      timestamptz not null default now(),
    changed_at         timestamptz not null default now(),
    hours              int not null default 0,               -- credited from attended sessions
    completed_at       timestamptz,                          -- met the attendance rule
    unique (event_id, person_id)
);
create index event_registrations_waiting on event_registrations (event_id, arrival) where status = 'waitlisted';
create index event_registrations_person on event_registrations (person_id);

create table event_attendance (
    session_id uuid not null references event_sessions (id) on delete cascade,
    person_id  uuid not null,
    event_id   uuid not null references methodical_events (id) on delete cascade,
    method     text not null check (method in ('list', 'check_in')),
    marked_by  text not null,
    marked_at  timestamptz not null default now(),
    primary key (session_id, person_id)
);
create index event_attendance_event on event_attendance (event_id, person_id);

create table event_notices (
    id              bigserial primary key,
    registration_id uuid not null references event_registrations (id) on delete cascade,
    event_id        uuid not null,
    person_id       uuid not null,
    kind            text not null check (kind in ('changed', 'cancelled', 'promoted')),
    message         text not null,
    created_at      timestamptz not null default now()
);
create index event_notices_person on event_notices (person_id, id);
