-- Deficit diagnostics and individual educational routes (ИОМ), issue 7 items 3 and 4. Personal data: read only
-- through the staff scope rules (domain/staff_access.py), every read audited, only codes and dates on topics.

-- An instrument as data: areas (codes, Russian titles, keywords of matching topics), levels of deficit and
-- per-area thresholds (domain/diagnostics.py reads `definition`). The regional coordinator adds instruments;
-- the reference one (metodset_contracts.reference.diagnostic_instruments) is seeded below, and a test
-- compares the seed with the JSON file.
create table diagnostic_instruments (
    code       text primary key check (code ~ '^[a-z0-9_]{1,64}$'),
    name       text not null check (length(name) between 1 and 300),
    definition jsonb not null,
    origin     text not null default 'region' check (origin in ('reference', 'region')),
    added_by   text,
    created_at timestamptz not null default now()
);
create unique index diagnostic_instruments_name on diagnostic_instruments (lower(name));

insert into diagnostic_instruments (code, name, definition, origin) values
    ('prof_deficits', 'Диагностика профессиональных дефицитов педагогов', '{"code": "prof_deficits", "name": "Диагностика профессиональных дефицитов педагогов", "maxScore": 100.0, "levels": [{"code": "critical", "title": "критический дефицит"}, {"code": "significant", "title": "выраженный дефицит"}, {"code": "moderate", "title": "умеренный дефицит"}], "areas": [{"code": "subject_knowledge", "title": "Предметные знания", "thresholds": [{"below": 40.0, "level": "critical"}, {"below": 55.0, "level": "significant"}, {"below": 70.0, "level": "moderate"}], "keywords": ["предметн", "содержани"]}, {"code": "methodical", "title": "Методические компетенции", "thresholds": [{"below": 40.0, "level": "critical"}, {"below": 55.0, "level": "significant"}, {"below": 70.0, "level": "moderate"}], "keywords": ["методическ", "методик", "урок"]}, {"code": "psychological_pedagogical", "title": "Психолого-педагогические компетенции", "thresholds": [{"below": 35.0, "level": "critical"}, {"below": 50.0, "level": "significant"}, {"below": 65.0, "level": "moderate"}], "keywords": ["психолог", "инклюзи", "ОВЗ"]}, {"code": "digital", "title": "Цифровые компетенции", "thresholds": [{"below": 30.0, "level": "critical"}, {"below": 45.0, "level": "significant"}, {"below": 60.0, "level": "moderate"}], "keywords": ["цифров", "ИКТ", "информационн", "дистанционн"]}, {"code": "functional_literacy", "title": "Формирование функциональной грамотности", "thresholds": [{"below": 35.0, "level": "critical"}, {"below": 50.0, "level": "significant"}, {"below": 65.0, "level": "moderate"}], "keywords": ["функциональн", "грамотност"]}, {"code": "upbringing", "title": "Воспитательная работа", "thresholds": [{"below": 35.0, "level": "critical"}, {"below": 50.0, "level": "significant"}, {"below": 65.0, "level": "moderate"}], "keywords": ["воспитан", "классн"]}]}', 'reference');

-- A result per person, instrument and day (a re-upload of the same file finds it): the score per area and the
-- deficits derived from the instrument's thresholds when it was recorded.
create table diagnostic_results (
    id          uuid primary key,
    person_id   uuid not null references persons (id),
    instrument  text not null references diagnostic_instruments (code),
    taken_on    date not null,
    scores      jsonb not null,
    deficits    jsonb not null,
    source      text not null check (source in ('manual', 'import')),
    recorded_by text not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (person_id, instrument, taken_on)
);
create index diagnostic_results_by_person on diagnostic_results (person_id, taken_on);

-- A route: the deficits it was built on (areas) and the result they came from; closing records the outcome,
-- the re-diagnosis and the change of the score per area. At most one open route per person; closed ones stay.
create table routes (
    id                    uuid primary key,
    person_id             uuid not null references persons (id),
    version               int not null default 1,
    opened_on             date not null,
    base_result_id        uuid not null references diagnostic_results (id),
    areas                 jsonb not null,
    closed_on             date check (closed_on >= opened_on),
    outcome               text check (outcome in ('deficits_closed', 'partially_closed', 'not_closed',
                                                  'not_rediagnosed')),
    deltas                jsonb not null default '{}',
    rediagnosed_result_id uuid references diagnostic_results (id),
    note                  text check (length(note) between 1 and 2000),
    opened_by             text not null,
    closed_by             text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    check ((closed_on is null) = (outcome is null))
);
create unique index routes_one_open on routes (person_id) where closed_on is null;
create index routes_by_person on routes (person_id, opened_on);

create table route_items (
    id           uuid primary key,
    route_id     uuid not null references routes (id),
    position     int not null,
    kind         text not null check (kind in ('course', 'event', 'mentoring', 'internship', 'self_study')),
    area         text not null,
    title        text not null check (length(title) between 1 and 500),
    due_date     date,
    status       text not null check (status in ('planned', 'in_progress', 'done', 'cancelled')),
    ref          text check (length(ref) between 1 and 200),
    completed_on date,
    by_fact      boolean not null default false,
    added_by     text not null,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (route_id, position)
);
