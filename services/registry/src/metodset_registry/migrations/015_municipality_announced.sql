-- Municipalities are announced on registry.organisations.v1 (registry.municipality.registered): those created
-- before the event existed are announced once at the service's start.
alter table municipalities add column announced boolean not null default false;
