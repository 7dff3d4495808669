-- Professional growth: course records (КПК) and qualification categories with their history.
--
-- courses: one row per completed course of a person; the same course (person, normalised programme, end date,
-- certificate number) is recorded once, so an import run twice changes nothing. The course rule ("no
-- upgrade course ended within N years") reads courses_upgrades: one index probe per person of a list.
create table courses (
    id                       uuid primary key,
    person_id                uuid not null references persons (id),
    kind                     text not null check (kind in ('upgrade', 'retraining')),
    programme                text not null check (length(programme) between 1 and 500),
    programme_key            text not null,
    provider_organisation_id uuid references organisations (id),
    provider                 text check (length(provider) between 1 and 500),
    hours                    int not null check (hours between 1 and 10000),
    start_date               date not null,
    end_date                 date not null check (end_date >= start_date),
    format                   text check (format in ('full_time', 'mixed', 'part_time', 'distance')),
    certificate_number       text check (length(certificate_number) between 1 and 100),
    recorded_by              text not null,
    created_at               timestamptz not null default now(),
    check ((kind = 'upgrade' and hours >= 16) or (kind = 'retraining' and hours >= 250))
);
create unique index courses_same on courses (person_id, programme_key, end_date, lower(coalesce(certificate_number, '')));
create index courses_upgrades on courses (person_id, end_date) where kind = 'upgrade';
create index courses_by_person on courses (person_id, end_date desc, id);
-- The end of each person's last upgrade course, kept on write (courses only ever add): the course rule of a
-- list as of today is a comparison on the person's row; an earlier day falls back to courses_upgrades.
alter table persons add column last_upgrade_end date;

-- category_awards: every award of a qualification category; a new award supersedes the current one
-- (superseded_by), which stays as history. The attestation is due on the current award's expires_on.
create table category_awards (
    id            uuid primary key,
    person_id     uuid not null references persons (id),
    category      text not null,
    awarded_on    date not null,
    order_number  text check (length(order_number) between 1 and 100),
    expires_on    date check (expires_on > awarded_on),
    superseded_by uuid references category_awards (id) deferrable initially deferred,
    recorded_by   text not null,
    created_at    timestamptz not null default now()
);
create unique index category_awards_current on category_awards (person_id) where superseded_by is null;
create index category_awards_due on category_awards (expires_on, person_id) where superseded_by is null;
create index category_awards_history on category_awards (person_id, awarded_on desc);

-- The reference catalogue of qualification categories (metodset_contracts reference/categories.json).
insert into catalogue_items (catalogue, code, title, extra) values
    ('categories', 'none', 'без категории', '{"rank": 0}'),
    ('categories', 'compliance', 'соответствие занимаемой должности', '{"rank": 1, "valid_years": 5}'),
    ('categories', 'first', 'первая квалификационная категория', '{"rank": 2, "valid_years": 5}'),
    ('categories', 'highest', 'высшая квалификационная категория', '{"rank": 3, "valid_years": 5}'),
    ('categories', 'methodist', 'педагог-методист', '{"rank": 4, "valid_years": 5}'),
    ('categories', 'mentor', 'педагог-наставник', '{"rank": 4, "valid_years": 5}');
