package chatd.server;

import chatd.server.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The database as the operator's page shows it: which one, and whether a trivial query answers, how fast. */
final class DatabaseProbe implements Supplier<Object> {
    private final Database database;

    DatabaseProbe(Database database) {
        this.database = database;
    }

    @Override
    public Object get() {
        String dialect = database.dialect().name().toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            return Map.of("dialect", dialect, "ok", true, "query_ms", (System.nanoTime() - start) / 1e6);
        } catch (SQLException e) {
            return Map.of("dialect", dialect, "ok", false, "error", String.valueOf(e.getMessage()));
        }
    }
}
