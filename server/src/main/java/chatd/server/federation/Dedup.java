package chatd.server.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * The ids of events already applied here, for a window of time (and at most {@code max} of them), so
 * that an event reaching this server twice — through a cycle, or resent after a lost acknowledgement —
 * is applied once. A Caffeine cache: each id expires a window after it was seen (a restored one keeps
 * its time), in O(1), and past {@code max} the cache evicts; a new id first sits in its recency window,
 * so the ids a resend would repeat are the last to go. The window is persisted with each batch (table
 * {@code federation_seen}) and restored at start-up; time comes from an {@link InstantSource} so tests
 * can move it.
 */
final class Dedup {
    private final InstantSource clock;
    private final long windowMillis;
    /** id → when it was seen (epoch ms). */
    private final Cache<String, Long> seen;

    Dedup(InstantSource clock, Duration window, int max) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.seen = Caffeine.newBuilder()
                .maximumSize(max)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.<String, Long>creating((id, atMillis) ->
                        Duration.ofMillis(Math.max(0, atMillis + windowMillis - clock.millis()))))
                .build();
    }

    /** True the first time an id is offered (and remembers it); false for a duplicate. */
    boolean firstTime(String id) {
        return seen.asMap().putIfAbsent(id, clock.millis()) == null;
    }

    /** Forgets an id whose application was not committed, so that a resend is applied. */
    void forget(String id) {
        seen.invalidate(id);
    }

    void restore(String id, long atMillis) {
        seen.put(id, atMillis);
    }

    int size() {
        seen.cleanUp();
        return (int) seen.estimatedSize();
    }

    long cutoffMillis() {
        return clock.millis() - windowMillis;
    }
}
