package chatd.server.irc;

import chatd.server.core.ChatCore;
import chatd.server.core.ChatError;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The commits of a connection's commands that the reader submitted without waiting for them (pipelining),
 * oldest first. The reader goes on to the next line while they commit, at most {@link #LIMIT} ahead; it
 * settles them, in order, before it writes a line of its own, so that line follows every reply to the
 * commands before it. A commit that failed (the store is down) is reported as the blocking path reported
 * it, in its place among the replies. Reader thread only.
 */
final class InFlightCommits {
    /** Commands a connection may have in flight; past it the reader waits for the oldest and TCP pushes back. */
    static final int LIMIT = 64;

    private record InFlight(CompletableFuture<String> commit, long submittedNanos) {}

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Consumer<ChatError> failed;
    /** While a failure is reported: the report itself is a reply, which must not settle the later commits first. */
    private boolean reporting;

    /** @param failed reports a command whose commit failed or did not come in time */
    InFlightCommits(Consumer<ChatError> failed) {
        this.failed = failed;
    }

    /** A submitted command's commit; when {@link #LIMIT} are in flight, waits for the oldest first. */
    void add(CompletableFuture<String> commit) {
        while (!inFlight.isEmpty() && (inFlight.peekFirst().commit().isDone() || inFlight.size() >= LIMIT)) {
            settleOldest();
        }
        inFlight.addLast(new InFlight(commit, System.nanoTime()));
    }

    /** Waits for every commit in flight, reporting each failure in turn. */
    void settle() {
        if (reporting) {
            return;
        }
        while (!inFlight.isEmpty()) {
            settleOldest();
        }
    }

    /**
     * How long the reader may wait for its next line before the oldest commit is due to be reported as not
     * committed ({@link ChatCore#COMMIT_WAIT} after its submission); {@code Long.MAX_VALUE} with none in flight.
     */
    long millisUntilDue() {
        InFlight oldest = inFlight.peekFirst();
        if (oldest == null) {
            return Long.MAX_VALUE;
        }
        long left = oldest.submittedNanos() + ChatCore.COMMIT_WAIT.toNanos() - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    private void settleOldest() {
        InFlight oldest = inFlight.removeFirst();
        try {
            ChatCore.await(oldest.commit(), oldest.submittedNanos());
        } catch (ChatError e) {
            reporting = true;
            try {
                failed.accept(e);
            } finally {
                reporting = false;
            }
        }
    }
}
