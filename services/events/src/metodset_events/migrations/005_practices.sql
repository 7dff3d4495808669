-- The bank of practices and the materials of events, methodical bodies and practices. Authors are person ids
-- (names are resolved by the gateway); the organisation's municipality is copied from the registry
-- projection when the practice is written, for scope and filters.
create table practices (
    id                 uuid primary key,
    title              text not null,
    description        text not null default '',
    author_ids         uuid[] not null default '{}',
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    subject            text,                          -- code of the subjects catalogue
    level              text not null check (level in ('school', 'municipal', 'regional')),
    status             text not null default 'identified'
                       check (status in ('identified', 'studied', 'summarised', 'disseminated')),
    version            int not null default 1,
    created_by         text not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- full-text search in the Russian configuration: the title weighs more than the description
    search             tsvector generated always as (
                           setweight(to_tsvector('russian', title), 'A')
                           || setweight(to_tsvector('russian', description), 'B')) stored
);
create index practices_search on practices using gin (search);
create index practices_title on practices (title, id);
create index practices_municipality on practices (municipality_oktmo);
create index practices_subject on practices (subject);

create table practice_disseminations (
    practice_id uuid not null references practices (id) on delete cascade,
    event_id    uuid not null,
    added_by    text not null,
    added_at    timestamptz not null default now(),
    primary key (practice_id, event_id)
);

-- A material: a stored file (content addressed by sha256, type told by its content) or a link.
create table materials (
    id          uuid primary key,
    owner_kind  text not null check (owner_kind in ('event', 'body', 'practice')),
    owner_id    uuid not null,
    title       text not null,
    url         text check (url ~ '^https?://'),
    sha256      text check (sha256 ~ '^[0-9a-f]{64}$'),
    file_type   text,                                 -- pdf, docx, xlsx, pptx, jpg, png, mp4
    file_name   text,
    size_bytes  bigint,
    added_by    text not null,
    added_at    timestamptz not null default now(),
    check ((url is null) <> (sha256 is null))
);
create index materials_owner on materials (owner_kind, owner_id, added_at, id);
