-- Rows that failed and wait for their next attempt: few, and looked up on every claim.
create index outbox_retrying on outbox (key) where sent_at is null and attempts > 0;
