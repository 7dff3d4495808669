-- One open version per organisation is kept by the one function that writes versions (repository
-- `_record_versions`: it closes the open row and adds the next in the same transaction, under the
-- organisation's row lock, and the primary key (organisation_id, version) refuses a second writer of the same
-- version). The unique index on the open row re-checked that at one more index write per registration, and no
-- query reads through it: the open row is found by the primary key.
drop index organisation_versions_current;
