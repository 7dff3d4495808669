-- Mentoring (наставничество): a mentor and their mentees, in a pair or a group, for a period. The forms are the
-- reference catalogue mentoring_forms (metodset_contracts.reference), seeded here like migration 008 seeds the
-- others. A mentoring is active from start_date while end_date is null; ending it sets the last day, the
-- status (completed, terminated) and the outcome. organisation_id / municipality_oktmo decide who sees it
-- (the scope rules of the staff register).
insert into catalogue_items (catalogue, code, title, extra) values
    ('mentoring_forms', 'teacher_teacher', 'педагог — педагог', '{"kind": "pair"}'),
    ('mentoring_forms', 'experienced_young', 'опытный педагог — молодой специалист', '{"kind": "pair"}'),
    ('mentoring_forms', 'experienced_struggling', 'опытный педагог — педагог, испытывающий профессиональные затруднения', '{"kind": "pair"}'),
    ('mentoring_forms', 'head_teacher', 'руководитель образовательной организации — педагог', '{"kind": "pair"}'),
    ('mentoring_forms', 'reverse', 'реверсивное наставничество', '{"kind": "pair"}'),
    ('mentoring_forms', 'group', 'групповое наставничество', '{"kind": "group"}')
on conflict do nothing;

create table mentorings (
    id                 uuid primary key,
    mentor_id          uuid not null references persons (id),
    form               text not null,
    programme          text check (length(programme) between 1 and 500),
    organisation_id    uuid references organisations (id),
    municipality_oktmo text not null references municipalities (oktmo),
    start_date         date not null,
    end_date           date check (end_date >= start_date),
    status             text not null default 'active' check (status in ('active', 'completed', 'terminated')),
    outcome_code       text,
    outcome            text check (length(outcome) between 1 and 2000),
    version            int not null default 1,
    created_by         text not null,
    ended_by           text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check ((status = 'active') = (end_date is null)),
    check ((status = 'active') = (outcome_code is null))
);
create index mentorings_by_mentor on mentorings (mentor_id, start_date);
create index mentorings_by_place on mentorings (municipality_oktmo, organisation_id, start_date, id);

create table mentoring_mentees (
    mentoring_id uuid not null references mentorings (id),
    person_id    uuid not null references persons (id),
    primary key (mentoring_id, person_id)
);
create index mentoring_mentees_by_person on mentoring_mentees (person_id, mentoring_id);
