package chatd.server.core;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The one timer of every waiting poll: its timeout, or the end of its answer spacing. A waiting poll
 * holds no thread, only a timer entry, which is removed when the poll is answered first. Its thread also
 * writes the answers that commits bring (see {@link Inbox#append}), with the help of one writer per
 * further core when a message is due to many waiting polls at once.
 */
public final class PollTimer implements AutoCloseable {
    /**
     * Answers one thread writes before another is worth waking: a message to a channel of thousands
     * waiting members is thousands of socket writes, one after another on a single thread (the last
     * member waited for all the others); spread over the cores they end that much sooner. A handful stays
     * on one thread.
     */
    static final int ANSWERS_PER_WRITER = 64;
    /** Writers besides the timer's thread at most: the answers' socket writes share the cores with their re-polls. */
    private static final int MAX_HELPERS = 3;

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("chatd-poll-timer").daemon(true).factory());
    private final List<ExecutorService> helpers;

    public PollTimer() {
        this(Math.min(MAX_HELPERS, Runtime.getRuntime().availableProcessors() - 1));
    }

    PollTimer(int helperThreads) {
        executor.setRemoveOnCancelPolicy(true);
        helpers = IntStream.range(0, Math.max(0, helperThreads))
                .mapToObj(i -> Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chatd-poll-answers-" + i).daemon(true).factory()))
                .toList();
    }

    ScheduledFuture<?> after(long nanos, Runnable action) {
        return executor.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs the answers a commit brought on the timer's thread, which writes every other later answer
     * too: the committing thread goes on committing, and a message's answers are handed over at once.
     * Many answers are split into contiguous shares, one per writer (each answer goes to a different
     * waiting poll, so their order does not matter).
     */
    void answer(List<Runnable> due) {
        if (due.isEmpty()) {
            return;
        }
        int writers = Math.clamp(due.size() / ANSWERS_PER_WRITER, 1, helpers.size() + 1);
        int share = (due.size() + writers - 1) / writers;
        executor.execute(() -> due.subList(0, share).forEach(Runnable::run));
        for (int w = 1; w < writers; w++) {
            List<Runnable> part = due.subList(w * share, Math.min(due.size(), (w + 1) * share));
            helpers.get(w - 1).execute(() -> part.forEach(Runnable::run));
        }
    }

    /** Drops what is timed (every waiting poll has been answered by then), finishes the answers handed over. */
    @Override
    public void close() {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.shutdown();
        helpers.forEach(ExecutorService::shutdown);
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            for (ExecutorService helper : helpers) {
                helper.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
