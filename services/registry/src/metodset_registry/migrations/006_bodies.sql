-- Methodical bodies: councils, associations (УМО, РМО/ГМО, ШМО, кафедры), professional communities, councils of
-- young teachers, temporary working groups. A body belongs to the region, a municipality or an organisation
-- (level); it works from created_on to closed_on (its last day). Rows are never deleted.
create table bodies (
    id                 uuid primary key,
    name               text not null check (length(name) between 1 and 500),
    kind               text not null check (kind ~ '^[a-z0-9_]{1,64}$'),
    level              text not null check (level in ('regional', 'municipal', 'organisation')),
    municipality_oktmo text references municipalities (oktmo),
    organisation_id    uuid references organisations (id),
    subject            text check (subject ~ '^[a-z0-9_]{1,64}$'),
    goal               text check (length(goal) between 1 and 2000),
    term_start         date,
    term_end           date check (term_end >= term_start),
    created_on         date not null,
    closed_on          date check (closed_on >= created_on),
    created_by         text not null,
    created_at         timestamptz not null default now(),
    closed_at          timestamptz,
    check ((level = 'regional' and municipality_oktmo is null and organisation_id is null)
        or (level = 'municipal' and municipality_oktmo is not null and organisation_id is null)
        or (level = 'organisation' and organisation_id is not null and municipality_oktmo is null))
);
create index bodies_by_name on bodies (name, id);
create index bodies_by_municipality on bodies (municipality_oktmo, name, id) where municipality_oktmo is not null;
create index bodies_by_organisation on bodies (organisation_id, name, id) where organisation_id is not null;
-- One working body of a kind with a name (and subject) per owner: what an import matches a row by.
create unique index bodies_natural on bodies (level, coalesce(municipality_oktmo, ''),
    coalesce(organisation_id::text, ''), kind, lower(name), coalesce(subject, '')) where closed_on is null;

-- A person's membership in a body with a role from valid_from to valid_to (inclusive; null — until further
-- notice). Leaving records the last day in valid_to; a change of role is a new membership.
create table body_members (
    id         uuid primary key,
    body_id    uuid not null references bodies (id),
    person_id  uuid not null references persons (id),
    role       text not null check (role in ('chair', 'deputy', 'secretary', 'member')),
    valid_from date not null,
    valid_to   date check (valid_to >= valid_from),
    added_by   text not null,
    created_at timestamptz not null default now(),
    ended_at   timestamptz
);
create index body_members_by_body on body_members (body_id, valid_from);
create index body_members_by_person on body_members (person_id);

-- A composition approved by an order for an academic year: who with which role, as approved.
create table body_compositions (
    id            uuid primary key,
    body_id       uuid not null references bodies (id),
    order_number  text not null check (length(order_number) between 1 and 100),
    order_date    date not null,
    academic_year text not null check (academic_year ~ '^[0-9]{4}/[0-9]{4}$'),
    seq           bigint generated always as identity,
    approved_by   text not null,
    created_at    timestamptz not null default now(),
    unique (body_id, order_number, order_date)
);
create index body_compositions_by_body on body_compositions (body_id, order_date, seq);

create table body_composition_members (
    composition_id uuid not null references body_compositions (id),
    person_id      uuid not null references persons (id),
    role           text not null check (role in ('chair', 'deputy', 'secretary', 'member')),
    position       int not null,
    primary key (composition_id, person_id)
);
