package chatd.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes state straight into a stopped server's store, for scenarios whose setup through the API would
 * dwarf what they measure (a 10,000-member channel, a million stored messages). Every row is a copy of
 * a template row the server itself wrote, with only ids, names, tokens and timestamps changed, and the
 * counters are moved past the new ids, so the server restores it as if it had written it.
 */
final class Seeder implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Connection c;

    Seeder(String jdbcUrl) throws SQLException {
        c = DriverManager.getConnection(jdbcUrl);
        c.setAutoCommit(false);
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long counter(String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    void setCounter(String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE counters SET value = ? WHERE name = ?")) {
            ps.setLong(1, value);
            ps.setString(2, name);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no counter " + name);
            }
        }
    }

    /** One row as column → value. */
    Map<String, Object> row(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no template row for: " + sql);
                }
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.put(md.getColumnName(i).toLowerCase(), rs.getObject(i));
                }
                return out;
            }
        }
    }

    List<Map<String, Object>> rows(String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i).toLowerCase(), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** A batched INSERT of rows shaped like {@code template}. */
    final class Inserter implements AutoCloseable {
        private final PreparedStatement ps;
        private final List<String> columns;
        private int pending;

        Inserter(String table, Map<String, Object> template) throws SQLException {
            columns = new ArrayList<>(template.keySet());
            ps = c.prepareStatement("INSERT INTO " + table + "(" + String.join(",", columns) + ") VALUES ("
                    + "?,".repeat(columns.size() - 1) + "?)");
        }

        void add(Map<String, Object> row) throws SQLException {
            for (int i = 0; i < columns.size(); i++) {
                ps.setObject(i + 1, row.get(columns.get(i)));
            }
            ps.addBatch();
            pending++;
        }

        /** Sends the batch once it is large (callers flush parents before children). */
        void flushIfLarge() throws SQLException {
            if (pending >= 5000) {
                ps.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            if (pending > 0) {
                ps.executeBatch();
            }
            ps.close();
        }
    }

    /**
     * Adds {@code n} sessions with one client each, members of {@code channelFolded}, copied from the
     * session {@code templateSession}; answers their tokens (nick = prefix + index).
     */
    String[] members(long templateSession, String channelFolded, String prefix, int n) throws SQLException {
        Map<String, Object> session = row("SELECT * FROM sessions WHERE id = ?", templateSession);
        Map<String, Object> client = row("SELECT * FROM clients WHERE session_id = ?", templateSession);
        Map<String, Object> member = row("SELECT * FROM memberships WHERE session_id = ? AND channel = ?", templateSession, channelFolded);
        long sessionId = counter("session");
        long clientId = counter("client");
        String[] tokens = new String[n];
        long now = System.currentTimeMillis();
        // Parents before children (PostgreSQL checks foreign keys per statement): each batch is flushed in
        // that order, and closed in that order too, not in try-with-resources' reverse order.
        Inserter s = new Inserter("sessions", session);
        Inserter cl = new Inserter("clients", client);
        Inserter m = new Inserter("memberships", member);
        try {
            for (int i = 0; i < n; i++) {
                long sid = ++sessionId;
                long cid = ++clientId;
                tokens[i] = newToken();
                Map<String, Object> sr = new LinkedHashMap<>(session);
                sr.put("id", sid);
                sr.put("nick", prefix + i);
                sr.put("created_ms", now);
                s.add(sr);
                Map<String, Object> cr = new LinkedHashMap<>(client);
                cr.put("id", cid);
                cr.put("session_id", sid);
                cr.put("token_hash", tokenHash(tokens[i]));
                cr.put("last_seen_ms", now);
                cl.add(cr);
                Map<String, Object> mr = new LinkedHashMap<>(member);
                mr.put("session_id", sid);
                m.add(mr);
                s.flushIfLarge();
                cl.flushIfLarge();
                m.flushIfLarge();
            }
        } finally {
            s.close();
            cl.close();
            m.close();
        }
        setCounter("session", sessionId);
        setCounter("client", clientId);
        c.commit();
        return tokens;
    }

    /**
     * Adds {@code n} stored channel messages, round-robin over the history keys of the given template
     * messages (one PRIVMSG per channel, written by the server): same envelope with a fresh id and ts.
     */
    long messages(List<Map<String, Object>> templates, long n) throws SQLException {
        long seq = counter("seq");
        long ts = System.currentTimeMillis() - n;
        List<String[]> shapes = new ArrayList<>();
        for (Map<String, Object> t : templates) {
            shapes.add(new String[] {envelopeText(t.get("envelope")), (String) t.get("id")});
        }
        Map<String, Object> first = templates.getFirst();
        try (Inserter ins = new Inserter("messages", first)) {
            for (long i = 0; i < n; i++) {
                int k = (int) (i % templates.size());
                Map<String, Object> t = templates.get(k);
                String id = UUID.randomUUID().toString();
                String[] shape = shapes.get(k);
                long at = ts + i;
                String json = shape[0].replace(shape[1], id)
                        .replaceFirst("\"ts\":\"[^\"]*\"", "\"ts\":\"" + java.time.Instant.ofEpochMilli(at) + "\"")
                        .replace("\"body\":[\"seed\"]", "\"body\":[\"seeded message " + i + "\"]");
                Map<String, Object> r = new LinkedHashMap<>(t);
                r.put("seq", ++seq);
                if (r.containsKey("recipients")) {
                    r.put("recipients", null); // history long since delivered: settled, as the server leaves it
                }
                r.put("id", id);
                r.put("ts_ms", at);
                r.put("envelope", json.getBytes(StandardCharsets.UTF_8));
                ins.add(r);
                ins.flushIfLarge();
                if (i > 0 && i % 200_000 == 0) {
                    c.commit();
                }
            }
        }
        setCounter("seq", seq);
        c.commit();
        return seq;
    }

    private static String envelopeText(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
