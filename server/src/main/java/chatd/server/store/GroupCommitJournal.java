package chatd.server.store;

import chatd.server.core.ChatError;
import chatd.server.core.Journal;
import chatd.server.core.Mutation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes every batch waiting in the queue, writes them all in one
 * transaction, then runs their after-commit actions and completes their futures, in submission order.
 * Under load, many commands share one fsync; when idle, a batch is committed at once.
 *
 * <p>Each commit borrows a connection from the pool, which validates it and opens a new one when the
 * database restarted. A commit that fails for a passing reason ({@link StoreFailures}) marks the store
 * down and is retried, with backoff, until it is durable: batches stay in order and none is answered or
 * delivered before its commit. While the store is down, and while {@link #MAX_QUEUED} batches wait,
 * {@link #admit()} refuses new writes before they change anything. When idle, the writer checks the
 * database every second, so an outage is reported without traffic and the end of one is seen at once.
 */
public final class GroupCommitJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);
    private static final int MAX_GROUP = 2000;
    /** The queue's bound: past it a write is refused (503, Retry-After) rather than held in memory. */
    static final int MAX_QUEUED = 10_000;
    /** Retry-After while the store is down, and while the queue is full. */
    static final long RETRY_AFTER_DOWN_SECONDS = 5;
    static final long RETRY_AFTER_FULL_SECONDS = 1;
    private static final long PROBE_IDLE_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 2000;
    /** At shutdown, how long batches still wait for a store that is down before they fail. */
    private static final long CLOSE_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Pending(List<Mutation> mutations, Runnable afterCommit, CompletableFuture<Void> done) {}

    private static final Pending STOP = new Pending(List.of(), () -> {}, new CompletableFuture<>());

    private final int maxQueued;
    private final JdbcStore store;
    private final DataSource pool;
    private final Supplier<long[]> counters;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile long closedAtNanos;
    /** Null while commits succeed; else the last failure, for the health check. */
    private volatile String downReason;
    private long downSinceNanos;
    /**
     * How far the stored counters run ahead of the values handed out. The counters row is then written once
     * per this many seqs or ids, not in every commit: in SQLite that row's page was one of the ~6 pages a
     * one-message commit writes to the log, in PostgreSQL one of its 4 round trips. A restart resumes from
     * the stored values, so what was reserved and not handed out is skipped: seqs and ids stay increasing,
     * with a gap.
     */
    static final long COUNTERS_AHEAD = 1000;
    /** The counters as the last commit stored them (null before the first): each is ahead of the values handed out. */
    private long[] writtenCounters;
    /** The writer thread's statements, kept across commits. */
    private final Statements.Cache statements = new Statements.Cache();
    /** Written by the writer thread only, read by metrics scrapes: see {@link #commits()}. */
    private volatile long commitCount;
    private volatile long batchesCommitted;
    private volatile long commitNanos;

    /** Totals since start: commits, batches they carried (many per commit under load), time in the store. */
    public record Commits(long commits, long batches, long nanos) {}

    public GroupCommitJournal(JdbcStore store, Supplier<long[]> counters) {
        this(store, counters, MAX_QUEUED);
    }

    GroupCommitJournal(JdbcStore store, Supplier<long[]> counters, int maxQueued) {
        this.maxQueued = maxQueued;
        this.store = store;
        this.pool = store.database().dataSource();
        this.counters = counters;
        this.writer = Thread.ofPlatform().name("chatd-journal").daemon(false).start(this::run);
    }

    @Override
    public CompletableFuture<Void> submit(List<Mutation> mutations, Runnable afterCommit) {
        Pending pending = new Pending(mutations, afterCommit, new CompletableFuture<>());
        if (closed) {
            pending.done().completeExceptionally(new IllegalStateException("the journal is closed"));
            return pending.done();
        }
        queue.add(pending);
        return pending.done();
    }

    @Override
    public void admit() {
        String reason = downReason;
        if (reason != null) {
            throw ChatError.unavailable("the store is unavailable (" + reason + "); nothing was applied, try again later",
                    RETRY_AFTER_DOWN_SECONDS);
        }
        if (queue.size() >= maxQueued) {
            throw ChatError.unavailable("the server is busy: " + maxQueued + " writes wait for the store; nothing was applied, try again later",
                    RETRY_AFTER_FULL_SECONDS);
        }
    }

    @Override
    public String unavailableReason() {
        return downReason;
    }

    @Override
    public void writeAside(List<Mutation> mutations) {
        admit();
        if (store.database().dialect() == Database.Dialect.SQLITE) {
            // SQLite has one writer at a time anyway: a second connection would only wait for the journal's.
            submit(mutations, () -> { }).join();
            return;
        }
        try (Connection c = pool.getConnection(); Statements statements = Statements.once(c)) {
            write(c, statements, mutations, null, null);
        } catch (SQLException e) {
            throw new JdbcStore.StoreException("writing client cursors", e);
        }
    }

    /** What the group commit has done so far (metrics: batches per commit, store time per commit). */
    public Commits commits() {
        return new Commits(commitCount, batchesCommitted, commitNanos);
    }

    /** Backlog of batches waiting to be written (a metric). */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        try {
            while (true) {
                group.clear();
                Pending first = queue.poll(PROBE_IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    probe();
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                boolean stop = group.remove(STOP);
                if (!group.isEmpty()) {
                    commitDurably(group);
                }
                if (stop) {
                    List<Pending> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    rest.remove(STOP);
                    if (!rest.isEmpty()) {
                        commitDurably(rest);
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    /** Idle: asks the pool for a valid connection, so that an outage (and its end) is seen without traffic. */
    private void probe() {
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(2)) {
                throw new SQLException("the database does not answer", "08000");
            }
            up();
        } catch (SQLException | RuntimeException e) {
            down(e);
        }
    }

    /** Commits the group, retrying while the failure is a passing one; at shutdown it gives up after a while. */
    private void commitDurably(List<Pending> group) {
        long backoff = 50;
        while (true) {
            Throwable failure = commitOnce(group);
            if (failure == null) {
                return;
            }
            down(failure);
            if (closed && System.nanoTime() - closedAtNanos > CLOSE_GIVE_UP_NANOS) {
                LOG.error("stopping with {} batches not committed: {}", group.size(), downReason);
                group.forEach(p -> p.done().completeExceptionally(failure));
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /**
     * One attempt: answers the passing failure to retry on, or null when the group was committed (its
     * after-commit actions run) or refused for good (only the batches at fault fail).
     */
    private Throwable commitOnce(List<Pending> group) {
        List<Mutation> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.mutations()));
        boolean committed = false;
        long[] values = reserved(counters.get());
        long started = System.nanoTime();
        try (Connection c = pool.getConnection()) {
            try {
                write(c, statements.on(c), all, values, writtenCounters);
                committed = true;
                writtenCounters = values;
                commitNanos += System.nanoTime() - started;
                commitCount++;
                batchesCommitted += group.size();
            } catch (SQLException | RuntimeException e) {
                statements.forget(c);
                rollback(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (!committed) {
                return refuse(group, e);
            }
            LOG.debug("returning a connection after its commit failed: {}", e.toString());
        }
        up();
        for (Pending p : group) {
            try {
                p.afterCommit().run();
            } catch (RuntimeException e) {
                LOG.error("after-commit action failed", e);
            }
            p.done().complete(null);
        }
        return null;
    }

    /**
     * Writes the mutations and counters as one transaction: a single statement (PostgreSQL, batched rows
     * only) runs outside a transaction block and commits as it ends, anything else between BEGIN and COMMIT.
     */
    private void write(Connection c, Statements statements, List<Mutation> mutations, long[] counters, long[] written) throws SQLException {
        boolean oneStatement = store.writesInOneStatement(mutations);
        c.setAutoCommit(oneStatement);
        store.apply(statements, mutations, counters, written);
        if (!oneStatement) {
            c.commit();
        }
    }

    /** The counters as the store is to hold them: each as stored while that covers it, else {@link #COUNTERS_AHEAD} past it. */
    private long[] reserved(long[] current) {
        long[] stored = current.clone();
        for (int i = 0; i < stored.length; i++) {
            boolean covered = writtenCounters != null && current[i] <= writtenCounters[i];
            stored[i] = covered ? writtenCounters[i] : current[i] + COUNTERS_AHEAD;
        }
        return stored;
    }

    private Throwable refuse(List<Pending> group, Throwable e) {
        if (StoreFailures.passing(e)) {
            return e;
        }
        if (group.size() > 1) {
            // One bad batch must not fail the others that happened to share its commit.
            group.forEach(p -> commitDurably(List.of(p)));
            return null;
        }
        LOG.error("commit refused by the store: {}", e.getMessage());
        group.getFirst().done().completeExceptionally(e);
        return null;
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    private void down(Throwable failure) {
        String reason = StoreFailures.describe(failure);
        if (downReason == null) {
            downSinceNanos = System.nanoTime();
            LOG.warn("store unavailable, refusing writes until it is back: {}", reason);
        }
        downReason = reason;
    }

    private void up() {
        if (downReason != null) {
            LOG.info("store is back after {} ms", (System.nanoTime() - downSinceNanos) / 1_000_000);
            downReason = null;
        }
    }

    /** Commits what is queued, then stops the writer (batches wait at most 10 s for a store that is down). */
    @Override
    public void close() {
        closedAtNanos = System.nanoTime();
        closed = true;
        queue.add(STOP);
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
