-- The relay marks each row sent with an update. With the pages packed full by the COPY, the new row version
-- goes to another page and PostgreSQL logs it whole (about 1.2 kB: the event's value); with room left on
-- the page, it logs only the bytes that changed (sent_at, attempts). Half the page stays free for that:
-- the outbox takes no more space than before (the second version used to fill a page of its own).
alter table outbox set (fillfactor = 50);
