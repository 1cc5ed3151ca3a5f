package chatd.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and schema of one store: SQLite (WAL checkpointed in the background, synchronous=NORMAL,
 * foreign keys, busy timeout) or PostgreSQL, chosen by the JDBC URL. Migrations run at start-up. Every write borrows a
 * connection (see {@link GroupCommitJournal}), so a restarted database is reconnected by the pool.
 */
public final class Database implements AutoCloseable {
    public enum Dialect { SQLITE, POSTGRESQL }

    private final Dialect dialect;
    private final HikariDataSource pool;
    /** SQLite only (else null): copies the write-ahead log into the database off the writer's thread. */
    private final WalCheckpointer checkpointer;

    private Database(Dialect dialect, HikariDataSource pool, WalCheckpointer checkpointer) {
        this.dialect = dialect;
        this.pool = pool;
        this.checkpointer = checkpointer;
    }

    public static Database open(String jdbcUrl) {
        Dialect dialect = jdbcUrl.startsWith("jdbc:sqlite:") ? Dialect.SQLITE : Dialect.POSTGRESQL;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("chatd-" + dialect.name().toLowerCase());
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(jdbcUrl);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("journal_size_limit", Long.toString(WalCheckpointer.LOG_SIZE_LIMIT_BYTES));
            config.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + WalCheckpointer.BACKSTOP_PAGES);
            config.setMaximumPoolSize(4);
        } else {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.setMaximumPoolSize(8);
        }
        // The pool, not chatd, keeps connections alive: it validates one that sat idle before lending it,
        // drops one that failed with a connection error, and opens new ones (with backoff) once the
        // database answers again. A borrow waits at most 3 s, so an outage is reported within seconds.
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        config.setKeepaliveTime(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            // db/migration holds both engines' scripts, db/sqlite SQLite's own (V9). A version taken in one folder
            // is never used in the other: shared scripts go on from V10.
            String[] locations = dialect == Dialect.SQLITE
                    ? new String[] {"classpath:db/migration", "classpath:db/sqlite"}
                    : new String[] {"classpath:db/migration"};
            Flyway.configure()
                    .dataSource(pool)
                    .locations(locations)
                    .placeholders(java.util.Map.of("bytes", dialect == Dialect.SQLITE ? "BLOB" : "BYTEA"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(dialect, pool, dialect == Dialect.SQLITE ? new WalCheckpointer(pool, sqliteFile(jdbcUrl)) : null);
    }

    /** The file of a jdbc:sqlite: URL, or null for an in-memory database or a URI this does not read. */
    private static Path sqliteFile(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
        return file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:") ? null : Path.of(file).toAbsolutePath();
    }

    private static void createParentDirectory(String jdbcUrl) {
        Path file = sqliteFile(jdbcUrl);
        if (file == null) {
            return;
        }
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the database directory " + parent + ": " + e.getMessage(), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
        }
        pool.close();
    }
}
