-- Municipalities' names from registry.municipality.registered: diplomas name the municipal stage's organiser.
create table registry_municipalities (
    oktmo text primary key,
    name text not null,
    updated_at timestamptz not null default now()
);
