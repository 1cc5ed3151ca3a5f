package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The seen-ids window: a duplicate is refused within it, forgotten after it, and the set stays bounded. */
class DedupTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void an_id_is_first_once_within_the_window_and_again_after_it() {
        Dedup dedup = new Dedup(clock, Duration.ofMinutes(10), 1000);
        assertThat(dedup.firstTime("a")).isTrue();
        assertThat(dedup.firstTime("a")).isFalse();
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(dedup.firstTime("a")).isTrue();
    }

    @Test
    void a_restored_id_keeps_its_time_and_a_forgotten_one_is_new_again() {
        Dedup dedup = new Dedup(clock, Duration.ofMinutes(10), 1000);
        dedup.restore("old", now.get() - Duration.ofMinutes(9).toMillis());
        assertThat(dedup.firstTime("old")).isFalse();
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(dedup.firstTime("old")).as("its window ended a minute ago").isTrue();
        dedup.forget("old");
        assertThat(dedup.firstTime("old")).isTrue();
    }

    @Test
    void the_set_is_bounded_and_keeps_the_newest() {
        Dedup dedup = new Dedup(clock, Duration.ofDays(3), 10_000);
        for (int i = 0; i < 50_000; i++) {
            dedup.firstTime("id-" + i);
        }
        assertThat(dedup.size()).isLessThanOrEqualTo(10_000);
        assertThat(dedup.firstTime("id-49999")).as("the newest id is still known").isFalse();
    }
}
