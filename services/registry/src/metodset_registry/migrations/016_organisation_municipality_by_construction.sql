-- Every path that writes an organisation's municipality (registration one by one or in a batch, import, update)
-- looks the municipality up in the same transaction and refuses an unknown one naming the row and field. The
-- foreign key only re-checked it, one lookup and one row lock on the municipality per organisation (a
-- multixact when two batches register into the same municipality at once). Municipalities are never deleted
-- or renumbered, which a trigger now enforces, so an organisation can never lose its municipality.
alter table organisations drop constraint organisations_municipality_oktmo_fkey;

create function municipalities_are_kept() returns trigger language plpgsql as $$
begin
    raise exception 'муниципалитеты не удаляются и не меняют ОКТМО (municipalities are kept)'
        using errcode = 'restrict_violation';
end $$;
create trigger municipalities_kept before delete or update of oktmo on municipalities
    for each row execute function municipalities_are_kept();
