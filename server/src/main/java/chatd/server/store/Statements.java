package chatd.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a transaction's statements come from. The journal's are kept open on each physical connection and
 * used again by its next commits on that connection ({@link Cache}): SQLite compiles a statement at every
 * prepare, which was a fifth of the journal thread's time when each commit prepared its statements again.
 * Any other transaction prepares its own ({@link #once}), closed when it ends.
 */
final class Statements implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared;
    private final boolean kept;

    private Statements(Connection connection, Map<String, PreparedStatement> prepared, boolean kept) {
        this.connection = connection;
        this.prepared = prepared;
        this.kept = kept;
    }

    /** Statements for one transaction on {@code c}, closed with it. */
    static Statements once(Connection c) {
        return new Statements(c, new HashMap<>(), false);
    }

    /** The transaction's connection, for mutations that write their own SQL ({@link SqlMutation}). */
    Connection connection() {
        return connection;
    }

    /** The statement for {@code sql}, prepared at its first use on this connection. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close() {
        if (!kept) {
            closeAll(prepared);
        }
    }

    private static void closeAll(Map<String, PreparedStatement> statements) {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is broken or closed: so is the statement
            }
        }
        statements.clear();
    }

    /**
     * The journal writer's statements, by physical connection (the pool lends a proxy for each commit, whose
     * statements it closes when the connection is returned). Used by one thread.
     */
    static final class Cache {
        private final Map<Connection, Map<String, PreparedStatement>> byConnection = new IdentityHashMap<>();

        /** Statements for a transaction on {@code pooled}: those kept from earlier commits on its physical connection. */
        Statements on(Connection pooled) throws SQLException {
            Connection physical = pooled.unwrap(Connection.class);
            Map<String, PreparedStatement> kept = byConnection.get(physical);
            if (kept == null) {
                dropClosed();
                kept = new HashMap<>();
                byConnection.put(physical, kept);
            }
            return new Statements(physical, kept, true);
        }

        /** After a failed transaction: its statements may hold half-run batches, so they are prepared again. */
        void forget(Connection pooled) {
            try {
                Map<String, PreparedStatement> kept = byConnection.remove(pooled.unwrap(Connection.class));
                if (kept != null) {
                    closeAll(kept);
                }
            } catch (SQLException e) {
                dropClosed();
            }
        }

        /** Connections the pool closed (evicted after a failure, or retired) take their statements with them. */
        private void dropClosed() {
            List<Connection> closed = new ArrayList<>();
            for (Connection c : byConnection.keySet()) {
                try {
                    if (c.isClosed()) {
                        closed.add(c);
                    }
                } catch (SQLException e) {
                    closed.add(c);
                }
            }
            closed.forEach(byConnection::remove);
        }
    }
}
