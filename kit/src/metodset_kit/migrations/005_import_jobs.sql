-- Import jobs of the shared import mechanism (kit/tabular): every service that imports keeps its own.
create table import_jobs (
    id uuid primary key,
    kind text not null,
    mode text not null check (mode in ('ALL_OR_NOTHING', 'VALID_ROWS')),
    status text not null default 'QUEUED' check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total int not null default 0,
    done int not null default 0,
    created int not null default 0,
    updated int not null default 0,
    unchanged int not null default 0,
    errors jsonb not null default '[]',
    warnings jsonb not null default '[]',
    failure text,
    file_name text,
    file bytea not null,
    subject text not null,
    role text not null,
    municipality text,
    organisation text,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
);
create index import_jobs_by_subject on import_jobs (subject, created_at desc);
create index import_jobs_unfinished on import_jobs (status) where status in ('QUEUED', 'RUNNING');
