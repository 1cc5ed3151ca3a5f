package chatd.server.store;

import chatd.server.core.Mutation;
import java.util.function.Consumer;

/**
 * Rows an adapter (federation) writes under keys of their own, so that they commute with every other write
 * of the transaction: a federation event's outbox rows, the ids of applied events, the delete of outbox rows
 * a peer acknowledged. The store adds the rows of every batch in a group commit to one batch per statement,
 * instead of running a statement per event (on PostgreSQL, a round trip per event).
 */
public interface BatchedRows extends Mutation.Custom {
    /** The statement; mutations with the same statement share one batch. */
    RowStatement statement();

    /** Hands each row's values, in the statement's column order, to {@code row}; called when the journal writes them. */
    void forEachRow(Consumer<Object[]> row);
}
