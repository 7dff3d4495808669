-- organisation_versions rows are copies of the organisation row written in the same transaction (repository
-- `_record_versions`), so their foreign keys only re-checked what was just written: two index lookups per row
-- on every bulk registration. Organisations are never deleted (they are closed), which a trigger now enforces,
-- so a version can never lose its organisation.
alter table organisation_versions drop constraint organisation_versions_organisation_id_fkey;
alter table organisation_versions drop constraint organisation_versions_municipality_oktmo_fkey;

create function organisations_are_kept() returns trigger language plpgsql as $$
begin
    raise exception 'организации не удаляются: их закрывают (organisations are closed, never deleted)'
        using errcode = 'restrict_violation';
end $$;
create trigger organisations_kept before delete on organisations
    for each row execute function organisations_are_kept();
