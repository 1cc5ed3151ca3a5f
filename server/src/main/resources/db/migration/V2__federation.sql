-- chatd schema v2: federation (SPEC §7). This server's Ed25519 key, the servers known in the network
-- (public keys, and the direct peer they are reached through), the durable per-peer outbox, and the
-- window of event ids already applied (dedup survives a restart).
CREATE TABLE federation_identity (
    id INTEGER PRIMARY KEY,
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_ms BIGINT NOT NULL);

CREATE TABLE federation_servers (
    name TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    via TEXT,
    updated_ms BIGINT NOT NULL);

-- Outbound events per peer, in order (seq is assigned under the state lock, in event order).
CREATE TABLE federation_outbox (
    seq BIGINT PRIMARY KEY,
    peer TEXT NOT NULL,
    event TEXT NOT NULL,
    created_ms BIGINT NOT NULL);
CREATE INDEX federation_outbox_peer ON federation_outbox (peer, seq);

CREATE TABLE federation_seen (
    id TEXT PRIMARY KEY,
    seen_ms BIGINT NOT NULL);
CREATE INDEX federation_seen_time ON federation_seen (seen_ms);
