package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The two halves of the pipelined relay: the sender's in-memory outbox tail (when it may be trusted,
 * and when the store must be read instead) and the receiver's ordering of pipelined batches.
 */
class FederationPipelineTest {
    private static List<Long> seqs(List<FederationStore.OutboxRow> rows) {
        return rows.stream().map(FederationStore.OutboxRow::seq).toList();
    }

    @Test
    void tail_is_trusted_only_from_the_first_row_it_saw() {
        OutboxTail tail = new OutboxTail();
        assertThat(tail.after(0, 10)).as("nothing seen yet: rows may be in the store").isNull();
        tail.add(5, "e5");
        tail.add(7, "e7");
        assertThat(tail.after(0, 10)).as("rows before 5 may exist only in the store").isNull();
        assertThat(seqs(tail.after(4, 10))).containsExactly(5L, 7L);
        assertThat(seqs(tail.after(5, 1))).containsExactly(7L);
        tail.ack(5);
        assertThat(seqs(tail.after(4, 10))).containsExactly(7L);
    }

    @Test
    void tail_overflow_falls_back_to_the_store_until_the_sender_catches_up() {
        OutboxTail tail = new OutboxTail(2);
        tail.add(1, "e1");
        tail.add(2, "e2");
        tail.add(3, "e3");
        assertThat(tail.after(0, 10)).as("1 and 2 were dropped from memory").isNull();
        assertThat(seqs(tail.after(2, 10))).containsExactly(3L);
    }

    @Test
    void pipelined_batch_waits_for_the_one_before_it() throws Exception {
        RelayOrder order = new RelayOrder();
        assertThat(order.awaitTurn("alpha", "run1", 10, 0)).as("nothing applied yet").isFalse();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            try {
                return order.awaitTurn("alpha", "run1", 10, 10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        order.applied("alpha", "run1", 4);
        assertThat(order.awaitTurn("alpha", "run1", 10, 0)).as("applied up to 4 only").isFalse();
        order.applied("alpha", "run1", 10);
        assertThat(second.get()).isTrue();
        order.applied("alpha", "run1", 7);
        assertThat(order.awaitTurn("alpha", "run1", 10, 0)).as("a late resend does not move it back").isTrue();
        assertThat(order.awaitTurn("beta", "run1", 10, 0)).as("per peer").isFalse();
        order.applied("alpha", "run2", 1);
        assertThat(order.awaitTurn("alpha", "run1", 10, 0)).as("a new sender run starts over").isFalse();
        assertThat(order.awaitTurn("alpha", "run2", 1, 0)).isTrue();
    }
}
