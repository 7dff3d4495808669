-- organisation_facts becomes a view over the facts of kind 'organisation': the facts projection writes those
-- rows from the same events anyway, so every organisation event cost a second row and two more index entries.
-- The organisation's name (public directory data, never a person's) joins the row's attrs; a closing carries
-- none and the attrs merge keeps the name known.
update facts f set attrs = f.attrs || jsonb_build_object('name', o.name)
  from organisation_facts o
 where f.kind = 'organisation' and f.record_id = o.organisation_id::text and o.name is not null;
insert into facts (kind, record_id, organisation_id, municipality_oktmo, attrs, version, updated_at)
select 'organisation', o.organisation_id::text, o.organisation_id, o.municipality_oktmo,
       jsonb_strip_nulls(jsonb_build_object('kind', o.kind, 'status', case when o.active then 'active' else 'closed' end,
                                            'name', o.name)),
       o.version, o.updated_at
  from organisation_facts o
on conflict (kind, record_id) do nothing;
drop table organisation_facts;
create view organisation_facts as
select organisation_id, municipality_oktmo, attrs->>'kind' as kind, attrs->>'status' is distinct from 'closed' as active,
       version::int as version, attrs->>'name' as name, updated_at
  from facts
 where kind = 'organisation';
-- Only facts with a period (campaign values) are looked up by it: the other kinds, organisations among them,
-- no longer get an entry (a lookup `attrs->>'period' = $n` implies the predicate, so the index still serves it).
drop index facts_attrs_period;
create index facts_attrs_period on facts (kind, (attrs->>'period')) where attrs->>'period' is not null;
