-- SQLite only (Database adds db/sqlite to the migrations there; shared scripts go on from V10). In SQLite
-- only a column declared exactly INTEGER PRIMARY KEY is the table's rowid: the BIGINT PRIMARY KEY of
-- messages and federation_outbox was a unique index beside the rowid's own b-tree, so every stored
-- message and outbox event was written to two b-trees, and each commit dirtied both of their last pages.
-- INTEGER is 64 bits in SQLite. The inbox, keyed by (session_id, seq), keeps its rows in that key's
-- b-tree alone (WITHOUT ROWID). PostgreSQL keeps V1's tables: a heap and its primary-key index, as before.
CREATE TABLE messages_by_seq (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    history_key TEXT,
    command TEXT NOT NULL,
    ts_ms BIGINT NOT NULL,
    envelope BLOB NOT NULL,
    recipients TEXT);
INSERT INTO messages_by_seq (seq, id, history_key, command, ts_ms, envelope, recipients)
    SELECT seq, id, history_key, command, ts_ms, envelope, recipients FROM messages;
DROP TABLE messages;
ALTER TABLE messages_by_seq RENAME TO messages;
CREATE INDEX messages_history ON messages (history_key, seq);
CREATE INDEX messages_unsettled ON messages (seq) WHERE recipients IS NOT NULL;

CREATE TABLE federation_outbox_by_seq (
    seq INTEGER PRIMARY KEY,
    peer TEXT NOT NULL,
    event TEXT NOT NULL,
    created_ms BIGINT NOT NULL);
INSERT INTO federation_outbox_by_seq (seq, peer, event, created_ms)
    SELECT seq, peer, event, created_ms FROM federation_outbox;
DROP TABLE federation_outbox;
ALTER TABLE federation_outbox_by_seq RENAME TO federation_outbox;
CREATE INDEX federation_outbox_peer ON federation_outbox (peer, seq);

CREATE TABLE inbox_by_key (
    session_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
INSERT INTO inbox_by_key (session_id, seq, client_id) SELECT session_id, seq, client_id FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_by_key RENAME TO inbox;
