package chatd.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one rate limiter of the server (HTTP logins, federation endpoints, IRC flood control): a bucket4j
 * token bucket per key (source address, peer, connection). Buckets live in a Caffeine cache that forgets
 * one left alone long enough to be full again (it would answer the same as a new one) and holds at most
 * {@link #MAX_KEYS}, so memory is bounded and expiry is O(1) however many addresses pass by.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;

    private final Bandwidth bandwidth;
    private final TimeMeter clock;
    private final Cache<String, Bucket> buckets;

    private RateLimiter(long burst, Duration perToken, LongSupplier nanoClock) {
        this.bandwidth = Bandwidth.builder().capacity(burst).refillGreedy(1, perToken).build();
        this.clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(perToken.multipliedBy(burst))
                .ticker(nanoClock::getAsLong)
                .build();
    }

    /** {@code perMinute} requests a minute per key, in bursts of as many. */
    public static RateLimiter perMinute(int perMinute) {
        return new RateLimiter(perMinute, Duration.ofMinutes(1).dividedBy(perMinute), Ticker.systemTicker()::read);
    }

    /** A burst of {@code burst}, then {@code perSecond} a second, on the given nanosecond clock (tests inject one). */
    public static RateLimiter burstThenPerSecond(int burst, double perSecond, LongSupplier nanoClock) {
        return new RateLimiter(burst, Duration.ofNanos((long) (1_000_000_000L / perSecond)), nanoClock);
    }

    /** Takes one token for {@code key} if there is one: answers 0 if granted, else whole seconds to wait (Retry-After). */
    public long acquire(String key) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    /** Like {@link #acquire} without taking the token: 0 while {@code key} has one, else whole seconds to wait. */
    public long peek(String key) {
        EstimationProbe probe = bucket(key).estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * Takes one token for {@code key} even when there is none ("fakelag"): answers the nanoseconds the caller
     * must wait first, 0 when within its budget.
     */
    public long lag(String key) {
        return bucket(key).consumeIgnoringRateLimits(1);
    }

    /** Keys held now (bounded by {@link #MAX_KEYS}). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(clock).build());
    }
}
