package chatd.server.store;

import chatd.server.core.Mutation;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Rows an adapter (federation) writes under keys of their own, so that they commute with every other write
 * of the transaction: a federation event's outbox rows, the ids of applied events, the delete of outbox rows
 * a peer acknowledged. The store adds the rows of every batch in a group commit to one JDBC batch per
 * statement and writes it after the rest, instead of preparing and running a statement per event (on
 * PostgreSQL, a round trip per event).
 */
public interface BatchedRows extends Mutation.Custom {
    /** The statement; mutations with the same SQL share one prepared statement. */
    String sql();

    /** Binds this mutation's rows, calling {@link PreparedStatement#addBatch()} after each. */
    void addTo(PreparedStatement statement) throws SQLException;
}
