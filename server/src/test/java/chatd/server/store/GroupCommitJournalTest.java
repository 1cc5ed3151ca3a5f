package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import chatd.server.core.ChatError;
import chatd.server.core.Mutation;
import chatd.server.core.Snapshot;
import chatd.server.testing.TestDatabases;
import chatd.server.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
import java.util.function.Consumer;
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
            // Message 2 shares its batch, and its commit, with a row the store refuses for good.
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

    @Test
    void a_client_touched_twice_in_one_commit_keeps_its_last_cursor() throws Exception {
        try (Database db = Database.open(TestDatabases.fresh())) {
            JdbcStore store = new JdbcStore(db);
            GroupCommitJournal journal = new GroupCommitJournal(store, () -> new long[] {0, 0, 0, 0});
            journal.submit(List.of(new Mutation.SaveSession(1, "ann", null, null, 0),
                    new Mutation.SaveClient(7, 1, "token-hash", 0, "phone", 0),
                    new Mutation.SaveClient(8, 1, "other-hash", 0, "laptop", 0)), () -> { }).get(10, TimeUnit.SECONDS);
            // One commit: client 7 acknowledges 5, then 3 (the later write is the one that holds), client 8 acknowledges 4.
            journal.submit(List.of(new Mutation.TouchClient(7, 1, 5, 50, 0), new Mutation.TouchClient(8, 1, 4, 40, 0),
                    new Mutation.TouchClient(7, 1, 3, 60, 0)), () -> { }).get(10, TimeUnit.SECONDS);
            journal.close();

            assertThat(store.load(0).clients()).extracting(Snapshot.ClientRow::id, Snapshot.ClientRow::ackedSeq, Snapshot.ClientRow::lastSeenMillis)
                    .containsExactly(tuple(7L, 3L, 60L), tuple(8L, 4L, 40L));
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

    /** A row the store refuses for good (an integrity violation, not a passing failure): a stamp without its time. */
    private static BatchedRows refusedRow() {
        return new BatchedRows() {
            @Override
            public RowStatement statement() {
                return RowStatement.insert("hashcash_stamps(stamp, spent_ms)", "", RowStatement.Column.TEXT, RowStatement.Column.BIGINT);
            }

            @Override
            public void forEachRow(Consumer<Object[]> row) {
                row.accept(new Object[] {"refused", null});
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
