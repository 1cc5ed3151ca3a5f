package chatd.server.core;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of every waiting poll: its timeout, or the end of its answer spacing. A waiting poll
 * holds no thread, only a timer entry, which is removed when the poll is answered first. Its thread also
 * writes the answers that commits bring (see {@link Inbox#append}).
 */
public final class PollTimer implements AutoCloseable {
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("chatd-poll-timer").daemon(true).factory());

    public PollTimer() {
        executor.setRemoveOnCancelPolicy(true);
    }

    ScheduledFuture<?> after(long nanos, Runnable action) {
        return executor.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs the answers a commit brought on the timer's thread, which writes every other later answer
     * too: the committing thread goes on committing, and a message's answers are handed over at once.
     */
    void answer(List<Runnable> due) {
        if (!due.isEmpty()) {
            executor.execute(() -> due.forEach(Runnable::run));
        }
    }

    /** Drops what is timed (every waiting poll has been answered by then), finishes the answers handed over. */
    @Override
    public void close() {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
