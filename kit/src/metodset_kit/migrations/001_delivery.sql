-- Transactional outbox: rows are written in the same transaction as the state change they describe.
create table outbox (
    seq             bigint generated always as identity primary key,
    event_id        uuid not null unique,
    event_type      text not null,
    topic           text not null,
    key             text not null,
    value           bytea not null,
    headers         jsonb not null default '{}'::jsonb,
    created_at      timestamptz not null default clock_timestamp(),
    sent_at         timestamptz,
    attempts        int not null default 0,
    last_error      text,
    next_attempt_at timestamptz not null default '-infinity'
);
create index outbox_unsent on outbox (seq) where sent_at is null;
create index outbox_unsent_by_key on outbox (key, seq) where sent_at is null;

create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('outbox', '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

-- Inbox: the events a consumer has applied, written in the same transaction as the projection.
create table inbox (
    consumer    text not null,
    event_id    uuid not null,
    received_at timestamptz not null default clock_timestamp(),
    primary key (consumer, event_id)
);

-- Who read which personal data, and when.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    subject     text not null,
    role        text not null,
    action      text not null,
    resource    text not null,
    resource_id text,
    trace_id    text
);
