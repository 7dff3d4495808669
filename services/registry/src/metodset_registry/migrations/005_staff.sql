-- Reference catalogues (positions, subjects, kinds of bodies) as data a region extends. The items of
-- metodset_contracts.reference are inserted at startup, idempotently (a new code in a new release of the
-- contracts reaches the database without a migration); the regional coordinator adds the region's own items
-- (origin 'region'). Codes are stable and go on topics; titles are what people see.
create table catalogue_items (
    catalogue  text not null check (catalogue ~ '^[a-z_]{1,40}$'),
    code       text not null check (code ~ '^[a-z0-9_]{1,64}$'),
    title      text not null check (length(title) between 1 and 300),
    extra      jsonb not null default '{}',
    origin     text not null default 'reference' check (origin in ('reference', 'region')),
    added_by   text,
    created_at timestamptz not null default now(),
    primary key (catalogue, code)
);
create unique index catalogue_items_title on catalogue_items (catalogue, lower(title));

-- A person of the pedagogical staff. Personal data: read only through the service's scope rules, every read
-- audited, never on a topic. name_key is the normalised full name (case, ё→е, spaces) used for matching and
-- for ordering lists; registered_municipality keeps who may see a person that has no employment yet.
create table persons (
    id                                 uuid primary key,
    version                            int not null default 1,
    last_name                          text not null check (length(last_name) between 1 and 100),
    first_name                         text not null check (length(first_name) between 1 and 100),
    middle_name                        text check (length(middle_name) between 1 and 100),
    birth_date                         date not null,
    snils                              text check (snils ~ '^[0-9]{11}$'),
    phone                              text check (length(phone) between 1 and 40),
    email                              text check (length(email) between 1 and 254),
    -- experience declared for the time before the platform: days of work (total, pedagogical) up to a date
    experience_before_days             int check (experience_before_days >= 0),
    experience_before_pedagogical_days int check (experience_before_pedagogical_days >= 0),
    experience_before_on               date,
    name_key                           text not null,
    registered_municipality            text references municipalities (oktmo),
    registered_by                      text not null,
    created_at                         timestamptz not null default now(),
    updated_at                         timestamptz not null default now()
);
create unique index persons_snils on persons (snils) where snils is not null;
create index persons_by_name on persons (name_key, birth_date);
create index persons_by_registered_municipality on persons (registered_municipality, name_key, id);

-- Every version of a person (nothing is overwritten), as organisation_versions: valid_to is null only on the
-- current version.
create table person_versions (
    person_id                          uuid not null references persons (id),
    version                            int not null,
    valid_from                         timestamptz not null default now(),
    valid_to                           timestamptz check (valid_to >= valid_from),
    changed_by                         text not null,
    last_name                          text not null,
    first_name                         text not null,
    middle_name                        text,
    birth_date                         date not null,
    snils                              text,
    phone                              text,
    email                              text,
    experience_before_days             int,
    experience_before_pedagogical_days int,
    experience_before_on               date,
    primary key (person_id, version)
);
create unique index person_versions_current on person_versions (person_id) where valid_to is null;

-- An employment of a person in an organisation from start_date to end_date (inclusive; null: still employed).
-- Its state over time (position, subjects, rate, main or secondary) is in employment_terms: a transfer closes
-- the term in effect (valid_to, the day before the transfer) and opens the next; dismissal sets end_date.
create table employments (
    id              uuid primary key,
    person_id       uuid not null references persons (id),
    organisation_id uuid not null references organisations (id),
    start_date      date not null,
    end_date        date check (end_date >= start_date),
    version         int not null default 1,
    created_by      text not null,
    ended_by        text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index employments_by_person on employments (person_id, start_date);
create index employments_by_organisation on employments (organisation_id, start_date, end_date, person_id);

create table employment_terms (
    employment_id uuid not null references employments (id),
    valid_from    date not null,
    valid_to      date check (valid_to >= valid_from),
    position      text not null,
    subjects      text[] not null default '{}',
    rate          numeric(4, 2) not null check (rate between 0.05 and 2.00),
    main          boolean not null,
    recorded_by   text not null,
    recorded_at   timestamptz not null default now(),
    primary key (employment_id, valid_from)
);
create index employment_terms_by_position on employment_terms (position, employment_id);
create index employment_terms_by_subject on employment_terms using gin (subjects);
