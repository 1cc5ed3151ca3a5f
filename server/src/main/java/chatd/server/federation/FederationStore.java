package chatd.server.federation;

import chatd.protocol.Ed25519;
import chatd.server.store.BatchedRows;
import chatd.server.store.Database;
import chatd.server.store.JdbcStore;
import chatd.server.store.RowStatement;
import chatd.server.store.RowStatement.Column;
import chatd.server.store.SqlMutation;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Federation's own tables (V2 and V3 migrations, plus {@code server_links} of V1). Writes that must commit with
 * an event (outbox rows, seen ids, learned server keys) are {@link SqlMutation}s handed to the journal, and
 * so are acknowledged outbox rows (they ride along with the next group commit instead of taking SQLite's
 * write lock on their own); the rest (start-up reads, admin link changes) use the pool directly, outside
 * the state lock.
 */
final class FederationStore {
    /** A configured link: where the peer is, its own shared key if any, its public key once linked. */
    record LinkRow(String name, String url, String linkKey, String publicKey) {}

    /** One queued outbound event. */
    record OutboxRow(long seq, String event) {}

    private static final RowStatement MARK_SEEN = RowStatement.insert("federation_seen(id, seen_ms)", "", Column.TEXT, Column.BIGINT);
    private static final RowStatement ENQUEUE = RowStatement.insert("federation_outbox(seq, peer, event, created_ms)",
            "ON CONFLICT (seq) DO NOTHING", Column.BIGINT, Column.TEXT, Column.TEXT, Column.BIGINT);
    /** A range of one peer's rows: one per peer in a commit at most, each planned on the (peer, seq) index. */
    private static final RowStatement ACK = new RowStatement("DELETE FROM federation_outbox WHERE peer = ? AND seq > ? AND seq <= ?",
            null, Column.TEXT, Column.BIGINT, Column.BIGINT);

    private final Database db;

    FederationStore(Database db) {
        this.db = db;
    }

    /** The server key, generated and stored on first start. */
    Ed25519.KeyPair identity(long nowMillis) {
        List<String> found = new ArrayList<>();
        run(c -> query(c, "SELECT private_key FROM federation_identity WHERE id = 1", rs -> found.add(rs.getString(1))), "reading the server key");
        if (!found.isEmpty()) {
            return Ed25519.fromPrivate(java.util.Base64.getDecoder().decode(found.getFirst()));
        }
        Ed25519.KeyPair keys = Ed25519.generate(new SecureRandom());
        run(c -> update(c, "INSERT INTO federation_identity(id, private_key, public_key, created_ms) VALUES (1, ?, ?, ?)",
                java.util.Base64.getEncoder().encodeToString(keys.privateKey()), Ed25519.encodeKey(keys.publicKey()), nowMillis),
                "storing the server key");
        return keys;
    }

