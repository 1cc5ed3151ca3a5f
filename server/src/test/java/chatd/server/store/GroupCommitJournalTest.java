package chatd.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatd.server.core.ChatError;
import chatd.server.core.Mutation;
import chatd.server.testing.TestDatabases;
import chatd.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The journal's queue is bounded: while the writer is held up, writes past the bound are refused, not held. */
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
