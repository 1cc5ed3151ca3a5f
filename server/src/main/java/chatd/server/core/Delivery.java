package chatd.server.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Long-polls (SPEC §4): a client's entries come from its session's {@link Inbox}, which has its own
 * lock (tier 1), so no poll takes the state lock. Counts the polls in progress, and answers every waiting
 * one at shutdown.
 */
final class Delivery {
    private final ChatState state;
    private final PollTimer pollTimer;
    private final AtomicInteger pollsInProgress = new AtomicInteger();
    private volatile boolean closing;

    Delivery(ChatState state, PollTimer pollTimer) {
        this.state = state;
        this.pollTimer = pollTimer;
    }

    /**
     * {@code answer} gets the entries after {@code after} as soon as there are some, or none at the
     * timeout; {@code spaced} lets a hot client's answers be spaced (see {@link Inbox}).
     */
    Inbox.Waiter poll(Client client, long after, int limit, boolean spaced, Duration timeout, Consumer<Inbox.Batch> answer) {
        pollsInProgress.incrementAndGet();
        client.pollStarted();
        try {
            return client.session().inbox().await(client, after, limit, spaced, closing ? Duration.ZERO : timeout, batch -> {
                pollEnded(client);
                answer.accept(batch);
            });
        } catch (CursorReset e) {
            pollEnded(client);
            throw e;
        }
    }

    /** The blocking form, never spaced: for readers that own a thread (the IRC gateway). */
    Inbox.Batch pollBlocking(Client client, long after, int limit, Duration timeout) throws InterruptedException {
        CompletableFuture<Inbox.Batch> done = new CompletableFuture<>();
        Inbox.Waiter waiter = poll(client, after, limit, false, timeout, done::complete);
        try {
            return done.get();
        } catch (InterruptedException e) {
            abandon(client, waiter);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Withdraws a waiting poll whose reader went away; answers false (and does nothing) if it was already answered. */
    boolean abandon(Client client, Inbox.Waiter waiter) {
        if (!waiter.cancel()) {
            return false;
        }
        pollEnded(client);
        return true;
    }

    private void pollEnded(Client client) {
        client.pollEnded(state.nowMillis());
        pollsInProgress.decrementAndGet();
    }

    /** Every waiting long-poll answers now, and new ones do not wait. */
    void shutdown() {
        closing = true;
        for (Session s : state.sessions()) {
            s.inbox().close();
        }
        pollTimer.close();
    }

    int pollsInProgress() {
        return pollsInProgress.get();
    }
}
