package chatd.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Takes a test server's database away without stopping the database server: on SQLite another
 * connection holds the write lock (the journal's writes end in SQLITE_BUSY), on PostgreSQL the database
 * stops accepting connections and its open ones are terminated. {@link #close()} ends the outage.
 */
public final class StoreOutage implements AutoCloseable {
    private final String dbUrl;
    private Connection holder;

    private StoreOutage(String dbUrl) {
        this.dbUrl = dbUrl;
    }

    public static StoreOutage begin(String dbUrl) throws SQLException {
        StoreOutage outage = new StoreOutage(dbUrl);
        outage.start();
        return outage;
    }

    private void start() throws SQLException {
        if (dbUrl.startsWith("jdbc:sqlite:")) {
            holder = DriverManager.getConnection(dbUrl);
            try (Statement s = holder.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
            }
            return;
        }
        try (Connection admin = DriverManager.getConnection(TestDatabases.adminUrl()); Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS false");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName() + "'");
        }
    }

    private String databaseName() {
        return dbUrl.replaceFirst("jdbc:postgresql://[^/]+/([^?]*).*", "$1");
    }

    @Override
    public void close() throws SQLException {
        if (holder != null) {
            try (Statement s = holder.createStatement()) {
                s.execute("ROLLBACK");
            }
            holder.close();
            return;
        }
        try (Connection admin = DriverManager.getConnection(TestDatabases.adminUrl()); Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS true");
        }
    }
}
