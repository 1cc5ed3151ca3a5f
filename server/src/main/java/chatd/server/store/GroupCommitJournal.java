package chatd.server.store;

import chatd.server.core.Journal;
import chatd.server.core.Mutation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes every batch waiting in the queue, writes them all in one
 * transaction, then runs their after-commit actions and completes their futures, in submission order.
 * Under load, many commands share one fsync; when idle, a batch is committed at once.
 */
public final class GroupCommitJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);
    private static final int MAX_GROUP = 2000;

    private record Pending(List<Mutation> mutations, Runnable afterCommit, CompletableFuture<Void> done) {}

    private static final Pending STOP = new Pending(List.of(), () -> {}, new CompletableFuture<>());

    private final JdbcStore store;
    private final Supplier<long[]> counters;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public GroupCommitJournal(JdbcStore store, Supplier<long[]> counters) {
        this.store = store;
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
    public void writeAside(List<Mutation> mutations) {
        if (store.database().dialect() == Database.Dialect.SQLITE) {
            // SQLite has one writer at a time anyway: a second connection would only wait for the journal's.
            submit(mutations, () -> { }).join();
            return;
        }
        try (Connection c = store.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            store.apply(c, mutations, null);
            c.commit();
        } catch (SQLException e) {
            throw new JdbcStore.StoreException("writing client cursors", e);
        }
    }

    /** Backlog of batches waiting to be written (a metric). */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        try (Connection c = store.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            while (true) {
                group.clear();
                group.add(queue.take());
                queue.drainTo(group, MAX_GROUP - 1);
                boolean stop = group.remove(STOP);
                if (!group.isEmpty()) {
                    commit(c, group);
                }
                if (stop) {
                    drainRemaining(c);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.error("journal writer lost its connection: {}", e.getMessage());
            group.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private void drainRemaining(Connection c) {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.remove(STOP);
        if (!rest.isEmpty()) {
            commit(c, rest);
        }
    }

    private void commit(Connection c, List<Pending> group) {
        List<Mutation> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.mutations()));
        try {
            store.apply(c, all, counters.get());
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (group.size() > 1) {
                // One bad batch must not fail the others that happened to share its commit.
                group.forEach(p -> commit(c, List.of(p)));
            } else {
                LOG.error("commit failed: {}", e.getMessage());
                group.getFirst().done().completeExceptionally(e);
            }
            return;
        }
        for (Pending p : group) {
            try {
                p.afterCommit().run();
            } catch (RuntimeException e) {
                LOG.error("after-commit action failed", e);
            }
            p.done().complete(null);
        }
    }

    /** Commits what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
