package chatd.server.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable write path. {@link #submit} must be called in event order (the core calls it under the
 * state lock); batches are committed in that order, then each batch's {@code afterCommit} runs, then its
 * future completes. A commit failure fails the future and the afterCommit never runs.
 */
public interface Journal {
    CompletableFuture<Void> submit(List<Mutation> mutations, Runnable afterCommit);

    /**
     * Writes order-insensitive bookkeeping (client cursors) at once, on its own connection and outside the
     * commit order, so that a thousand cursors never hold up the batches that users wait for.
     */
    void writeAside(List<Mutation> mutations);
}
