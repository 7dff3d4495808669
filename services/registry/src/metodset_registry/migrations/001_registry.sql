create table municipalities (
    oktmo      text primary key check (oktmo ~ '^\d{8}(\d{3})?$'),
    name       text not null check (length(name) between 1 and 300),
    created_at timestamptz not null default now()
);

create table organisations (
    id                 uuid primary key,
    name               text not null check (length(name) between 1 and 500),
    short_name         text check (length(short_name) <= 150),
    kind               text not null,
    municipality_oktmo text not null references municipalities (oktmo),
    inn                text not null check (inn ~ '^\d{10}$'),
    version            int not null default 1,
    closed_on          date,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index organisations_by_municipality on organisations (municipality_oktmo, name);
-- One active organisation per ИНН; a closed one may be succeeded by a new registration.
create unique index organisations_active_inn on organisations (inn) where closed_on is null;
