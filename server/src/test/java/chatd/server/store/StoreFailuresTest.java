package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which failures the journal waits out (retrying) and which it refuses for good. */
class StoreFailuresTest {
    @Test
    void an_unreachable_or_restarting_database_passes() {
        assertThat(StoreFailures.passing(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(StoreFailures.passing(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(StoreFailures.passing(new SQLException("could not extend file: No space left on device", "53100"))).isTrue();
        assertThat(StoreFailures.passing(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(StoreFailures.passing(new RuntimeException("writing", new SQLException("x", "08006")))).isTrue();
    }

    @Test
    void sqlite_locked_full_and_read_only_pass() {
        assertThat(StoreFailures.passing(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY))).isTrue();
        assertThat(StoreFailures.passing(new SQLiteException("full", SQLiteErrorCode.SQLITE_FULL))).isTrue();
        assertThat(StoreFailures.passing(new SQLiteException("readonly", SQLiteErrorCode.SQLITE_READONLY_DBMOVED))).isTrue();
    }

    @Test
    void a_broken_constraint_does_not() {
        assertThat(StoreFailures.passing(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(StoreFailures.passing(new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY))).isFalse();
        assertThat(StoreFailures.passing(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void a_failed_batch_is_described_by_its_cause_not_its_sql() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO messages ... was aborted", "57P01", new int[0]);
        batch.setNextException(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        assertThat(StoreFailures.describe(batch)).isEqualTo("FATAL: terminating connection due to administrator command");
    }
}
