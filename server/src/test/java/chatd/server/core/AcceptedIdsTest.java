package chatd.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Idempotent sends: a repeated id gets the first send's outcome, committing or committed; a failed one runs again. */
class AcceptedIdsTest {
    private static final String ID = "6f1c3b2a-8d4e-4f5a-9b6c-7d8e9f0a1b2c";

    @Test
    void a_repeat_joins_the_send_still_committing_and_later_gets_its_created_id() {
        AcceptedIds ids = new AcceptedIds(100);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        ids.accepted(ID, outcome);
        assertThat(ids.outcomeOf(ID)).isSameAs(outcome);
        outcome.complete(ID);
        assertThat(ids.outcomeOf(ID)).isCompletedWithValue(ID);
        assertThat(ids.outcomeOf("not-" + ID)).isNull();
    }

    @Test
    void a_send_that_created_nothing_is_answered_nothing_again() {
        AcceptedIds ids = new AcceptedIds(100);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        ids.accepted("join-1", outcome);
        outcome.complete(null);
        ids.accepted("other", CompletableFuture.completedFuture("other")); // settles the first into the ring
        assertThat(ids.outcomeOf("join-1")).isCompletedWithValue(null);
    }

    @Test
    void a_failed_send_is_forgotten_even_before_its_failure_is_reported() {
        AcceptedIds ids = new AcceptedIds(100);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        ids.accepted(ID, outcome);
        outcome.completeExceptionally(new IllegalStateException("store refused"));
        assertThat(ids.outcomeOf(ID)).as("settled away, not remembered").isNull();
        ids.failed(ID, outcome);
        CompletableFuture<String> retry = new CompletableFuture<>();
        ids.accepted(ID, retry);
        assertThat(ids.outcomeOf(ID)).isSameAs(retry);
    }

    @Test
    void restored_ids_are_answered_and_only_the_last_max_are_kept() {
        AcceptedIds ids = new AcceptedIds(3);
        ids.restore("a");
        for (String id : new String[] {"b", "c", "d"}) {
            ids.accepted(id, CompletableFuture.completedFuture(id));
        }
        ids.outcomeOf("d"); // settles
        assertThat(ids.outcomeOf("a")).as("the oldest went").isNull();
        assertThat(ids.outcomeOf("b")).isCompletedWithValue("b");
        assertThat(ids.outcomeOf("d")).isCompletedWithValue("d");
    }
}
