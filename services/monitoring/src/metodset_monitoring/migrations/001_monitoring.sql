-- Monitoring's own projection of the registry's organisations, fed by registry.organisations.v1.
create table organisation_facts (
    organisation_id    uuid primary key,
    municipality_oktmo text not null,
    kind               text not null,
    active             boolean not null,
    version            int not null,
    updated_at         timestamptz not null default now()
);
create index organisation_facts_active on organisation_facts (municipality_oktmo, kind) where active;
