-- chatd schema v1: ready for the whole product (SPEC §8). Ids are assigned by the server, not the
-- database, so rows can be written in batches; the counters table keeps the high-water marks.
-- One script for both engines: the bytes placeholder is BLOB on SQLite and BYTEA on PostgreSQL (Database.java).
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    nick TEXT NOT NULL,
    nick_folded TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL);

CREATE TABLE sessions (
    id BIGINT PRIMARY KEY,
    nick TEXT NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    away TEXT,
    created_ms BIGINT NOT NULL);

-- One row per device; only the SHA-256 of the token is kept.
CREATE TABLE clients (
    id BIGINT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    floor_seq BIGINT NOT NULL,
    acked_seq BIGINT NOT NULL,
    device TEXT NOT NULL,
    last_seen_ms BIGINT NOT NULL);

CREATE TABLE channels (
    name_folded TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    topic TEXT NOT NULL,
    topic_setter TEXT NOT NULL,
    topic_ms BIGINT NOT NULL,
    flags TEXT NOT NULL,
    chan_key TEXT,
    user_limit INTEGER NOT NULL,
    bans TEXT NOT NULL,
    created_ms BIGINT NOT NULL);

CREATE TABLE memberships (
    channel TEXT NOT NULL REFERENCES channels(name_folded) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    modes TEXT NOT NULL,
    PRIMARY KEY (channel, session_id));

-- Every delivered envelope, stored once; history_key is a folded channel name or dm:a|b (NULL: no history).
CREATE TABLE messages (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL,
    history_key TEXT,
    command TEXT NOT NULL,
    ts_ms BIGINT NOT NULL,
    envelope ${bytes} NOT NULL);
CREATE INDEX messages_history ON messages (history_key, seq);
CREATE INDEX messages_id ON messages (id);

-- Per-session delivery queue: which stored messages each session still has to deliver (client_id 0 = all).
CREATE TABLE inbox (
    session_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    PRIMARY KEY (session_id, seq));

CREATE TABLE server_links (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    link_key TEXT,
    public_key TEXT,
    created_ms BIGINT NOT NULL);

CREATE TABLE hashcash_stamps (
    stamp TEXT PRIMARY KEY,
    spent_ms BIGINT NOT NULL);
