package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.server.core.ChatError;
import chatd.server.core.Mutation;
import chatd.server.testing.TestDatabases;
import chatd.server.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The journal's queue is bounded: while the writer is held up, writes past the bound are refused, not held.
 * Its statements are kept across commits, but nothing of a refused batch stays in them. Its counters are
 * stored ahead of the values handed out, so that few commits write them.
 */
class GroupCommitJournalTest {
    private static final int BOUND = 20;

    @Test
    void past_its_bound_the_queue_refuses_with_retry_after_and_drains_once_the_writer_moves() throws Exception {
        try (Database db = Database.open(TestDatabases.fresh())) {
            GroupCommitJournal journal = new GroupCommitJournal(new JdbcStore(db), () -> new long[] {0, 0, 0, 0}, BOUND);
            CountDownLatch slowDisk = new CountDownLatch(1);
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            // The first batch's after-commit action holds the writer, as a slow commit would.
            queued.add(journal.submit(List.of(stamp(0)), () -> await(slowDisk)));
            Wait.until("the writer held on its first batch", Duration.ofSeconds(10), () -> journal.backlog() == 0);
            for (int i = 1; i <= BOUND; i++) {
                journal.admit();
                queued.add(journal.submit(List.of(stamp(i)), () -> { }));
            }
            assertThatThrownBy(journal::admit).isInstanceOfSatisfying(ChatError.class, e -> {
                assertThat(e.kind()).isEqualTo(ChatError.Kind.UNAVAILABLE);
                assertThat(e.retryAfterSeconds()).isPositive();
            });
            assertThat(journal.backlog()).isEqualTo(BOUND);

            slowDisk.countDown();
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            journal.admit();
            journal.close();
        }
    }

    @Test
    void a_batch_refused_half_way_leaves_nothing_behind_in_the_kept_statements() throws Exception {
        try (Database db = Database.open(TestDatabases.fresh())) {
            JdbcStore store = new JdbcStore(db);
            GroupCommitJournal journal = new GroupCommitJournal(store, () -> new long[] {0, 0, 0, 0});
            journal.submit(List.of(message(1)), () -> { }).get(10, TimeUnit.SECONDS);
            // Message 2 is bound into the kept insert, then the same batch fails for good before it is written.
            CompletableFuture<Void> refused = journal.submit(List.of(message(2), refusedRow()), () -> { });
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
            journal.submit(List.of(message(3)), () -> { }).get(10, TimeUnit.SECONDS);
            journal.close();

            assertThat(store.seqOf("#c", "m1")).hasValue(1);
            assertThat(store.seqOf("#c", "m2")).isEmpty();
            assertThat(store.seqOf("#c", "m3")).hasValue(3);
        }
    }

    @Test
    void the_counters_row_is_written_once_per_thousand_seqs_and_always_covers_those_handed_out() throws Exception {
        try (Database db = Database.open(TestDatabases.fresh())) {
            JdbcStore store = new JdbcStore(db);
            AtomicLong seq = new AtomicLong();
            GroupCommitJournal journal = new GroupCommitJournal(store, () -> new long[] {seq.get(), 1, 1, 1});
            Set<Long> stored = new TreeSet<>();
            for (int i = 0; i < 2100; i++) {
                long handedOut = seq.incrementAndGet();
                journal.submit(List.of(message(handedOut)), () -> { }).get(10, TimeUnit.SECONDS);
                long inStore = storedSeq(db);
                assertThat(inStore).as("the stored seq after commit %d", handedOut).isGreaterThanOrEqualTo(handedOut);
                stored.add(inStore);
            }
            journal.close();

            assertThat(stored).containsExactly(1001L, 2002L, 3003L);
            assertThat(store.load(0).counters()).as("what a restart resumes from").containsExactly(3003, 1001, 1001, 1001);
        }
    }

    private static long storedSeq(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT value FROM counters WHERE name = 'seq'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Mutation message(long seq) {
        byte[] json = ("{\"id\":\"m" + seq + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Mutation.StoreMessage(seq, "m" + seq, "#c", "PRIVMSG", seq, json, List.of());
    }

    /** Rows the store refuses for good (an integrity violation, not a passing failure). */
    private static BatchedRows refusedRow() {
        return new BatchedRows() {
            @Override
            public String sql() {
                return "INSERT INTO hashcash_stamps(stamp, spent_ms) VALUES (?, ?)";
            }

            @Override
            public void addTo(PreparedStatement statement) throws SQLException {
                throw new SQLException("refused row", "23505");
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Mutation stamp(int i) {
        return new Mutation.SpendStamp("stamp-" + i, i);
    }
}
