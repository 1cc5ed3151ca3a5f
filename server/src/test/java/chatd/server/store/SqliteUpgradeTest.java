package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import chatd.cli.api.ApiClient;
import chatd.server.testing.Drain;
import chatd.server.testing.TestDatabases;
import chatd.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite store written before V9 (seq a separate unique index, not the rowid) is rebuilt at start-up with
 * everything in it: a reader's queued messages are delivered after the upgrade, and history is whole.
 */
class SqliteUpgradeTest {
    @Test
    void a_store_from_before_seq_became_the_rowid_keeps_its_queues_and_history(@TempDir Path dir) throws SQLException {
        assumeThat(TestDatabases.postgres()).as("SQLite's own migration").isFalse();
        Path written = dir.resolve("written.db");
        List<String> sent = new ArrayList<>();
        String bobToken;
        String aliceToken;
        long bobCursor;
        try (TestServer server = TestServer.start(Map.of("DBURL", "jdbc:sqlite:" + written))) {
            ApiClient alice = server.client();
            aliceToken = alice.createSession("alice").token();
            ApiClient bob = server.client();
            bobToken = bob.createSession("bob").token();
            alice.send("JOIN", "#upgrade");
            bob.send("JOIN", "#upgrade");
            bobCursor = Drain.privmsgIds(bob, 0, new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                sent.add(alice.privmsg("#upgrade", "m" + i));
            }
        }

        // The same rows in a store whose schema is V8's, as a server before this migration left it.
        Path old = dir.resolve("v8.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + old, null, null).locations("classpath:db/migration")
                .placeholders(Map.of("bytes", "BLOB")).target("8").load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
            s.execute("ATTACH DATABASE '" + written + "' AS written");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM written.sqlite_master WHERE type = 'table' "
                    + "AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("INSERT INTO main." + table + " SELECT * FROM written." + table);
            }
            assertThat(count(s, "SELECT count(*) FROM main.messages")).isGreaterThanOrEqualTo(sent.size());
            assertThat(count(s, "SELECT count(*) FROM main.sqlite_master WHERE name = 'sqlite_autoindex_messages_1'"))
                    .as("V8's messages keep seq in an index of its own").isEqualTo(1);
        }

        try (TestServer server = TestServer.start(Map.of("DBURL", "jdbc:sqlite:" + old))) {
            List<String> delivered = new ArrayList<>();
            Drain.privmsgIds(server.client().token(bobToken), bobCursor, delivered);
            assertThat(delivered).as("bob's queue, delivered after the upgrade").isEqualTo(sent);
            List<String> history = new ArrayList<>();
            server.client().token(aliceToken).history("#upgrade", null, 100).forEach(m -> {
                if (m.path("command").asText().equals("PRIVMSG")) {
                    history.add(m.path("id").asText());
                }
            });
            assertThat(history).isEqualTo(sent);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
                assertThat(count(s, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_%' "
                        + "AND tbl_name IN ('messages', 'federation_outbox', 'inbox')")).as("seq is the rowid; inbox is its key").isZero();
            }
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
