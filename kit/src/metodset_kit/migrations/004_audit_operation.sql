-- Why a record was read: the operation (e.g. person.get, staff.list, staff.export) beside action and resource,
-- and the trail of one record, newest first, for the auditors.
alter table audit_log add column operation text;
create index audit_log_by_resource on audit_log (resource, resource_id, id desc);
