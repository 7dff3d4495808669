-- The events service's own projection of the registry (registry.organisations.v1, registry.staff.v1,
-- registry.bodies.v1): what it needs to scope, check audiences and name organisers, without calling the
-- registry per write. Identifiers and codes only; no names of persons. Applied by aggregate version.
create table registry_organisations (
    organisation_id    uuid primary key,
    municipality_oktmo text not null,
    kind               text not null,
    name               text,                    -- null until a registration or update event has been seen
    active             boolean not null,
    version            int not null,
    updated_at         timestamptz not null default now()
);
create index registry_organisations_municipality on registry_organisations (municipality_oktmo) where active;

create table registry_persons (
    person_id               uuid primary key,
    registered_municipality text,           -- the municipality that registered the person, if any
    version                 int not null,
    updated_at              timestamptz not null default now()
);

create table registry_employments (
    employment_id      uuid primary key,
    person_id          uuid not null,
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    position           text not null,       -- code of the positions catalogue
    subjects           text[] not null default '{}',
    main               boolean not null default true,
    start_date         date not null,
    end_date           date,                -- last working day (inclusive) or null
    version            int not null,
    updated_at         timestamptz not null default now()
);
create index registry_employments_person on registry_employments (person_id);
create index registry_employments_organisation on registry_employments (organisation_id);
create index registry_employments_municipality on registry_employments (municipality_oktmo);

create table registry_bodies (
    body_id            uuid primary key,
    kind               text not null,       -- code of the body_kinds catalogue
    level              text not null,       -- regional, municipal, organisation
    municipality_oktmo text,
    organisation_id    uuid,
    name               text,                -- null until the creation event has been seen
    subject            text,
    active             boolean not null default true,
    closed_on          date,
    updated_at         timestamptz not null default now()
);
create index registry_bodies_municipality on registry_bodies (municipality_oktmo);
