package chatd.server.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of every waiting poll: its timeout, or the end of its answer spacing. A waiting poll
 * holds no thread, only a timer entry, which is removed when the poll is answered first.
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

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
