package chatd.server.store;

import chatd.server.core.Mutation;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Rows an adapter (federation) inserts under keys of their own, so that they commute with every other
 * write of the transaction: a federation event's outbox rows, the ids of applied events. The store adds
 * the rows of every batch in a group commit to one JDBC batch per statement and writes it after the rest,
 * instead of preparing and running a statement per event (on PostgreSQL, a round trip per event).
 */
public interface BatchedRows extends Mutation.Custom {
    /** The insert; mutations with the same SQL share one prepared statement in a transaction. */
    String sql();

    /** Binds this mutation's rows, calling {@link PreparedStatement#addBatch()} after each. */
    void addTo(PreparedStatement insert) throws SQLException;
}
