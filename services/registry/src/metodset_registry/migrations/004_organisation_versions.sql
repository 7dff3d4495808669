-- Every version of an organisation, so that nothing is overwritten and the register can be read as of a date.
-- A change closes the open row (valid_to) and opens the next one in the same transaction; valid_to is null
-- only on the current version. The columns of the organisation are those of `organisations`.
create table organisation_versions (
    organisation_id    uuid not null references organisations (id),
    version            int not null,
    valid_from         timestamptz not null default now(),
    valid_to           timestamptz check (valid_to >= valid_from),
    name               text not null check (length(name) between 1 and 500),
    short_name         text check (length(short_name) <= 150),
    kind               text not null,
    municipality_oktmo text not null references municipalities (oktmo),
    inn                text not null,
    closed_on          date,
    ogrn               text,
    address            text,
    phone              text,
    email              text,
    website            text,
    parent_id          uuid,
    successor_id       uuid,
    primary key (organisation_id, version)
);
create unique index organisation_versions_current on organisation_versions (organisation_id) where valid_to is null;
create index organisation_versions_by_municipality on organisation_versions (municipality_oktmo, name, organisation_id);

-- What was there before this migration is known only as it stands now: it is dated from its registration.
insert into organisation_versions (organisation_id, version, valid_from, name, short_name, kind, municipality_oktmo,
                                   inn, closed_on, ogrn, address, phone, email, website, parent_id, successor_id)
select id, version, created_at, name, short_name, kind, municipality_oktmo, inn, closed_on, ogrn, address, phone,
       email, website, parent_id, successor_id
  from organisations;
