-- The ids of applied federation events are only read back at start-up (the in-memory window dedups), so
-- they need no unique index: keyed by random UUIDs, that index made every applied event dirty a random
-- page in each commit (hundreds of pages per relayed batch). Rows are now appended in time order; a row
-- written twice (a commit retried after its outcome was lost) only restores the same id twice.
CREATE TABLE federation_seen_log (
    id TEXT NOT NULL,
    seen_ms BIGINT NOT NULL);
INSERT INTO federation_seen_log (id, seen_ms) SELECT id, seen_ms FROM federation_seen;
DROP TABLE federation_seen;
ALTER TABLE federation_seen_log RENAME TO federation_seen;
CREATE INDEX federation_seen_time ON federation_seen (seen_ms);
