-- A volatile default (clock_timestamp()) on a column the COPY does not fill makes PostgreSQL insert the COPY's
-- rows one at a time, each with its own WAL record, instead of in multi-row batches. statement_timestamp() is
-- stable and, the outbox COPY being the change's last statement, still says when the event was written.
alter table outbox alter column created_at set default statement_timestamp();
