package chatd.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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

    @Test
    void uuids_and_other_ids_are_told_apart_exactly() {
        Dedup dedup = new Dedup(clock, Duration.ofMinutes(10), 1000);
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertThat(dedup.firstTime(uuid)).isTrue();
        assertThat(dedup.firstTime(uuid.toUpperCase())).as("another string, so another id").isTrue();
        assertThat(dedup.firstTime(uuid + " ")).isTrue();
        assertThat(dedup.firstTime(uuid)).isFalse();
        assertThat(dedup.firstTime(uuid.toUpperCase())).isFalse();
        assertThat(dedup.size()).isEqualTo(3);
    }

    /**
     * Random offers, forgets and clock moves against a plain model (ids in the order seen, the oldest
     * evicted past the bound, dropped after the window): every answer and the size must agree, through the
     * ring's growth, wrap-around, eviction and the index's deletions.
     */
    @Test
    void agrees_with_a_simple_model_through_growth_eviction_and_forgetting() {
        int max = 3000;
        Duration window = Duration.ofSeconds(50);
        Dedup dedup = new Dedup(clock, window, max);
        Map<String, Long> model = new LinkedHashMap<>();
        Random random = new Random(42);
        String[] pool = new String[6000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i % 3 == 0 ? "event-" + i : UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString();
        }
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(100);
            String id = pool[random.nextInt(pool.length)];
            if (op < 2) {
                now.addAndGet(random.nextInt(400));
            } else if (op < 6) {
                dedup.forget(id);
                model.remove(id);
            } else {
                long t = now.get();
                model.values().removeIf(at -> at < t - window.toMillis());
                boolean first = !model.containsKey(id);
                if (first) {
                    if (model.size() == max) {
                        Iterator<String> eldest = model.keySet().iterator();
                        eldest.next();
                        eldest.remove();
                    }
                    model.put(id, t);
                }
                assertThat(dedup.firstTime(id)).as("step %d, %s", step, id).isEqualTo(first);
            }
            if (step % 1000 == 0) {
                long t = now.get();
                model.values().removeIf(at -> at < t - window.toMillis());
                assertThat(dedup.size()).as("step %d", step).isEqualTo(model.size());
            }
        }
    }
}
