-- The earliest day a consumer batch changed facts of a kind (a fact's start or end, before or after the
-- change): only the periods ending on or after it are recomputed for indicators bounded by dates.
alter table facts_dirty add column since date not null default '-infinity';
-- what a formula's `exists` looks up per person: its kind, the person and the day
create index facts_person_day on facts (kind, person_id, valid_from) where person_id is not null;
