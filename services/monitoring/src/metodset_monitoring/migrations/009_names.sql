-- Names for reports: organisations' (public directory data, from their registration and updates) and
-- municipalities' (registry.municipality.registered).
alter table organisation_facts add column name text;
create table municipality_names (
    oktmo text primary key,
    name text not null,
    updated_at timestamptz not null default now()
);
