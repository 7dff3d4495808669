-- Competitions of staff and students: stages of rising level, nominations with their rubric, jurors of a stage,
-- entries (a person or a team) with their members, scores per juror and criterion, results per entry.
-- Staff entrants and jurors are person ids of the registry projection; students are kept only as far as the
-- protocols need (name, grade, organisation), read within scope and audit-logged, never published.
create table competitions (
    id                 uuid primary key,
    title              text not null,
    kind               text not null check (kind in ('staff', 'student')),
    format             text not null check (format in ('professional_skill', 'competition', 'festival', 'conference')),
    year               int not null check (year between 2000 and 2100),
    municipality_oktmo text,                 -- a municipality's own competition; null: the region's
    aggregation        text not null check (aggregation in ('mean', 'sum')),
    award_rule         jsonb not null,       -- tiers (places or shares) and the statuses that advance
    created_by         text not null,
    created_at         timestamptz not null default now()
);
create index competitions_year on competitions (year, title, id);

create table competition_nominations (
    id             uuid primary key,
    competition_id uuid not null references competitions (id) on delete cascade,
    title          text not null,
    criteria       jsonb not null,           -- [{code, title, maxPoints}]
    created_at     timestamptz not null default now(),
    unique (competition_id, title)
);

create table competition_stages (
    id                 uuid primary key,
    competition_id     uuid not null references competitions (id) on delete cascade,
    level              text not null check (level in ('school', 'municipal', 'regional', 'federal')),
    municipality_oktmo text,
    starts_on          date,
    ends_on            date,
    status             text not null default 'open' check (status in ('open', 'published')),
    published_at       timestamptz,
    created_by         text not null,
    created_at         timestamptz not null default now()
);
create unique index competition_stages_one on competition_stages (competition_id, level, coalesce(municipality_oktmo, ''));

create table competition_jurors (
    stage_id   uuid not null references competition_stages (id) on delete cascade,
    person_id  uuid not null,
    added_by   text not null,
    added_at   timestamptz not null default now(),
    primary key (stage_id, person_id)
);

create table competition_entries (
    id                 uuid primary key,
    stage_id           uuid not null references competition_stages (id) on delete cascade,
    nomination_id      uuid not null references competition_nominations (id),
    organisation_id    uuid not null,
    municipality_oktmo text not null,        -- the organisation's, copied from the projection for scope
    title              text not null default '',  -- the work's title
    team_name          text,
    from_entry_id      uuid unique references competition_entries (id),  -- advanced from the previous stage
    score              numeric(10, 2),
    place              int,
    status             text check (status in ('winner', 'prize_winner', 'laureate', 'participant')),
    submitted_by       text not null,
    submitted_at       timestamptz not null default now()
);
create index competition_entries_stage on competition_entries (stage_id, nomination_id, id);
create index competition_entries_organisation on competition_entries (organisation_id);

create table competition_entry_members (
    entry_id        uuid not null references competition_entries (id) on delete cascade,
    position        int not null,
    organisation_id uuid not null,
    person_id       uuid,                    -- a staff person; null for a student
    last_name       text,                    -- a student's, as the protocol needs
    first_name      text,
    middle_name     text,
    grade           int check (grade between 1 and 11),
    primary key (entry_id, position),
    check ((person_id is null) = (last_name is not null and first_name is not null))
);
create index competition_entry_members_person on competition_entry_members (person_id) where person_id is not null;

create table competition_scores (
    entry_id   uuid not null references competition_entries (id) on delete cascade,
    juror_id   uuid not null,
    criterion  text not null,
    points     numeric(10, 2) not null check (points >= 0),
    scored_by  text not null,
    scored_at  timestamptz not null default now(),
    primary key (entry_id, juror_id, criterion)
);

-- entries' materials share the materials table (and its storage) with events, bodies and practices
alter table materials drop constraint materials_owner_kind_check;
alter table materials add constraint materials_owner_kind_check
    check (owner_kind in ('event', 'body', 'practice', 'entry'));
