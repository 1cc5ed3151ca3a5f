package chatd.server.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a failure that passes (the database is unreachable or restarting, the disk is full, the file is
 * read-only or locked) from one that a retry cannot fix (a constraint broken by a bug). The journal
 * retries the first kind until it commits and refuses new writes meanwhile.
 */
final class StoreFailures {
    /** SQLite primary result codes that an operator or time can clear: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL. */
    private static final int[] SQLITE_PASSING = {5, 6, 8, 10, 13, 14, 15};

    private StoreFailures() {}

    static boolean passing(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException e && (passingState(e.getSQLState()) || passingSqlite(e))) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL classes: 08 connection, 53 insufficient resources, 57P operator intervention, 58 system/I/O,
     * 40 rollback; and 25006, a read-only transaction (connected to a standby during a failover).
     */
    private static boolean passingState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.startsWith("58") || state.startsWith("40") || state.equals("25006"));
    }

    private static boolean passingSqlite(SQLException e) {
        if (!e.getClass().getName().startsWith("org.sqlite.")) {
            return false;
        }
        int primary = e.getErrorCode() & 0xff;
        for (int code : SQLITE_PASSING) {
            if (primary == code) {
                return true;
            }
        }
        return false;
    }

    /** One short line for the health check and the log (a failed JDBC batch names its cause, not its SQL). */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && !(root instanceof SQLException)) {
            root = root.getCause();
        }
        if (root instanceof SQLException e && e.getNextException() != null) {
            root = e.getNextException();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }
}
