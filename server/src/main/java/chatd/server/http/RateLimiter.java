package chatd.server.http;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (source address, peer): {@code perMinute} requests a minute with bursts of the
 * same size. Answers 0 when allowed, else the seconds to wait (for Retry-After).
 */
public final class RateLimiter {
    private final double perMillis;
    private final double capacity;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    public RateLimiter(int perMinute, InstantSource clock) {
        this.perMillis = perMinute / 60_000.0;
        this.capacity = perMinute;
        this.clock = clock;
    }

    /** Takes one token for {@code key}; answers 0 if granted, else whole seconds until one is available. */
    public long acquire(String key) {
        long now = clock.millis();
        long[] wait = {0};
        buckets.compute(key, (k, b) -> {
            if (b == null) {
                b = new Bucket(capacity, now);
            }
            b.tokens = Math.min(capacity, b.tokens + (now - b.updated) * perMillis);
            b.updated = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
            } else {
                wait[0] = Math.max(1, (long) Math.ceil((1 - b.tokens) / perMillis / 1000));
            }
            return b;
        });
        if (buckets.size() > 100_000) {
            buckets.entrySet().removeIf(e -> e.getValue().tokens >= capacity - 1e-9);
        }
        return wait[0];
    }
}
