-- Private calendar feeds: one long random token per person, kept as its SHA-256 digest, rotatable.
create table calendar_tokens (
    person_id text primary key,
    token_digest bytea not null unique,
    rotated_at timestamptz not null default now(),
    rotated_by text not null
);

-- Feedback on an event: one answer per participant (recorded on their behalf by their manager), changeable.
create table event_feedback (
    event_id text not null,
    person_id text not null,
    rating smallint not null check (rating between 1 and 5),
    comment text not null default '',
    recorded_by text not null,
    recorded_at timestamptz not null default now(),
    primary key (event_id, person_id)
);
