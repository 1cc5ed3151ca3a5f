package chatd.server.store;

import static chatd.server.store.RowStatement.Column.BIGINT;
import static chatd.server.store.RowStatement.Column.BYTES;
import static chatd.server.store.RowStatement.Column.TEXT;

import chatd.server.core.Account;
import chatd.server.core.Changes;
import chatd.server.core.ChatError;
import chatd.server.core.HistoryReader;
import chatd.server.core.Mutation;
import chatd.server.core.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The one store, on SQLite or PostgreSQL: applies journal batches in a single transaction, reads the
 * start-up snapshot and serves history. The SQL is portable between the two engines (upserts use
 * {@code ON CONFLICT}); messages are written with JDBC batches, each one row carrying its recipients
 * until {@link Mutation.SettleQueues} gives those still pending a queue row of their own.
 */
public final class JdbcStore implements HistoryReader {
    private static final String[] COUNTERS = {"seq", "session", "client", "account"};
    private static final RowStatement MESSAGES = RowStatement.insert("messages(seq, id, history_key, command, ts_ms, envelope, recipients)",
            "ON CONFLICT (seq) DO NOTHING", BIGINT, TEXT, TEXT, TEXT, BIGINT, BYTES, TEXT);
    private static final RowStatement CURSORS = new RowStatement("UPDATE clients SET acked_seq = ?, last_seen_ms = ? WHERE id = ?",
            "UPDATE clients SET acked_seq = t.acked_seq, last_seen_ms = t.last_seen_ms "
                    + "FROM unnest(?::int8[], ?::int8[], ?::int8[]) AS t(acked_seq, last_seen_ms, id) WHERE clients.id = t.id",
            BIGINT, BIGINT, BIGINT);
    private static final RowStatement ACKNOWLEDGED = new RowStatement("DELETE FROM inbox WHERE session_id = ? AND seq <= ?",
            "DELETE FROM inbox USING unnest(?::int8[], ?::int8[]) AS t(session_id, up_to) "
                    + "WHERE inbox.session_id = t.session_id AND inbox.seq <= t.up_to",
            BIGINT, BIGINT);
    private static final RowStatement COUNTER = RowStatement.insert("counters(name, value)",
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value", TEXT, BIGINT);
    private final Database db;

    public JdbcStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    /**
     * Applies mutations in order, and the counters (unless null), in the caller's transaction. Only the
     * counters that differ from {@code written} (what the last commit stored; null: all) are written.
     */
    void apply(Statements statements, List<Mutation> mutations, long[] counters, long[] written) throws SQLException {
        Batches batches = new Batches(statements);
        for (Mutation m : mutations) {
            if (!batches.take(m)) {
                batches.write();
                applyOne(statements, m);
            }
        }
        if (counters != null) {
            for (int i = 0; i < COUNTERS.length; i++) {
                if (written == null || written[i] != counters[i]) {
                    batches.add(COUNTER, new Object[] {COUNTERS[i], counters[i]});
                }
            }
        }
        batches.write();
    }

    /**
     * Whether {@link #apply} writes these mutations with a single statement: on PostgreSQL, when all of them
     * are batched rows. That statement is atomic by itself, so the caller may run it outside a transaction
     * block: PostgreSQL commits it as it ends, which saves the round trip of a COMMIT.
     */
    boolean writesInOneStatement(List<Mutation> mutations) {
        if (db.dialect() != Database.Dialect.POSTGRESQL) {
            return false;
        }
        for (Mutation m : mutations) {
            if (!Batches.batched(m)) {
                return false;
            }
        }
        return true;
    }

    private void applyOne(Statements c, Mutation m) throws SQLException {
        switch (m) {
            case Mutation.SaveAccount a -> update(c, "INSERT INTO accounts(id, nick, nick_folded, password_hash, created_ms) VALUES (?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                    a.id(), a.nick(), a.nick().toLowerCase(java.util.Locale.ROOT), a.passwordHash(), a.createdMillis());
            case Mutation.SaveSession s -> update(c, "INSERT INTO sessions(id, nick, account_id, away, created_ms) VALUES (?,?,?,?,?) "
                    + "ON CONFLICT (id) DO UPDATE SET nick = excluded.nick, away = excluded.away",
                    s.id(), s.nick(), s.accountId(), s.away(), s.createdMillis());
            case Mutation.DeleteSession s -> {
                update(c, "DELETE FROM inbox WHERE session_id = ?", s.id());
                update(c, "DELETE FROM sessions WHERE id = ?", s.id());
            }
            case Mutation.SaveClient k -> update(c, "INSERT INTO clients(id, session_id, token_hash, floor_seq, acked_seq, device, last_seen_ms) "
                    + "VALUES (?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING", k.id(), k.sessionId(), k.tokenHash(), k.floorSeq(), k.floorSeq(), k.device(), k.lastSeenMillis());
            case Mutation.DeleteClient k -> {
                update(c, "DELETE FROM inbox WHERE client_id = ?", k.id());
                update(c, "DELETE FROM clients WHERE id = ?", k.id());
            }
            case Mutation.SaveChannel ch -> update(c, "INSERT INTO channels(name_folded, name, topic, topic_setter, topic_ms, flags, chan_key, user_limit, "
                    + "bans, ban_exceptions, invite_exceptions, created_ms) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (name_folded) DO UPDATE SET topic = excluded.topic, "
                    + "topic_setter = excluded.topic_setter, topic_ms = excluded.topic_ms, flags = excluded.flags, "
                    + "chan_key = excluded.chan_key, user_limit = excluded.user_limit, bans = excluded.bans, "
                    + "ban_exceptions = excluded.ban_exceptions, invite_exceptions = excluded.invite_exceptions",
                    ch.folded(), ch.name(), ch.topic(), ch.topicSetter(), ch.topicMillis(), ch.flags(), ch.key(), ch.limit(),
                    lines(ch.bans()), lines(ch.banExceptions()), lines(ch.inviteExceptions()), ch.createdMillis());
            case Mutation.DeleteChannel ch -> update(c, "DELETE FROM channels WHERE name_folded = ?", ch.folded());
            case Mutation.SaveMembership ms -> update(c, "INSERT INTO memberships(channel, session_id, modes) VALUES (?,?,?) "
                    + "ON CONFLICT (channel, session_id) DO UPDATE SET modes = excluded.modes", ms.channelFolded(), ms.sessionId(), ms.modes());
            case Mutation.DeleteMembership ms -> update(c, "DELETE FROM memberships WHERE channel = ? AND session_id = ?",
                    ms.channelFolded(), ms.sessionId());
            case Mutation.SettleQueues s -> settle(c, s);
            case Mutation.SpendStamp s -> update(c, "INSERT INTO hashcash_stamps(stamp, spent_ms) VALUES (?, ?) ON CONFLICT (stamp) DO NOTHING", s.stamp(), s.atMillis());
            case SqlMutation custom -> custom.apply(c.connection(), db.dialect());
            case BatchedRows rows -> throw new IllegalStateException("batched elsewhere");
            case Mutation.StoreMessage s -> throw new IllegalStateException("batched elsewhere");
            case Mutation.TouchClient t -> throw new IllegalStateException("batched elsewhere");
            case Mutation.Custom other -> throw new IllegalArgumentException("no SQL for " + other.getClass().getName());
        }
    }

    /**
     * Collects the frequent rows, which commute with one another: messages with their recipients, the cursor
     * bookkeeping of clients (one statement for many clients, not two per client), the adapters'
     * {@link BatchedRows} and the counters. They are written when a mutation of another kind comes, so that
     * the order of effects holds, and at the end: on SQLite a JDBC batch per statement, on PostgreSQL one
     * statement for all of them (one round trip). Statements belong to the caller's {@link Statements}.
     */
    private final class Batches {
        private final Statements statements;
        /**
         * The rows by statement, in one fixed order of statements (they commute): on PostgreSQL a commit's query
         * is then one of few texts, each prepared once per connection, whatever order its rows came in.
         */
        private final Map<RowStatement, List<Object[]>> pending = new TreeMap<>(Comparator.comparing(RowStatement::perRow));
        /**
         * Where each client's cursor row is among the pending ones: a later touch of the same client takes its
         * place, as the later update would win, and PostgreSQL's update from an array applies only one row per client.
         */
        private final Map<Long, Integer> cursorRows = new HashMap<>();

        Batches(Statements statements) {
            this.statements = statements;
        }

        static boolean batched(Mutation m) {
            return m instanceof Mutation.StoreMessage || m instanceof Mutation.TouchClient || m instanceof BatchedRows;
        }

        /** Adds the mutation's rows, or answers false when it is not of a batched kind. */
        boolean take(Mutation m) {
            switch (m) {
                case Mutation.StoreMessage s -> add(MESSAGES, new Object[] {s.seq(), s.id(), s.historyKey(), s.command(), s.tsMillis(), s.json(),
                        s.recipients().isEmpty() ? null : Recipients.encode(s.recipients())});
                case Mutation.TouchClient t -> {
                    Object[] cursor = {t.ackedSeq(), t.lastSeenMillis(), t.id()};
                    List<Object[]> cursors = pending.computeIfAbsent(CURSORS, k -> new ArrayList<>());
                    Integer earlier = cursorRows.putIfAbsent(t.id(), cursors.size());
                    if (earlier == null) {
                        cursors.add(cursor);
                    } else {
                        cursors.set(earlier, cursor);
                    }
                    add(ACKNOWLEDGED, new Object[] {t.sessionId(), t.discardUpTo()});
                }
                case BatchedRows rows -> rows.forEachRow(row -> add(rows.statement(), row));
                default -> {
                    return false;
                }
            }
            return true;
        }

        void add(RowStatement statement, Object[] row) {
            pending.computeIfAbsent(statement, k -> new ArrayList<>()).add(row);
        }

        void write() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            if (db.dialect() == Database.Dialect.SQLITE) {
                for (Map.Entry<RowStatement, List<Object[]>> e : pending.entrySet()) {
                    writeRows(e.getKey(), e.getValue());
                }
            } else {
                writeArrays();
            }
            pending.clear();
            cursorRows.clear();
        }

        private void writeRows(RowStatement statement, List<Object[]> rows) throws SQLException {
            PreparedStatement ps = statements.prepare(statement.perRow());
            for (Object[] row : rows) {
                bind(ps, 1, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }

        /** Binds a row's values from parameter {@code first} on; answers the parameter after them. */
        private static int bind(PreparedStatement ps, int first, Object[] row) throws SQLException {
            for (Object value : row) {
                ps.setObject(first++, value);
            }
            return first;
        }

        /** Every pending statement in one: PostgreSQL's driver sends its parts in one message, answered once. */
        private void writeArrays() throws SQLException {
            StringJoiner sql = new StringJoiner(";\n");
            pending.forEach((statement, rows) -> {
                if (statement.perArray() != null) {
                    sql.add(statement.perArray());
                } else {
                    rows.forEach(row -> sql.add(statement.perRow()));
                }
            });
            PreparedStatement ps = statements.prepare(sql.toString());
            int parameter = 1;
            for (Map.Entry<RowStatement, List<Object[]>> e : pending.entrySet()) {
                List<RowStatement.Column> columns = e.getKey().columns();
                List<Object[]> rows = e.getValue();
                if (e.getKey().perArray() == null) {
                    for (Object[] row : rows) {
                        parameter = bind(ps, parameter, row);
                    }
                    continue;
                }
                for (int column = 0; column < columns.size(); column++) {
                    Object[] values = columns.get(column).array(rows.size());
                    for (int row = 0; row < rows.size(); row++) {
                        values[row] = rows.get(row)[column];
                    }
                    ps.setArray(parameter++, statements.connection().createArrayOf(columns.get(column).arrayElement, values));
                }
            }
            ps.execute();
        }
    }

    /**
     * Gives the recipients of the slice's messages that still queue them (by the core's view of the
     * queues) a queue row each, and clears those messages' lists.
     */
    private static void settle(Statements c, Mutation.SettleQueues slice) throws SQLException {
        long after = slice.afterSeq();
        long upTo = slice.upToSeq();
        List<Long> seqs = new ArrayList<>();
        List<String> lists = new ArrayList<>();
        PreparedStatement ps = c.prepare("SELECT seq, recipients FROM messages WHERE seq > ? AND seq <= ? AND recipients IS NOT NULL");
        ps.setLong(1, after);
        ps.setLong(2, upTo);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
                lists.add(rs.getString(2));
            }
        }
        if (seqs.isEmpty()) {
            return;
        }
        Recipients queues = new Recipients(slice.pendingFrom(), slice.clients());
        PreparedStatement insert = c.prepare("INSERT INTO inbox(session_id, seq, client_id) VALUES (?,?,?) ON CONFLICT DO NOTHING");
        int[] rows = {0};
        for (int i = 0; i < seqs.size(); i++) {
            long seq = seqs.get(i);
            queues.forEachPending(lists.get(i), seq, (session, client) -> {
                insert.setLong(1, session);
                insert.setLong(2, seq);
                insert.setLong(3, client);
                insert.addBatch();
                rows[0]++;
            });
        }
        if (rows[0] > 0) {
            insert.executeBatch();
        }
        update(c, "UPDATE messages SET recipients = NULL WHERE seq > ? AND seq <= ? AND recipients IS NOT NULL", after, upTo);
    }

    private static void update(Statements c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepare(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        ps.executeUpdate();
    }

    @Override
    public List<Stored> history(String key, Range range) {
        String sql = "SELECT seq, envelope FROM messages WHERE history_key = ? AND seq > ? AND seq < ? AND ts_ms > ? AND ts_ms < ?"
                + commandFilter(range.commands()) + " ORDER BY seq " + (range.newest() ? "DESC" : "ASC") + " LIMIT ?";
        List<Stored> out = read("history of " + key, sql, ps -> {
            int i = bind(ps, 1, key, range.afterSeq(), range.beforeSeq(), range.afterMillis(), range.beforeMillis());
            i = bind(ps, i, range.commands().toArray());
            ps.setInt(i, range.limit());
        }, rs -> new Stored(rs.getLong(1), rs.getBytes(2)));
        return range.newest() ? out.reversed() : out;
    }

    /** Scans the target's rows (its history is bounded by MAX_HISTORY): ids have no index of their own (V4). */
    @Override
    public OptionalLong seqOf(String key, String messageId) {
        List<Long> seq = read("history of " + key, "SELECT seq FROM messages WHERE history_key = ? AND id = ?",
                ps -> bind(ps, 1, key, messageId), rs -> rs.getLong(1));
        return seq.isEmpty() ? OptionalLong.empty() : OptionalLong.of(seq.getFirst());
    }

    /**
     * Reads one row per target, not every row of its history: the distinct history keys are walked on their index
     * (one seek per key, a loose index scan), those of the caller's channels and of its DMs ({@code dm:a,b},
     * {@link Changes#dmKey}, matched by two LIKE patterns) are kept, and each one's newest message of
     * {@code commands} is found from the index's end. Newest is by seq: the store time of a later seq is never
     * earlier, short of the clock going back. The walk visits every history key on the server (~2 µs each on
     * SQLite), not a range of them: with a linguistic collation (PostgreSQL) the DM keys need not sit together.
     */
    @Override
    public List<Activity> activity(Collection<String> channelKeys, String dmParty, long afterMillis, long beforeMillis,
            int limit, Set<String> commands) {
        String party = dmParty.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        String channels = channelKeys.isEmpty() ? "" : "k IN (" + placeholders(channelKeys.size()) + ") OR ";
        String sql = "WITH RECURSIVE history_keys(k) AS (SELECT MIN(history_key) FROM messages"
                + " UNION ALL SELECT (SELECT MIN(history_key) FROM messages WHERE history_key > k) FROM history_keys WHERE k IS NOT NULL),"
                + " targets(k, last_seq) AS (SELECT k, (SELECT seq FROM messages WHERE history_key = k" + commandFilter(commands)
                + " ORDER BY seq DESC LIMIT 1) FROM history_keys WHERE " + channels + "k LIKE ? ESCAPE '!' OR k LIKE ? ESCAPE '!')"
                + " SELECT t.k, m.ts_ms FROM targets t JOIN messages m ON m.seq = t.last_seq"
                + " WHERE m.ts_ms > ? AND m.ts_ms < ? ORDER BY m.ts_ms, m.seq LIMIT ?";
        return read("history targets of " + dmParty, sql, ps -> {
            int i = bind(ps, 1, commands.toArray());
            i = bind(ps, i, channelKeys.toArray());
            i = bind(ps, i, Changes.DM_PREFIX + party + Changes.DM_SEPARATOR + "%", Changes.DM_PREFIX + "%" + Changes.DM_SEPARATOR + party);
            bind(ps, i, afterMillis, beforeMillis, limit);
        }, rs -> new Activity(rs.getString(1), rs.getLong(2)));
    }

    private static String commandFilter(Set<String> commands) {
        return commands.isEmpty() ? "" : " AND command IN (" + placeholders(commands.size()) + ")";
    }

    private static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    /** Binds values from parameter {@code at} on; answers the next parameter index. */
    private static int bind(PreparedStatement ps, int at, Object... values) throws SQLException {
        for (Object value : values) {
            ps.setObject(at++, value);
        }
        return at;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * A history read. A connection error is retried once on a fresh connection (the pool drops the broken
     * one: after an outage its idle connections are dead); a store still down answers UNAVAILABLE, so the
     * caller is told why and may retry.
     */
    private <T> List<T> read(String what, String sql, Binder binder, RowMapper<T> rows) {
        for (int attempt = 1; ; attempt++) {
            try {
                try (Connection c = db.dataSource().getConnection()) {
                    return readOnce(c, sql, binder, rows);
                }
            } catch (SQLException e) {
                if (!StoreFailures.passing(e)) {
                    throw new StoreException(what, e);
                }
                if (attempt == 2) {
                    throw ChatError.unavailable("history is unavailable while the store is down (" + StoreFailures.describe(e) + ")",
                            GroupCommitJournal.RETRY_AFTER_DOWN_SECONDS);
                }
            }
        }
    }

    private static <T> List<T> readOnce(Connection c, String sql, Binder binder, RowMapper<T> rows) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rows.map(rs));
                }
            }
        }
        return out;
    }

    /** Keeps the newest {@code keep} messages of each history target; messages still queued stay. */
    public int trimHistory(int keep) {
        String targets = "SELECT history_key FROM messages WHERE history_key IS NOT NULL GROUP BY history_key HAVING COUNT(*) > ?";
        String trim = "DELETE FROM messages WHERE history_key = ? AND seq < (SELECT MIN(seq) FROM "
                + "(SELECT seq FROM messages WHERE history_key = ? ORDER BY seq DESC LIMIT ?) newest) "
                + "AND recipients IS NULL AND seq NOT IN (SELECT seq FROM inbox)";
        String orphans = "DELETE FROM messages WHERE history_key IS NULL AND recipients IS NULL AND seq NOT IN (SELECT seq FROM inbox)";
        int removed = 0;
        try (Connection c = db.dataSource().getConnection()) {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(targets)) {
                ps.setInt(1, keep);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            for (String key : keys) {
                try (PreparedStatement ps = c.prepareStatement(trim)) {
                    ps.setString(1, key);
                    ps.setString(2, key);
                    ps.setInt(3, keep);
                    removed += ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(orphans)) {
                removed += ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("trimming history", e);
        }
        return removed;
    }

    /** Reads everything the core keeps in memory. */
    public Snapshot load(int recentIds) {
        try (Connection c = db.dataSource().getConnection()) {
            long[] counters = new long[COUNTERS.length];
            Map<String, Long> byName = new HashMap<>();
            query(c, "SELECT name, value FROM counters", rs -> byName.put(rs.getString(1), rs.getLong(2)));
            for (int i = 0; i < COUNTERS.length; i++) {
                counters[i] = byName.getOrDefault(COUNTERS[i], 0L);
            }
            List<Account> accounts = new ArrayList<>();
            query(c, "SELECT id, nick, password_hash FROM accounts", rs -> accounts.add(new Account(rs.getLong(1), rs.getString(2), rs.getString(3))));
            List<Mutation.SaveSession> sessions = new ArrayList<>();
            query(c, "SELECT id, nick, account_id, away, created_ms FROM sessions ORDER BY id", rs -> {
                long account = rs.getLong(3);
                Long accountId = rs.wasNull() ? null : account; // asked at once: wasNull is about the last column read
                sessions.add(new Mutation.SaveSession(rs.getLong(1), rs.getString(2), accountId, rs.getString(4), rs.getLong(5)));
            });
            List<Snapshot.ClientRow> clients = new ArrayList<>();
            query(c, "SELECT id, session_id, token_hash, floor_seq, acked_seq, device, last_seen_ms FROM clients ORDER BY id",
                    rs -> clients.add(new Snapshot.ClientRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getString(6), rs.getLong(7))));
            List<Mutation.SaveChannel> channels = new ArrayList<>();
            query(c, "SELECT name_folded, name, topic, topic_setter, topic_ms, flags, chan_key, user_limit, bans, "
                    + "ban_exceptions, invite_exceptions, created_ms FROM channels",
                    rs -> channels.add(new Mutation.SaveChannel(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            masks(rs.getString(9)), masks(rs.getString(10)), masks(rs.getString(11)), rs.getLong(12))));
            List<Snapshot.MembershipRow> memberships = new ArrayList<>();
            query(c, "SELECT channel, session_id, modes FROM memberships",
                    rs -> memberships.add(new Snapshot.MembershipRow(rs.getString(1), rs.getLong(2), rs.getString(3))));
            List<Snapshot.InboxRow> inbox = new ArrayList<>();
            Map<Long, byte[]> shared = new HashMap<>();
            query(c, "SELECT i.session_id, i.seq, i.client_id, m.envelope FROM inbox i JOIN messages m ON m.seq = i.seq",
                    rs -> {
                        long seq = rs.getLong(2);
                        byte[] json = shared.computeIfAbsent(seq, s -> bytes(rs, 4));
                        inbox.add(new Snapshot.InboxRow(rs.getLong(1), seq, rs.getLong(3), json));
                    });
            Recipients stored = Recipients.stored(clients);
            long[] firstUnsettled = {0};
            query(c, "SELECT seq, recipients, envelope FROM messages WHERE recipients IS NOT NULL", rs -> {
                long seq = rs.getLong(1);
                firstUnsettled[0] = firstUnsettled[0] == 0 ? seq : Math.min(firstUnsettled[0], seq);
                byte[] json = rs.getBytes(3);
                stored.forEachPending(rs.getString(2), seq, (session, client) -> inbox.add(new Snapshot.InboxRow(session, seq, client, json)));
            });
            inbox.sort(Comparator.comparingLong(Snapshot.InboxRow::sessionId).thenComparingLong(Snapshot.InboxRow::seq));
            List<String> ids = new ArrayList<>();
            query(c, "SELECT id FROM messages ORDER BY seq DESC LIMIT " + recentIds, rs -> ids.add(rs.getString(1)));
            List<String> stamps = new ArrayList<>();
            query(c, "SELECT stamp FROM hashcash_stamps", rs -> stamps.add(rs.getString(1)));
            return new Snapshot(counters, accounts, sessions, clients, channels, memberships, inbox, firstUnsettled[0], ids.reversed(), stamps);
        } catch (SQLException e) {
            throw new StoreException("loading the store", e);
        }
    }

    /** A channel's mask list as stored: one mask a line (a mask holds no space, so no newline). */
    private static String lines(List<String> masks) {
        return String.join("\n", masks);
    }

    private static List<String> masks(String stored) {
        return stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
    }

    private static byte[] bytes(ResultSet rs, int column) {
        try {
            return rs.getBytes(column);
        } catch (SQLException e) {
            throw new StoreException("reading a message", e);
        }
    }

    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    static void query(Connection c, String sql, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }

    /** A store failure, naming what was being done. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String what, SQLException cause) {
            super(what + " failed: " + cause.getMessage(), cause);
        }
    }
}
