package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import chatd.server.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's write-ahead log is copied into the database file by the background checkpointer, not by the
 * commit that fills it: writes far below SQLite's own threshold reach the file, and a writing connection
 * checkpoints only past the backstop.
 */
class WalCheckpointerTest {
    @Test
    void committed_pages_reach_the_database_file_without_any_commit_checkpointing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chatd.db");
        try (Database db = Database.open("jdbc:sqlite:" + file)) {
            long before = Files.size(file);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(WalCheckpointer.BACKSTOP_PAGES);
                }
                s.execute("CREATE TABLE filler(id INTEGER PRIMARY KEY, body BLOB)");
                // ~200 pages of 4 KiB: a fifth of SQLite's default threshold, so no commit checkpoints them.
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO filler(body) VALUES (?)")) {
                    for (int i = 0; i < 200; i++) {
                        insert.setBytes(1, new byte[3000]);
                        insert.executeUpdate();
                    }
                }
            }
            Wait.until("the log copied into the database file", Duration.ofSeconds(10),
                    () -> file.toFile().length() >= before + 200 * 3000);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM filler")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(200);
            }
        }
    }
}
