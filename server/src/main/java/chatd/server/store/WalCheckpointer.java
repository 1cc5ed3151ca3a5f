package chatd.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file on a thread of its own. By default SQLite
 * does it inside the commit that takes the log past 1,000 pages: under load the journal's writer then
 * waited, every second or two, for the copy and three fsyncs (30-45 ms on this machine's disk, strace), and
 * every batch queued behind that commit waited with it. Here the writer checkpoints only as a backstop, once
 * the log passes {@link #BACKSTOP_PAGES} (the log cannot start over while commits keep arriving during
 * every background copy), and by then finds almost every page copied and synced already. SQLite syncs the
 * database file only at a checkpoint that reaches the end of the log, which under constant writes is the
 * writer's; so this thread syncs the file itself after each copy (through a descriptor of its own: a sync
 * writes the file's pages whoever wrote them), and the writer's sync finds little left to write.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** Set on every connection ({@code wal_autocheckpoint}): the commit past this many log pages checkpoints itself. */
    static final int BACKSTOP_PAGES = 10_000;
    /**
     * Set on every connection ({@code journal_size_limit}): a log that one large transaction grew past this
     * (an upgrade that rebuilds a table) is cut back to it when it next starts over, instead of keeping its
     * size on disk for as long as the server runs. Above the backstop's ~40 MiB, so a usual log never is.
     */
    static final long LOG_SIZE_LIMIT_BYTES = 64L << 20;
    /** Not on the path of any write: commits never wait for this thread. */
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final DataSource pool;
    /** The database file, synced after each copy; null for a database SQLite keeps in memory. */
    private final Path file;
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;
    /** Log frames copied into the database as of the last checkpoint: the file is synced when it changed. */
    private long copied;

    WalCheckpointer(DataSource pool, Path file) {
        this.pool = pool;
        this.file = file;
        this.thread = Thread.ofPlatform().name("chatd-wal-checkpoint").daemon(true).start(this::run);
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(INTERVAL_NANOS);
            if (!closed) {
                checkpoint();
            }
        }
    }

    /** Copies the log, then syncs the database file if the copy wrote to it; a failure waits for the next round. */
    private void checkpoint() {
        try {
            long nowCopied = copy();
            if (file != null && nowCopied != copied) {
                try (FileChannel db = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    db.force(false);
                }
            }
            copied = nowCopied;
            failing = false;
        } catch (SQLException | IOException | RuntimeException e) {
            // The journal reports a store that is down; this only stops logging until it works again.
            if (!failing) {
                LOG.warn("background WAL checkpoint failed (commits checkpoint themselves meanwhile): {}", e.getMessage());
            }
            failing = true;
        }
    }

    /**
     * A passive checkpoint: copies the frames no reader still needs and never blocks the writer (with nothing
     * new to copy it costs a lock and a look at the log's header). Answers the frames copied so far.
     */
    private long copy() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return rs.getLong(3);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