    Map<String, LinkRow> links() {
        Map<String, LinkRow> out = new LinkedHashMap<>();
        run(c -> query(c, "SELECT name, url, link_key, public_key FROM server_links ORDER BY name",
                rs -> out.put(rs.getString(1), new LinkRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))),
                "reading server_links");
        return out;
    }

    /** Adds or updates a link; a null key or public key keeps the stored one. */
    void saveLink(String name, String url, String linkKey, String publicKey, long nowMillis) {
        run(c -> update(c, "INSERT INTO server_links(name, url, link_key, public_key, created_ms) VALUES (?,?,?,?,?) "
                + "ON CONFLICT (name) DO UPDATE SET url = excluded.url, "
                + "link_key = COALESCE(excluded.link_key, server_links.link_key), "
                + "public_key = COALESCE(excluded.public_key, server_links.public_key)",
                name, url, linkKey, publicKey, nowMillis), "saving link " + name);
    }

    void deleteLink(String name) {
        run(c -> {
            update(c, "DELETE FROM server_links WHERE name = ?", name);
            update(c, "DELETE FROM federation_outbox WHERE peer = ?", name);
        }, "deleting link " + name);
    }

    /** Known servers: name → {public key, via}. */
    Map<String, String[]> servers() {
        Map<String, String[]> out = new LinkedHashMap<>();
        run(c -> query(c, "SELECT name, public_key, via FROM federation_servers",
                rs -> out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)})), "reading federation_servers");
        return out;
    }

    static SqlMutation saveServer(String name, String publicKey, String via, long nowMillis) {
        return (c, dialect) -> update(c, "INSERT INTO federation_servers(name, public_key, via, updated_ms) VALUES (?,?,?,?) "
                + "ON CONFLICT (name) DO UPDATE SET public_key = excluded.public_key, via = excluded.via, updated_ms = excluded.updated_ms",
                name, publicKey, via, nowMillis);
    }

    /** Seen event ids newer than the cutoff, oldest first. */
    void loadSeen(long cutoffMillis, java.util.function.BiConsumer<String, Long> into) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, seen_ms FROM federation_seen WHERE seen_ms >= ? ORDER BY seen_ms")) {
                ps.setLong(1, cutoffMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        into.accept(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }, "reading federation_seen");
    }

    /** The ids of events applied in this transaction (appended: see the V7 migration). */
    static BatchedRows markSeen(List<String> ids, long nowMillis) {
        return new BatchedRows() {
            @Override
            public RowStatement statement() {
                return MARK_SEEN;
            }

            @Override
            public void forEachRow(Consumer<Object[]> row) {
                ids.forEach(id -> row.accept(new Object[] {id, nowMillis}));
            }
        };
    }

    void pruneSeen(long cutoffMillis) {
        run(c -> update(c, "DELETE FROM federation_seen WHERE seen_ms < ?", cutoffMillis), "pruning federation_seen");
    }

    // -- remote members (V3)

    /** The stored remote users, memberships and channel mode timestamps. */
    MemberLedger.Loaded loadLedger() {
        Map<String, MemberLedger.User> users = new LinkedHashMap<>();
        Map<MemberLedger.Key, String> members = new LinkedHashMap<>();
        Map<ModeTimes.Key, ModeTimes.Stamp> modes = new LinkedHashMap<>();
        run(c -> {
            query(c, "SELECT member, nick, server, presence, away FROM federation_users", rs -> users.put(rs.getString(1),
                    new MemberLedger.User(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))));
            query(c, "SELECT channel, member, modes FROM federation_members ORDER BY channel, member",
                    rs -> members.put(new MemberLedger.Key(rs.getString(1), rs.getString(2)), rs.getString(3)));
            query(c, "SELECT channel, mode, ms, server FROM federation_modes", rs -> modes.put(
                    new ModeTimes.Key(rs.getString(1), rs.getString(2).charAt(0)), new ModeTimes.Stamp(rs.getLong(3), rs.getString(4))));
        }, "reading the remote members");
        return new MemberLedger.Loaded(users, members, modes);
    }

    /** Writes what changed in the remote members since the last sync (deletes first, then upserts). */
    static SqlMutation saveLedger(MemberLedger.Delta d) {
        return (c, dialect) -> {
            batch(c, "DELETE FROM federation_members WHERE channel = ? AND member = ?", d.deleteMembers(),
                    (ps, k) -> {
                        ps.setString(1, k.channel());
                        ps.setString(2, k.member());
                    });
            batch(c, "DELETE FROM federation_users WHERE member = ?", d.deleteUsers(), (ps, k) -> ps.setString(1, k));
            batch(c, "DELETE FROM federation_modes WHERE channel = ? AND mode = ?", d.deleteModes(), (ps, k) -> {
                ps.setString(1, k.channel());
                ps.setString(2, String.valueOf(k.mode()));
            });
            batch(c, "INSERT INTO federation_users(member, nick, server, presence, away) VALUES (?,?,?,?,?) "
                    + "ON CONFLICT (member) DO UPDATE SET nick = excluded.nick, server = excluded.server, "
                    + "presence = excluded.presence, away = excluded.away", d.saveUsers().entrySet(), (ps, e) -> {
                        ps.setString(1, e.getKey());
                        ps.setString(2, e.getValue().nick());
                        ps.setString(3, e.getValue().server());
                        ps.setString(4, e.getValue().presence());
                        ps.setString(5, e.getValue().away());
                    });
            batch(c, "INSERT INTO federation_members(channel, member, modes) VALUES (?,?,?) "
                    + "ON CONFLICT (channel, member) DO UPDATE SET modes = excluded.modes", d.saveMembers().entrySet(), (ps, e) -> {
                        ps.setString(1, e.getKey().channel());
                        ps.setString(2, e.getKey().member());
                        ps.setString(3, e.getValue());
                    });
            batch(c, "INSERT INTO federation_modes(channel, mode, ms, server) VALUES (?,?,?,?) "
                    + "ON CONFLICT (channel, mode) DO UPDATE SET ms = excluded.ms, server = excluded.server",
                    d.saveModes().entrySet(), (ps, e) -> {
                        ps.setString(1, e.getKey().channel());
                        ps.setString(2, String.valueOf(e.getKey().mode()));
                        ps.setLong(3, e.getValue().millis());
                        ps.setString(4, e.getValue().server());
                    });
        };
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private static <T> void batch(Connection c, String sql, java.util.Collection<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // -- outbox

    long maxOutboxSeq() {
        long[] max = {0};
        run(c -> query(c, "SELECT COALESCE(MAX(seq), 0) FROM federation_outbox", rs -> max[0] = rs.getLong(1)), "reading the outbox");
        return max[0];
    }

    /** Outbox rows of one event; {@code event} is called when the journal writes them. */
    static BatchedRows enqueue(List<String> peers, List<Long> seqs, Supplier<String> event, long nowMillis) {
        return new BatchedRows() {
            @Override
            public RowStatement statement() {
                return ENQUEUE;
            }

            @Override
            public void forEachRow(Consumer<Object[]> row) {
                String json = event.get();
                for (int i = 0; i < peers.size(); i++) {
                    row.accept(new Object[] {seqs.get(i), peers.get(i), json, nowMillis});
                }
            }
        };
    }

    /** Up to {@code limit} rows after {@code after} (acknowledged rows may not be deleted yet). */
    List<OutboxRow> peek(String peer, long after, int limit) {
        List<OutboxRow> out = new ArrayList<>();
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, event FROM federation_outbox WHERE peer = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, peer);
                ps.setLong(2, after);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxRow(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
        }, "reading the outbox of " + peer);
        return out;
    }

    /**
     * Deletes the rows the peer acknowledged, after {@code afterSeq} (acknowledged before) up to its last
     * acknowledged seq when the delete is written, so that the acks of several batches answered before the next
     * group commit cost one statement (on PostgreSQL, a round trip of the single writer each); a retried commit
     * deletes at least the same range again. The lower bound matters on PostgreSQL: deleted rows stay in the
     * index until vacuumed, and a delete of every row up to a seq walked all of them again, each ack slower
     * than the last until autovacuum ran.
     */
    static BatchedRows ack(PeerLink link, long afterSeq) {
        return new BatchedRows() {
            @Override
            public RowStatement statement() {
                return ACK;
            }

            @Override
            public void forEachRow(Consumer<Object[]> row) {
                row.accept(new Object[] {link.name(), afterSeq, link.ackDeleteWritten()});
            }
        };
    }

    /** What {@link #trimOutbox} dropped: how many rows, and the last seq among them (0 when none). */
    record Trimmed(long rows, long upToSeq) {}

    /**
     * Drops what exceeds a peer's outbox bounds: rows created before {@code cutoffMillis}, and all but the
     * newest {@code max}. Rows are in seq order, so what goes is always a prefix.
     */
    Trimmed trimOutbox(String peer, int max, long cutoffMillis) {
        long[] cut = {0};
        long[] rows = {0};
        run(c -> {
            try (PreparedStatement old = c.prepareStatement("SELECT MAX(seq) FROM federation_outbox WHERE peer = ? AND created_ms < ?")) {
                old.setString(1, peer);
                old.setLong(2, cutoffMillis);
                try (ResultSet rs = old.executeQuery()) {
                    cut[0] = rs.next() ? rs.getLong(1) : 0;
                }
            }
            try (PreparedStatement over = c.prepareStatement(
                    "SELECT seq FROM federation_outbox WHERE peer = ? ORDER BY seq DESC LIMIT 1 OFFSET ?")) {
                over.setString(1, peer);
                over.setInt(2, max);
                try (ResultSet rs = over.executeQuery()) {
                    if (rs.next()) {
                        cut[0] = Math.max(cut[0], rs.getLong(1));
                    }
                }
            }
            if (cut[0] > 0) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM federation_outbox WHERE peer = ? AND seq <= ?")) {
                    delete.setString(1, peer);
                    delete.setLong(2, cut[0]);
                    rows[0] = delete.executeUpdate();
                }
            }
        }, "trimming the outbox of " + peer);
        return new Trimmed(rows[0], rows[0] > 0 ? cut[0] : 0);
    }

    Map<String, Long> queued() {
        Map<String, Long> out = new LinkedHashMap<>();
        run(c -> query(c, "SELECT peer, COUNT(*) FROM federation_outbox GROUP BY peer", rs -> out.put(rs.getString(1), rs.getLong(2))),
                "counting the outbox");
        return out;
    }

    // -- plumbing

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    private void run(Work work, String what) {
        try (Connection c = db.dataSource().getConnection()) {
            work.run(c);
        } catch (SQLException e) {
            throw new JdbcStore.StoreException(what, e);
        }
    }

    @FunctionalInterface
    interface Rows {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Rows rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.read(rs);
            }
        }
    }

    static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            ps.executeUpdate();
        }
    }
}
