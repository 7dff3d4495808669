-- Every fact monitoring computes indicators from: one row per source record, filled by projections of the
-- other services' topics (and by approved campaign forms), rebuilt by a replay. Names never: identifiers,
-- codes, dates and numbers only.
create table facts (
    kind               text not null,            -- employment, course, category, mentoring, registration, campaign, ...
    record_id          text not null,            -- the source record (uuid as text, or a composite key)
    organisation_id    uuid,
    municipality_oktmo text,
    person_id          uuid,                     -- whom the fact is about (an identifier, never a name)
    valid_from         date,                     -- when it happened or began
    valid_to           date,                     -- when it ended (inclusive); null while it lasts
    value              numeric,                  -- a measure: hours, a score, a rating, a campaign value
    attrs              jsonb not null default '{}'::jsonb,  -- filterable attributes (position, status, stage, ...)
    version            bigint not null default 0,  -- source order: a fact is replaced only by a newer version
    updated_at         timestamptz not null default now(),
    primary key (kind, record_id)
);
create index facts_municipality on facts (kind, municipality_oktmo);
create index facts_organisation on facts (kind, organisation_id);
create index facts_person on facts (kind, person_id) where person_id is not null;
