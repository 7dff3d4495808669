-- Flags of an organisation for a period (ШНОР and others). Rows are never deleted: clearing records the last
-- day in cleared_to and keeps the end the flag was set with (valid_to). Periods are inclusive at both ends.
create table organisation_flags (
    id              uuid primary key,
    organisation_id uuid not null references organisations (id),
    kind            text not null,
    valid_from      date not null,
    valid_to        date check (valid_to >= valid_from),
    cleared_to      date check (cleared_to >= valid_from),
    source          text not null check (length(source) between 1 and 1000),
    created_at      timestamptz not null default now(),
    cleared_at      timestamptz
);
create index organisation_flags_by_organisation on organisation_flags (organisation_id, valid_from);

-- Site statuses (инновационная, базовая, стажировочная, опорная площадка) for a term, by an order; kept the
-- same way: ending records the last day in ended_to beside the term granted (valid_to).
create table organisation_sites (
    id              uuid primary key,
    organisation_id uuid not null references organisations (id),
    kind            text not null,
    level           text,
    valid_from      date not null,
    valid_to        date check (valid_to >= valid_from),
    ended_to        date check (ended_to >= valid_from),
    topic           text check (length(topic) between 1 and 1000),
    order_number    text not null check (length(order_number) between 1 and 100),
    order_date      date not null,
    created_at      timestamptz not null default now(),
    ended_at        timestamptz
);
create index organisation_sites_by_organisation on organisation_sites (organisation_id, valid_from);

-- A branch or structural unit names its parent; a reorganised organisation (closed_on set) names its successor.
alter table organisations
    add column parent_id    uuid references organisations (id),
    add column successor_id uuid references organisations (id);
