package chatd.server.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable write path. {@link #submit} must be called in event order (the core calls it under the
 * state lock); batches are committed in that order, then each batch's {@code afterCommit} runs, then its
 * future completes. A commit that fails for a passing reason (the database is unreachable, the disk is
 * full) is retried until it is durable; nothing behind it is committed first. Only a batch the store
 * refuses for good fails its future, and its afterCommit never runs.
 */
public interface Journal {
    CompletableFuture<Void> submit(List<Mutation> mutations, Runnable afterCommit);

    /**
     * Writes order-insensitive bookkeeping (client cursors) at once, on its own connection and outside the
     * commit order, so that a thousand cursors never hold up the batches that users wait for.
     */
    void writeAside(List<Mutation> mutations);

    /**
     * Called before a write changes anything: refuses it ({@link ChatError#unavailable}) while the store
     * is down or the queue of batches is full, so that nothing is applied that could not be committed soon.
     */
    void admit();

    /** Null while the store takes writes; else why it does not (the health check shows it). */
    String unavailableReason();
}
