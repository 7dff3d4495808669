-- Event ids are random UUIDs made by `events.outgoing`, and consumers deduplicate by them in their inbox: a
-- unique index here was one more random-key index to maintain twice for every event (on insert, and again
-- when the relay marks the row sent). Finding one event by id (support, replay) is rare and may scan.
alter table outbox drop constraint outbox_event_id_key;
