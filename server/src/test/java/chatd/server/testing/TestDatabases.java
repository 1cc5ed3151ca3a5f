package chatd.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database for each test server: a SQLite file in a temp directory, or — when
 * {@code CHATD_TEST_PG_URL} names a PostgreSQL server (e.g. {@code jdbc:postgresql://127.0.0.1:5433/postgres?user=postgres})
 * — a new database created on it. {@code .ci/run} runs the whole suite once each way.
 */
public final class TestDatabases {
    private static final String PG = System.getenv("CHATD_TEST_PG_URL");

    private TestDatabases() {}

    public static boolean postgres() {
        return PG != null && !PG.isBlank();
    }

    public static String engine() {
        return postgres() ? "postgresql" : "sqlite";
    }

    /** The PostgreSQL server's own URL (its maintenance database), for statements about test databases. */
    public static String adminUrl() {
        return PG;
    }

    /** A JDBC URL of a new empty database. */
    public static String fresh() {
        if (postgres()) {
            String name = "chatd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test database on " + PG + ": " + e.getMessage(), e);
            }
            return PG.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
        }
        try {
            Path dir = Files.createTempDirectory("chatd-test");
            return "jdbc:sqlite:" + dir.resolve("chatd.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
