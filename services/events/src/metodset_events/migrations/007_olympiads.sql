-- The All-Russian school olympiad: stages per academic year, subject and level with their grades (maximum and
-- passing scores), the participants (pupils: the most protected data here — names and the grade they study
-- in, only as the protocols need them, read under audit), results with scores per task and computed
-- statuses, appeals with their history, frozen published protocol versions, and the admission lists.

-- Organisations in the olympiad's protocols are named by their ИНН: the projection keeps it.
alter table registry_organisations add column inn text;
create index registry_organisations_inn on registry_organisations (inn);

create table olympiad_stages (
    id                 uuid primary key,
    year               int not null check (year between 2000 and 2100),  -- academic year by its first year
    subject            text not null,                                   -- code of the subjects catalogue
    level              text not null check (level in ('school', 'municipal', 'regional', 'final')),
    municipality_oktmo text,                                            -- school and municipal stages
    starts_on          date,
    ends_on            date,
    venue              text not null default '',
    rule               jsonb not null,                                  -- winners and prize-winners (domain)
    protocol_version   int not null default 0,                          -- the last published, 0: none yet
    changed_since_publication boolean not null default false,
    version            int not null default 1,
    created_by         text not null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check ((level in ('school', 'municipal')) = (municipality_oktmo is not null))
);
create unique index olympiad_stages_one on olympiad_stages (year, subject, level, coalesce(municipality_oktmo, ''));

create table olympiad_stage_grades (
    stage_id      uuid not null references olympiad_stages (id) on delete cascade,
    grade         int not null check (grade between 1 and 11),
    max_score     numeric(8, 2) not null check (max_score > 0),
    passing_score numeric(8, 2) check (passing_score >= 0 and passing_score <= max_score),
    primary key (stage_id, grade)
);

-- A pupil by the region's participant code, stable across stages and years (last year's winners are found
-- by it). The latest protocol that named them sets the organisation and the grade they study in.
create table olympiad_students (
    code               text primary key,
    last_name          text not null,
    first_name         text not null,
    patronymic         text not null default '',
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    study_grade        int not null check (study_grade between 1 and 11),
    study_year         int not null,
    updated_at         timestamptz not null default now()
);

create table olympiad_results (
    stage_id           uuid not null references olympiad_stages (id) on delete cascade,
    code               text not null references olympiad_students (code),
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    study_grade        int not null,
    grade              int not null,            -- participation grade: the study grade or a higher one
    ranking_group      text not null default '',
    score              numeric(8, 2),           -- null: admitted, no result yet
    tasks              numeric(8, 2)[] not null default '{}',
    status             text not null default 'participant' check (status in ('winner', 'prize_winner', 'participant')),
    updated_at         timestamptz not null default now(),
    primary key (stage_id, code),
    foreign key (stage_id, grade) references olympiad_stage_grades (stage_id, grade)
);
create index olympiad_results_page on olympiad_results (stage_id, grade, code);
create index olympiad_results_rating on olympiad_results (stage_id, grade, ranking_group, score desc);
create index olympiad_results_code on olympiad_results (code);

create table olympiad_appeals (
    id               bigserial primary key,
    stage_id         uuid not null references olympiad_stages (id) on delete cascade,
    code             text not null,
    grade            int not null,
    previous_score   numeric(8, 2),
    score            numeric(8, 2) not null,
    previous_status  text not null,
    status           text not null,
    reason           text not null,
    after_version    int not null,            -- the protocol version published when it was resolved (0: none)
    resolved_by      text not null,
    resolved_at      timestamptz not null default now()
);
create index olympiad_appeals_stage on olympiad_appeals (stage_id, code, id);

-- A published protocol version: a frozen copy of every row as published.
create table olympiad_protocols (
    stage_id      uuid not null references olympiad_stages (id) on delete cascade,
    version       int not null,
    published_by  text not null,
    published_at  timestamptz not null default now(),
    participants  int not null,
    primary key (stage_id, version)
);
create table olympiad_protocol_rows (
    stage_id        uuid not null,
    version         int not null,
    code            text not null,
    organisation_id uuid not null,
    grade           int not null,
    ranking_group   text not null,
    score           numeric(8, 2),
    status          text not null,
    primary key (stage_id, version, code),
    foreign key (stage_id, version) references olympiad_protocols (stage_id, version) on delete cascade
);

-- The admission list of a stage to the next one (recomputed on every change of scores or passing scores):
-- by the passing score of the participation grade, or as last year's winner or prize-winner of the next stage.
create table olympiad_admissions (
    stage_id           uuid not null references olympiad_stages (id) on delete cascade,
    code               text not null,
    grade              int not null,
    score              numeric(8, 2),
    reason             text not null check (reason in ('passing_score', 'last_year_status')),
    organisation_id    uuid not null,
    municipality_oktmo text not null,
    primary key (stage_id, code)
);
create index olympiad_admissions_page on olympiad_admissions (stage_id, grade, code);
