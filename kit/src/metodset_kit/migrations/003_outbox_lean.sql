-- The relay finds the rows a claim could overtake by seq (outbox_unsent), not by key: one random-key index
-- fewer to maintain for every event written.
drop index outbox_unsent_by_key;
